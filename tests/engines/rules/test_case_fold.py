"""Folded lexicon scans: the same spans as IGNORECASE, and the flag kept wherever that is unsure."""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

import pytest

from briefer.engines.rules import framing
from briefer.engines.rules.case_fold import (
    _FOLDS_ONTO_ASCII,
    MAX_FOLDED,
    Folded,
    Lowered,
    behind_first_letter,
    lower_range,
    lowered,
)
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
        re.compile(r"(?<!\w\w)said", re.IGNORECASE),  # looks back two characters
    ],
)
def test_patterns_that_might_differ_keep_their_flag(pattern: re.Pattern[str]) -> None:
    assert Folded.of(pattern).folded is None


def test_lower_range_copies_the_range_and_the_character_before_it() -> None:
    assert lower_range("Said KIM") == Lowered("said kim", 0)
    assert lower_range("Said KIM", 5, 7) == Lowered(" ki", 4)
    assert lower_range("\u201cSaid\u201d KIM", 1) == Lowered("\u201csaid\u201d kim", 0)
    long = "\u00c9" + "Said. " * 8000  # lower-cased in pieces
    assert lower_range(long).low == long.lower()


def test_lower_range_refuses_text_that_would_not_line_up() -> None:
    assert lower_range("\u0130stanbul").low is None  # lower-cases to two characters
    for char in _FOLDS_ONTO_ASCII:
        assert lower_range(f"a{char}b").low is None
    # A long range that is not ASCII would need a copy of it and a buffer of three times that.
    assert lower_range("\u00e9" * (MAX_FOLDED + 1)).low is None
    assert lower_range("e" * (MAX_FOLDED + 1)).low is not None


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
        got = [(m.span(), m.lastgroup) for m in folded.finditer(text, lower_range(text))]
        assert got == expected
        found += len(expected)
        # And over parts of the text, as the engine scans sentences: cut anywhere, even in a
        # word, and with a copy of a wider range or one too narrow to use.
        for start, end in [(10, len(text) // 2), (37, 41), (len(text) // 3, len(text) - 5)]:
            expected = [(m.span(), m.lastgroup) for m in pattern.finditer(text, start, end)]
            for low in (lower_range(text, start, end), lower_range(text, 3), lower_range(text, 40)):
                got = [(m.span(), m.lastgroup) for m in folded.finditer(text, low, start, end)]
                assert got == expected
    assert found > 0


@pytest.mark.parametrize(
    ("source", "moved"),
    [
        (r"(?<!\w)(?:said|told)x", r"(?:s(?<!\w.)aid|t(?<!\w.)old)x"),
        (r"(?<![\w'-])it\s+is", r"i(?<![\w'-].)t\s+is"),
        (r"(?<=\s)(?:(?:ab|cd))", r"(?:(?:a(?<=\s.)b|c(?<=\s.)d))"),
        # Branches opening with one letter share its look-behind, in their order.
        (r"(?<!\w)(?:as\s+x|in\s+y|as\s+z)", r"(?:a(?<!\w.)(?:s\s+x|s\s+z)|i(?<!\w.)n\s+y)"),
        # Left as they are: a branch that may start with no letter, or with something else.
        (r"(?<!\w)(?:a?b|cd)", r"(?<!\w)(?:a?b|cd)"),
        (r"(?<!\w)(?:\d+|cd)", r"(?<!\w)(?:\d+|cd)"),
        (r"(?<!\w)(?=[ab])(?:ab)", r"(?<!\w)(?=[ab])(?:ab)"),
        # Branches opening with many letters: trying each is slower than the look-behind.
        (r"(?<!\w)(?:a1|b1|c1|d1|e1)", r"(?<!\w)(?:a1|b1|c1|d1|e1)"),
    ],
)
def test_a_leading_look_behind_moves_past_the_first_letter(source: str, moved: str) -> None:
    assert behind_first_letter(source) == moved


def test_moved_look_behinds_find_the_same_spans() -> None:
    for pattern in (ACCORDING_RE, PASSIVE_RE):
        assert Folded.of(pattern).folded.pattern != pattern.pattern  # type: ignore[union-attr]
    texts = ["it is said that, xit is said that", "according to x; paccording to y", "citing y"]
    for source in [r"(?<!\w)(?:said|told)(?=\s)", ACCORDING_RE.pattern, PASSIVE_RE.pattern]:
        plain = re.compile(source)
        moved = re.compile(behind_first_letter(source))
        for text in texts + _samples():
            low = text.lower()
            for start in (0, 1, 5):
                got = [m.span() for m in moved.finditer(low, start)]
                assert got == [m.span() for m in plain.finditer(low, start)]


def test_a_look_behind_may_reach_back_over_what_the_match_consumed() -> None:
    assert Folded.of(re.compile(r"ab(?<!\wab)c", re.IGNORECASE)).folded is not None
    # Three characters back from one consumed: past the one character before the range.
    assert Folded.of(re.compile(r"a(?<!\w\wa)c", re.IGNORECASE)).folded is None
    # A repeat may consume nothing, so it does not count.
    assert Folded.of(re.compile(r"a*(?<!\wa)c", re.IGNORECASE)).folded is None


def test_one_lowered_copy_of_the_text_finds_what_a_copy_of_each_range_finds() -> None:
    texts = [
        *_samples(),
        "\u201cSAID\u201d the \u03a3\u0391\u03a3 board, \u2018Told\u2019 AIDES.",
        "\u0130T WAS SAID, according to Jo, that she TOLD them.",  # no safe whole copy
        "\u00e9" * (MAX_FOLDED + 1) + " She SAID so.",  # past MAX_FOLDED: copied in pieces
    ]
    for pattern in (CUE_RE, ACCORDING_RE, framing._LOADED):
        folded = Folded.of(pattern)
        for text in texts + texts:  # each text again after others: the copy follows the text
            for start, end in [(0, len(text)), (10, len(text) // 2), (37, 41)]:
                expected = [(m.span(), m.lastgroup) for m in pattern.finditer(text, start, end)]
                low = lowered(text, start, end)
                got = [(m.span(), m.lastgroup) for m in folded.finditer(text, low, start, end)]
                assert got == expected


def test_the_whole_copy_is_made_once_per_text_and_thread() -> None:
    first, second = "Jo SAID so.", "Kim TOLD us."
    copy = lowered(first, 3, 7)
    assert copy == Lowered("jo said so.", 0)
    seen: list[Lowered] = []
    worker = threading.Thread(target=lambda: seen.append(lowered(second)))
    worker.start()
    worker.join()
    assert seen == [Lowered("kim told us.", 0)]
    assert lowered(first, 0, 2) is copy  # the other thread's text left this one's copy alone
    assert lowered(second) == Lowered("kim told us.", 0)
    unsafe = "\u0130T SAID"
    assert lowered(unsafe, 3, 7) == lower_range(unsafe, 3, 7)
