"""First-character gates: the right characters, none where unknown, and the same matches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefer.engines.rules import framing_lexicon as lex
from briefer.engines.rules.regex_gate import gate

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"said|told", "(?=[st])"),
        (r"(?:has|had) been|tried", "(?=[ht])"),
        (r"(?:the )?worst", "(?=[tw])"),  # an optional start: its letter or the next one
        (r"(?<![\w-])[a-c]x", "(?=[abc])"),  # a look-behind consumes nothing
        (r"x{0,2}y", "(?=[xy])"),
        (r"[-\]^]a", r"(?=[\-\]\^])"),  # class metacharacters come back escaped
    ],
)
def test_gate_lists_the_first_characters(pattern: str, expected: str) -> None:
    assert gate(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+ly",  # a category: any letter
        r"[^x]y",  # a negated class
        r"a?",  # can match nothing
        r"a|",  # one branch is empty
        r".x",
        r"(?i:a)b",  # a scoped flag would need the other case
        r"(",  # not a pattern at all
    ],
)
def test_no_gate_when_the_start_is_not_known(pattern: str) -> None:
    assert gate(pattern) == ""


# One cue or more of every group, so the comparison below is not between two empty lists.
_CUES = (
    "The mayor tried to hide the audit. Aides played a key role in the vote, thanks to the "
    "delay. The plan obviously failed. The council should resign. It was an extremely reckless "
    "plan. The vote will perhaps fail; the bill seems likely to pass, and prices may well rise."
)


def _samples() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    texts.append(_CUES)
    texts += [text.upper() for text in texts] + [text.title() for text in texts]
    # Letters IGNORECASE folds onto ASCII ones: the gate must fold them the same way.
    texts.append("It is \u0130t \u0131t \u017feems \u212aind obviou\u017fly, In truth.")
    return texts


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@pytest.mark.parametrize("reason", list(lex.ASSERTION_CUES))
def test_gated_pattern_finds_the_same_matches(reason: str, flags: int) -> None:
    body = "|".join(lex.ASSERTION_CUES[reason])
    assert gate(body, flags)  # the lexicon's groups all start with known letters
    plain = re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", flags)
    gated = re.compile(r"(?<![\w-])" + gate(body, flags) + r"(?:" + body + r")(?![\w-])", flags)
    assert plain.search(_CUES.upper() if flags else _CUES)
    for text in _samples():
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_gated_speculation_cues_find_the_same_matches() -> None:
    body = "|".join(lex.SPECULATION_CUES)
    plain = re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])")
    gated = re.compile(gate(body) + plain.pattern)
    assert len(plain.findall(_CUES)) >= 3
    for text in _samples():
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)]
