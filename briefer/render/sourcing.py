"""The sourcing profile as templates show it: whole percentages and a small table.

Percentages are whole numbers from the profile's counts; within one breakdown (named /
anonymous / vague, ...) they are rounded by largest remainder, so a row always adds up to 100.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefer.contract import SourcingProfile
from briefer.render.labels import PROFILE_LABELS

# The table's rows: (row label, the counts of one partition); words come last, apart.
_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Sources", ("named", "anonymous", "vague")),
    ("Chain", ("first_hand", "relayed")),
    ("Quotes", ("direct", "mixed", "indirect")),
    ("Source type", ("documents", "people", "organizations", "unidentified")),
)


@dataclass(frozen=True)
class Cell:
    name: str  # the profile's field
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class ProfileView:
    """What templates read: ``pct["named"]`` (whole percent), ``rows``, the profile itself."""

    profile: SourcingProfile
    pct: dict[str, int]
    rows: list[Row]


def percents(counts: list[int]) -> list[int]:
    """Whole percentages of ``counts`` that add up to 100 (all 0 when the counts are 0)."""
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    exact = [100 * count / total for count in counts]
    whole = [int(value) for value in exact]
    # The points lost to rounding down go to the largest remainders, ties to the first.
    order = sorted(range(len(counts)), key=lambda i: (whole[i] - exact[i], i))
    for index in order[: 100 - sum(whole)]:
        whole[index] += 1
    return whole


def profile_view(profile: SourcingProfile) -> ProfileView:
    """The percentages and rows of one profile."""
    pct: dict[str, int] = {}
    rows: list[Row] = []
    for label, names in (*_ROWS, ("Words", ("attributed_words", "outlet_voice_words"))):
        counts = [getattr(profile, name) for name in names]
        values = percents(counts)
        pct.update(zip(names, values, strict=True))
        rows.append(Row(label, [_cell(profile, name, pct[name]) for name in names]))
    # Flagged framing is a part of the outlet voice, shown beside it as a share of all words.
    pct["framing_words"] = _percent(profile.framing_words, profile.words)
    rows[-1].cells.append(_cell(profile, "framing_words", pct["framing_words"]))
    return ProfileView(profile=profile, pct=pct, rows=rows)


def _cell(profile: SourcingProfile, name: str, percent: int) -> Cell:
    return Cell(name, PROFILE_LABELS[name], getattr(profile, name), percent)


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0
