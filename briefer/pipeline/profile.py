"""The sourcing profile: who the claims come from, and how much of the article is attributed.

Counted from a briefing's grounded claims and framing (``sourcing_profile``), once per
briefing when it is assembled; ``profile_of`` computes it for a briefing made before the
profile existed, and ``combine`` sums several (a digest's outlet) before taking shares.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from briefer.contract import (
    PROFILE_PARTITIONS,
    PROFILE_SHARES,
    Briefing,
    Claim,
    Framing,
    SourcingProfile,
    Span,
    share,
)

# A word: a run of letters or digits, with inner apostrophes or hyphens ("don't", "al-Qaeda").
WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")

# Source kind -> (identification, what the source is). "anonymous" and "vague" are their own
# identification; every other kind is named.
_IDENTIFICATION = {"anonymous": "anonymous", "vague": "vague"}
_NATURE = {
    "document": "documents",
    "person": "people",
    "official": "people",
    "institution": "organizations",
    "media": "organizations",
    "group": "organizations",
    # The outlet speaking as a source ("the Courier has learned") is an organization too.
    "outlet": "organizations",
    "anonymous": "unidentified",
    "vague": "unidentified",
}
_COUNT_FIELDS = (
    *(part for _, parts in PROFILE_PARTITIONS for part in parts),
    "claims",
    "words",
    "framing_words",
)


def sourcing_profile(
    text: str, claims: Sequence[Claim], framing: Sequence[Framing] = ()
) -> SourcingProfile:
    """The profile of ``claims`` and ``framing`` over the article ``text``."""
    counts = dict.fromkeys(_COUNT_FIELDS, 0)
    counts["claims"] = len(claims)
    for claim in claims:
        counts[_IDENTIFICATION.get(claim.source.kind, "named")] += 1
        counts["relayed" if claim.via else "first_hand"] += 1
        counts[claim.quote] += 1
        counts[_NATURE.get(claim.source.kind, "organizations")] += 1
    counts.update(_word_counts(text, claims, framing))
    return from_counts(counts)


def from_counts(counts: dict[str, int]) -> SourcingProfile:
    """A profile from its counts, with every share computed from them."""
    shares = {
        name: share(counts[count], counts[total]) for name, (count, total) in PROFILE_SHARES.items()
    }
    return SourcingProfile(**counts, **shares)


def combine(profiles: Iterable[SourcingProfile]) -> SourcingProfile:
    """Several profiles as one: counts summed, then shares of the sums (not mean shares)."""
    totals = dict.fromkeys(_COUNT_FIELDS, 0)
    for profile in profiles:
        for name in _COUNT_FIELDS:
            totals[name] += getattr(profile, name)
    return from_counts(totals)


def profile_of(briefing: Briefing) -> SourcingProfile:
    """The briefing's own profile, or one computed now for a briefing made without it."""
    if briefing.profile is not None:
        return briefing.profile
    return sourcing_profile(briefing.article.text, briefing.claims, briefing.framing)


def _word_counts(text: str, claims: Sequence[Claim], framing: Sequence[Framing]) -> dict[str, int]:
    # The outlet's own claims ('the author ("I") thinks', "the Courier has learned") are its
    # voice, not someone it attributes words to.
    attributed = _merged(
        span
        for claim in claims
        if claim.source.kind != "outlet"
        for span in (claim.content, claim.cue, claim.source.span)
        if span is not None
    )
    flagged = _merged(item.span for item in framing)
    words = attributed_words = framing_words = 0
    for match in WORD.finditer(text):
        words += 1
        if _overlaps(attributed, match.start(), match.end()):
            attributed_words += 1
        elif _overlaps(flagged, match.start(), match.end()):
            # Framing is counted inside the outlet voice only: attributed words are the
            # source's, even where an engine also flagged them as framing.
            framing_words += 1
    return {
        "words": words,
        "attributed_words": attributed_words,
        "outlet_voice_words": words - attributed_words,
        "framing_words": framing_words,
    }


def _merged(spans: Iterable[Span]) -> list[tuple[int, int]]:
    """Non-empty spans as sorted, disjoint ``[start, end)`` ranges: overlaps count once."""
    ranges: list[tuple[int, int]] = []
    for start, end in sorted((s.start, s.end) for s in spans if s.end > s.start):
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], end))
        else:
            ranges.append((start, end))
    return ranges


def _overlaps(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` shares a character with one of the sorted disjoint ``ranges``."""
    # The last range starting before ``end`` is the only one that can reach into the word.
    index = bisect.bisect_left(ranges, (end, -1)) - 1
    return index >= 0 and ranges[index][1] > start
