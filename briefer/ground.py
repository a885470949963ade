"""Grounding: align engine spans to character offsets of the article text.

Order of attempts: the engine's own offsets, an exact search, a whitespace/quote/dash/case
normalised search, then a fuzzy search (rapidfuzz). A span that none of these finds is not
grounded and is never shown as evidence.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

from briefer.contract import MatchKind, Span
from briefer.segment import trim


class SpanRef(BaseModel):
    """A span as an engine sees it: the text, and where to look for it.

    Engines that know offsets (the rules engine) give ``start``/``end``; model-based engines give
    the text and a ``region`` (e.g. the referenced paragraph) that grounding searches.
    """

    model_config = ConfigDict(extra="forbid")

    text: str
    start: int | None = None
    end: int | None = None
    region: tuple[int, int] | None = None


FUZZY_THRESHOLD = 88.0
# A fuzzy window that differs too much in length from the needle is a different passage.
_MAX_LENGTH_RATIO = 1.35

_FOLD = {
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u2032": "'",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
}


def _fold(text: str) -> str:
    """Typographic quotes, dashes and no-break spaces as their plain forms, one for one."""
    # One str.replace per mark, not str.translate: translate looks up every character of a
    # non-ASCII text in a dict, ten times slower on a long article.
    for mark, plain in _FOLD.items():
        if mark in text:
            text = text.replace(mark, plain)
    return text


_SPACE = re.compile(r"\s+")
_LONG_SPACE = re.compile(r"\s{2,}")
# Whitespace that folding changes: a longer run, or one character other than a space. Text that
# is already single-spaced then folds without a substitution per word.
_UNFOLDED_SPACE = re.compile(r"\s{2,}|[^\S ]")


@dataclass(frozen=True)
class Aligned:
    start: int
    end: int
    match: MatchKind

    def span(self, text: str) -> Span:
        return Span.of(text, self.start, self.end)


@dataclass
class NormalizedText:
    """Text folded for matching, and how folded offsets map back to the original ones.

    Folding keeps every character where it is, one for one, except whitespace: a run becomes one
    space and the ends are stripped. So the map is only where the shift back to the original
    grows (after a leading run, and after each longer run) rather than an integer per
    character, which made a megabyte region cost a hundred megabytes to fold.
    """

    folded: str
    base: int
    # Folded offsets from which ``_shifts`` applies (ascending, the first is 0).
    _breaks: list[int]
    _shifts: list[int]
    # Per-character origins, only when lower-casing changed the length ("\u0130" -> "i\u0307").
    _origin: array[int] | None = None

    @classmethod
    def build(cls, text: str, base: int = 0) -> NormalizedText:
        source = _fold(text)
        lowered = _lower(source)
        if len(lowered) != len(source):
            return cls._per_character(source, base)
        lead = len(lowered) - len(lowered.lstrip())
        breaks, shifts = [0], [lead]
        removed = lead
        for run in _LONG_SPACE.finditer(lowered, lead):
            start, end = run.span()
            if end == len(lowered):
                break  # trailing whitespace: nothing after it to map
            kept = start - removed  # the folded offset of the one space the run becomes
            removed += end - start - 1
            breaks.append(kept + 1)
            shifts.append(removed)
        return cls(_UNFOLDED_SPACE.sub(" ", lowered).strip(), base, breaks, shifts)

    @classmethod
    def _per_character(cls, source: str, base: int) -> NormalizedText:
        chars: list[str] = []
        origin: array[int] = array("q")
        previous_space = True
        for offset, char in enumerate(source):
            if char.isspace():
                if previous_space:
                    continue
                char = " "
                previous_space = True
            else:
                previous_space = False
                char = char.lower()
            chars.append(char)
            origin.extend([base + offset] * len(char))
        while chars and chars[-1] == " ":
            chars.pop()
            origin.pop()
        return cls("".join(chars), base, [0], [0], origin)

    def _original(self, index: int) -> int:
        if self._origin is not None:
            return self._origin[index]
        return self.base + index + self._shifts[bisect_right(self._breaks, index) - 1]

    def original_range(self, start: int, end: int) -> tuple[int, int]:
        return self._original(start), self._original(end - 1) + 1


_LOWER_CHUNK = 1 << 16


def _lower(text: str) -> str:
    """``text.lower()`` in pieces cut at spaces.

    For a text that is not ASCII, str.lower() first allocates twelve bytes per character (room
    for every character to triple); piece by piece that stays small. Casing never looks across
    a space (only final sigma looks at its neighbours at all), so the pieces join seamlessly.
    """
    if len(text) <= _LOWER_CHUNK or text.isascii():
        return text.lower()
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + _LOWER_CHUNK)
        space = text.rfind(" ", start, end) if end < len(text) else -1
        end = space + 1 if space > start else end
        pieces.append(text[start:end].lower())
        start = end
    return "".join(pieces)


def normalize(text: str) -> str:
    return _SPACE.sub(" ", _fold(text)).strip().lower()


def _nearest(text: str, needle: str, lo: int, hi: int, hint: int | None) -> int:
    """Offset of the occurrence of needle in text[lo:hi] nearest to hint (the earlier on a
    tie), or -1. Only the two occurrences around the hint can be nearest; walking through all
    of them costs a loop per occurrence of a common word in a long article."""
    if hint is None:
        return text.find(needle, lo, hi)
    before = text.rfind(needle, lo, max(lo, min(hi, hint + len(needle))))
    after = text.find(needle, max(lo, hint + 1), hi)
    if before == -1 or after == -1:
        return max(before, after)
    return before if hint - before <= after - hint else after


# The last region folded: grounding aligns many spans in one article's text, and a long
# one-line article is a single region that would otherwise be folded again for every span.
_last_region: tuple[str, int, int, NormalizedText] | None = None


def _region(text: str, lo: int, hi: int) -> NormalizedText:
    global _last_region
    last = _last_region
    if last is not None and last[0] is text and last[1:3] == (lo, hi):
        return last[3]
    region = NormalizedText.build(text[lo:hi], base=lo)
    _last_region = (text, lo, hi, region)
    return region


def align(text: str, ref: SpanRef, *, fuzzy_threshold: float = FUZZY_THRESHOLD) -> Aligned | None:
    """Where ``ref`` is in ``text``; None when it cannot be found."""
    needle = ref.text
    if not needle or not needle.strip():
        return None
    if (
        ref.start is not None
        and ref.end is not None
        and 0 <= ref.start <= ref.end <= len(text)
        and text[ref.start : ref.end] == needle
    ):
        return Aligned(ref.start, ref.end, "exact")

    lo, hi = ref.region if ref.region is not None else (0, len(text))
    lo, hi = max(0, lo), min(len(text), hi)
    if lo >= hi:
        lo, hi = 0, len(text)
    hint = ref.start

    position = _nearest(text, needle, lo, hi, hint)
    if position != -1:
        return Aligned(position, position + len(needle), "exact")

    stripped = needle.strip().strip("\"'\u201c\u201d\u2018\u2019").strip()
    if stripped and stripped != needle:
        position = _nearest(text, stripped, lo, hi, hint)
        if position != -1:
            return Aligned(position, position + len(stripped), "normalized")

    region = _region(text, lo, hi)
    folded_needle = normalize(needle)
    if not folded_needle or not region.folded:
        return None
    position = region.folded.find(folded_needle)
    if position != -1:
        start, end = region.original_range(position, position + len(folded_needle))
        return Aligned(start, end, "normalized")

    if len(folded_needle) < 12:
        # Short strings match by accident; they must be exact or normalised.
        return None
    found = fuzz.partial_ratio_alignment(folded_needle, region.folded, score_cutoff=fuzzy_threshold)
    if found is None:
        return None
    length = found.dest_end - found.dest_start
    if length == 0 or not (
        1 / _MAX_LENGTH_RATIO <= length / len(folded_needle) <= _MAX_LENGTH_RATIO
    ):
        return None
    start, end = region.original_range(found.dest_start, found.dest_end)
    start, end = trim(text, start, end)
    if start >= end:
        return None
    return Aligned(start, end, "fuzzy")


def excerpt(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters, for messages about a span."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
