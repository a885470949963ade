"""Folded lexicon scans: the same spans as IGNORECASE, and the flag kept wherever that is unsure."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from briefer.engines.rules import framing
from briefer.engines.rules.case_fold import _FOLDS_ONTO_ASCII, Folded, lowered
from briefer.engines.rules.lexicon import ACCORDING_RE, CUE_RE, PASSIVE_RE

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="module")
def every_character() -> str:
    return "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000)


def test_only_the_listed_letters_fold_onto_ascii_ones(every_character: str) -> None:
    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    folding = {char for char in ascii_letter.findall(every_character) if not char.isascii()}
    assert folding == set(_FOLDS_ONTO_ASCII)


def test_word_space_and_digit_classes_hold_a_character_and_its_lower_case(
    every_character: str,
) -> None:
    chars = [char for char in every_character if len(char.lower()) == 1]
    lower = "".join(char.lower() for char in chars)
    for category in (r"\w", r"\s", r"\d"):
        pattern = re.compile(category)
        held = [match.start() for match in pattern.finditer("".join(chars))]
        assert held == [match.start() for match in pattern.finditer(lower)], category


def test_the_lexicon_scans_are_folded() -> None:
    for pattern in (CUE_RE, ACCORDING_RE, PASSIVE_RE, framing._LOADED, framing._ASSERTION):
        assert Folded.of(pattern).folded is not None


@pytest.mark.parametrize(
    "pattern",
    [
        re.compile("said"),  # no IGNORECASE to begin with
        re.compile("Said", re.IGNORECASE),  # an upper-case letter
        re.compile("[A-Z]x", re.IGNORECASE),
        re.compile("caf\u00e9", re.IGNORECASE),  # a non-ASCII letter
        re.compile("(?-i:s)aid", re.IGNORECASE),  # a scoped flag
        re.compile(r"(a)\1", re.IGNORECASE),  # a back-reference
    ],
)
def test_patterns_that_might_differ_keep_their_flag(pattern: re.Pattern[str]) -> None:
    assert Folded.of(pattern).folded is None


def test_lowered_refuses_text_that_would_not_line_up() -> None:
    assert lowered("Said KIM") == "said kim"
    assert lowered("\u0130stanbul") is None  # lower-cases to two characters
    for char in _FOLDS_ONTO_ASCII:
        assert lowered(f"a{char}b") is None


def _samples() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    texts += [text.upper() for text in texts] + [text.title() for text in texts]
    texts.append("She SAID the \u212aING's \u017faid \u0130t was a RADICAL, \u00c9vil plan.")
    texts.append("The Mayor TRIED TO HIDE the audit; Obviously the plan was an Extremely bad one.")
    texts.append("IT WAS REPORTED THAT the vote failed, According To aides.")
    return texts


@pytest.mark.parametrize(
    "pattern",
    [CUE_RE, ACCORDING_RE, PASSIVE_RE, framing._LOADED, framing._ASSERTION],
    ids=["cues", "according", "passive", "loaded", "assertion"],
)
def test_folded_scans_find_the_same_spans(pattern: re.Pattern[str]) -> None:
    folded = Folded.of(pattern)
    found = 0
    for text in _samples():
        expected = [(m.span(), m.lastgroup) for m in pattern.finditer(text)]
        got = [(m.span(), m.lastgroup) for m in folded.finditer(text, lowered(text))]
        assert got == expected
        found += len(expected)
        middle = len(text) // 2  # and over part of the text, as the engine scans sentences
        expected = [m.span() for m in pattern.finditer(text, 10, middle)]
        assert [m.span() for m in folded.finditer(text, lowered(text), 10, middle)] == expected
    assert found > 0
