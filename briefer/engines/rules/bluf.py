"""Extractive BLUF: one or two neutral sentences picked from the article's opening."""

from __future__ import annotations

import re

from briefer.segment import Unit, sentences

# Sentences a bottom line should not be: questions, exclamations, first person, bylines.
_UNSUITABLE = re.compile(
    r"[?!]\s*[\"\u201d']?\s*$|^\s*[\"\u201c]|\b(?:I|we|our|my|us)\b|^\s*(?:by|photo|image|"
    r"source|read more|click|subscribe|advertisement|related)\b|https?://",
    re.IGNORECASE,
)
MIN_WORDS = 8
MAX_WORDS = 60
# A first sentence shorter than this gets the next one as well.
SHORT_WORDS = 18
# The bottom line comes from the lead: only this many suitable sentences are considered.
LEAD_SENTENCES = 3


def extractive_bluf(
    text: str, avoid: list[tuple[int, int]] | None = None, units: list[Unit] | None = None
) -> str:
    """The lead's first sentence free of ``avoid`` ranges (outlet framing), else its first one.

    A short pick is followed by the next suitable sentence; "" when nothing fits. ``units`` are
    ``sentences(text)`` when the caller already has them.
    """
    avoid = avoid or []
    lead = _lead(text, sentences(text) if units is None else units)
    if not lead:
        return ""
    clean = [i for i, unit in enumerate(lead) if not _overlaps_any(unit, avoid)]
    first = clean[0] if clean else 0
    picked = [lead[first]]
    if _words(text, lead[first]) < SHORT_WORDS and first + 1 < len(lead):
        picked.append(lead[first + 1])
    return " ".join(" ".join(text[u.start : u.end].split()) for u in picked)


def _lead(text: str, units: list[Unit]) -> list[Unit]:
    """The first suitable sentences, up to the first heading after them."""
    found: list[Unit] = []
    for unit in units:
        if unit.kind == "heading":
            if found:
                break
            continue
        sentence = text[unit.start : unit.end]
        if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS and not _UNSUITABLE.search(
            " ".join(sentence.split())
        ):
            found.append(unit)
            if len(found) == LEAD_SENTENCES:
                break
    return found


def _words(text: str, unit: Unit) -> int:
    return len(text[unit.start : unit.end].split())


def _overlaps_any(unit: Unit, ranges: list[tuple[int, int]]) -> bool:
    return any(start < unit.end and unit.start < end for start, end in ranges)
