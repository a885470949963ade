"""Speaker-label colons: found from the colons, exactly as the pattern's own scan finds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.engines.rules.markers import COLON_RE, label_colons

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

_TRICKY = [
    "Kim: We will. Lee: No.",
    "a: b: c: d",  # each match ends on the letter the next one would start with
    "Note:: x. Q): y (A.): z",
    "Time: 10:30 a.m.: done",
    ":x : y Mr.: z",
    "ratio 3:1, then Ends:",
]


@pytest.mark.parametrize("text", _TRICKY)
def test_label_colons_match_the_pattern_scan(text: str) -> None:
    for start, end in [(0, len(text)), (1, len(text)), (0, len(text) - 2), (3, len(text) - 1)]:
        expected = [m.start("colon") for m in COLON_RE.finditer(text, start, end)]
        assert list(label_colons(text, start, end)) == expected


def test_label_colons_over_the_examples() -> None:
    found = 0
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        expected = [m.start("colon") for m in COLON_RE.finditer(text)]
        assert list(label_colons(text, 0, len(text))) == expected
        found += len(expected)
    assert found > 0
