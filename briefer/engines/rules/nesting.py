"""Attributions inside others: nest them (AP -> report), drop them, or split coordinated ones."""

from __future__ import annotations

import re
from bisect import bisect_left

from briefer.engines.rules.lexicon import (
    CUE_RE,
)
from briefer.engines.rules.relation import Attribution, Range
from briefer.engines.rules.sources import (
    PERSONAL_PRONOUNS,
    RELATIVES,
)
from briefer.engines.rules.text_ranges import inside, overlaps, trim_range

_NEIGHBOURS = 25
_COORDINATION = re.compile(r"[,;]\s*(?:and|but|while|whereas|although|though|yet)?\s*$")


def resolve(text: str, items: list[Attribution]) -> tuple[list[Attribution], list[Attribution]]:
    """Nest or drop attributions inside another's content; split coordinated ones.

    Returns the attributions kept and those dropped.
    """
    dropped: list[Attribution] = []
    gone: set[int] = set()
    by_cue = sorted(items, key=lambda item: item.cue[0])
    starts = [item.cue[0] for item in by_cue]
    # Widest content first, so an attribution is judged by the one that contains it directly.
    for outer in sorted(items, key=lambda item: item.content[0] - item.content[1]):
        if id(outer) in gone:
            continue
        low = bisect_left(starts, outer.content[0])
        high = bisect_left(starts, outer.content[1])
        inners = [
            item
            for item in by_cue[low:high]
            if item is not outer and id(item) not in gone and _within(item, outer)
        ]
        for inner in sorted(inners, key=lambda item: item.hull[0]):
            if _coordinated(text, outer, inner):
                continue
            # "C, X said, according to a transcript": X's claim stands, via the transcript.
            if (outer.pattern == "according" and inner.source is not None) or _nests(
                text, outer, inner
            ):
                inner.via = [*outer.via, outer.name, *inner.via]
            else:
                gone.add(id(inner))
                dropped.append(inner)
    alive = [item for item in by_cue if id(item) not in gone]
    for index, first in enumerate(alive):
        # Only near neighbours can overlap; the bound keeps run-on input linear.
        for second in alive[index + 1 : index + 1 + _NEIGHBOURS]:
            if overlaps(first.hull, second.hull):
                _split(text, first, second)
    return alive, dropped


def _coordinated(text: str, outer: Attribution, inner: Attribution) -> bool:
    """``X said C, and Y argued D``: cut the outer content before the second clause."""
    if inner.source is None or outer.pattern != "right" or inner.hull[0] <= outer.content[0]:
        return False
    gap = text[outer.content[0] : inner.hull[0]]
    found = _COORDINATION.search(gap)
    if found is None:
        # "X said C and Y argued D" without a comma: only before a clear new subject.
        found = re.search(r"\s+(?:and|but)\s*$", gap)
        subject = text[inner.hull[0] : inner.cue[0]].strip()
        if found is None or not (subject[:1].isupper() or subject.lower() in PERSONAL_PRONOUNS):
            return False
    end = outer.content[0] + found.start()
    if end - outer.content[0] < 3:
        return False
    outer.content = trim_range(text, outer.content[0], end)
    return True


def _within(item: Attribution, outer: Attribution) -> bool:
    cue_in = inside(item.cue, outer.content)
    source_in = item.source is None or inside(item.source, outer.content)
    return cue_in and source_in


def _nests(text: str, outer: Attribution, inner: Attribution) -> bool:
    """Whether ``inner`` is a distinct source the outer one reports (the AP on a UN report).

    The inner source must open the outer content (after a complementiser or short adverbial)
    and be a named phrase, not a pronoun.
    """
    if inner.source is None:
        return False
    phrase = text[inner.source[0] : inner.source[1]].lower()
    if phrase in PERSONAL_PRONOUNS or phrase in RELATIVES:
        return False
    lead = text[outer.content[0] : inner.source[0]]
    if len(lead) > 40 or (outer.quote == "direct" and lead.strip()):
        return False
    if CUE_RE.search(lead):
        return False
    return outer.pattern == "according" or outer.kind in {"media", "document", "institution"}


def _split(text: str, first: Attribution, second: Attribution) -> None:
    """``X said C, and Y warned D``: end the first content before the second attribution."""
    if first.name in second.via:
        return  # nested: the outer content carries the inner attribution on purpose
    if first.content[0] < second.hull[0] < first.content[1]:
        cut = second.hull[0]
        gap = text[first.content[0] : cut]
        found = re.search(r"[,;]?\s*(?:and|but|while|whereas)?\s*$", gap)
        end = first.content[0] + (found.start() if found else len(gap))
        first.content = trim_range(text, first.content[0], end)


def dedupe(items: list[Attribution]) -> list[Attribution]:
    seen: set[tuple[Range, Range]] = set()
    result: list[Attribution] = []
    for item in sorted(items, key=lambda item: item.hull):
        key = (item.cue, item.content)
        if key in seen or item.content[1] <= item.content[0]:
            continue
        seen.add(key)
        result.append(item)
    return result
