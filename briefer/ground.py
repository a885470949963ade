"""Grounding: align engine spans to character offsets of the article text.

Order of attempts: the engine's own offsets, an exact search, a whitespace/quote/dash/case
normalised search, then a fuzzy search (rapidfuzz). A span that none of these finds is not
grounded and is never shown as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from briefer.models import MatchKind, Span, SpanRef

FUZZY_THRESHOLD = 88.0
# A fuzzy window that differs too much in length from the needle is a different passage.
_MAX_LENGTH_RATIO = 1.35

_FOLD = str.maketrans(
    {
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
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Aligned:
    start: int
    end: int
    match: MatchKind

    def span(self, text: str) -> Span:
        return Span.of(text, self.start, self.end)


@dataclass
class NormalizedText:
    """Text folded for matching, with a map from folded indices back to original ones."""

    folded: str
    origin: list[int]

    @classmethod
    def build(cls, text: str, base: int = 0) -> NormalizedText:
        chars: list[str] = []
        origin: list[int] = []
        previous_space = True
        for offset, char in enumerate(text.translate(_FOLD)):
            if char.isspace():
                if previous_space:
                    continue
                char = " "
                previous_space = True
            else:
                previous_space = False
            chars.append(char.lower())
            origin.append(base + offset)
        while chars and chars[-1] == " ":
            chars.pop()
            origin.pop()
        return cls("".join(chars), origin)

    def original_range(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


def normalize(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_FOLD)).strip().lower()


def _nearest(text: str, needle: str, lo: int, hi: int, hint: int | None) -> int:
    """Offset of the occurrence of needle in text[lo:hi] nearest to hint, or -1."""
    best = -1
    position = text.find(needle, lo, hi)
    while position != -1:
        if hint is None:
            return position
        if best == -1 or abs(position - hint) < abs(best - hint):
            best = position
        position = text.find(needle, position + 1, hi)
    return best


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

    region = NormalizedText.build(text[lo:hi], base=lo)
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
    start, end = _trim(text, start, end)
    if start >= end:
        return None
    return Aligned(start, end, "fuzzy")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def excerpt(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters, for messages about a span."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
