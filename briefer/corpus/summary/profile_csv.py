"""``--profile-csv``: per-outlet sourcing figures over a batch output, as one CSV file.

Read from OUT itself (every line, from this run and earlier ones), from each briefing's
``profile`` (``contract.SourcingProfile``). Shares are pooled: an outlet's named share is its
named claims over all its claims, not the mean of per-article shares, so a long article
weighs more than a short one, as it does for a reader. A briefing without a profile (written
before profiles existed) counts as an article but adds no claims or words.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefer.contract import share
from briefer.deliver.files import write_atomic

UNKNOWN_OUTLET = "(unknown)"
ALL_OUTLETS = "(all outlets)"
COLUMNS = (
    "outlet",
    "articles",
    "claims",
    "claims_per_article",
    "named_share",
    "anonymous_share",
    "vague_share",
    "relayed_share",
    "framing_items",
    "words",
    "framing_per_1000_words",
)
# A spreadsheet runs a cell that starts like a formula; an outlet name is the article's data.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class OutletFigures:
    articles: int = 0
    claims: int = 0
    named: int = 0
    anonymous: int = 0
    vague: int = 0
    relayed: int = 0
    framing: int = 0
    words: int = 0

    def add(self, briefing: dict[str, Any]) -> None:
        self.articles += 1
        self.framing += len(briefing.get("framing") or ())
        profile = briefing.get("profile")
        if not profile:
            return
        self.claims += profile["claims"]
        self.named += profile["named"]
        self.anonymous += profile["anonymous"]
        self.vague += profile["vague"]
        self.relayed += profile["relayed"]
        self.words += profile["words"]

    def merge(self, other: OutletFigures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self, outlet: str) -> list[str | int | float]:
        per_article = round(self.claims / self.articles, 2) if self.articles else 0.0
        per_thousand = round(1000 * self.framing / self.words, 2) if self.words else 0.0
        return [
            _cell(outlet),
            self.articles,
            self.claims,
            per_article,
            share(self.named, self.claims),
            share(self.anonymous, self.claims),
            share(self.vague, self.claims),
            share(self.relayed, self.claims),
            self.framing,
            self.words,
            per_thousand,
        ]


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def outlet_figures(lines: Iterable[bytes | str]) -> dict[str, OutletFigures]:
    """Figures per outlet over briefing JSON lines (blank lines ignored)."""
    figures: dict[str, OutletFigures] = {}
    for line in lines:
        if not line.strip():
            continue
        briefing = json.loads(line)
        outlet = (briefing.get("article") or {}).get("outlet") or UNKNOWN_OUTLET
        figures.setdefault(outlet, OutletFigures()).add(briefing)
    return figures


def profile_csv(figures: dict[str, OutletFigures]) -> str:
    """The CSV text: one row per outlet (by name), then the corpus as a whole."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    total = OutletFigures()
    for outlet in sorted(figures, key=str.casefold):
        writer.writerow(figures[outlet].row(outlet))
        total.merge(figures[outlet])
    writer.writerow(total.row(ALL_OUTLETS))
    return buffer.getvalue()


def write_profile_csv(output: Path, target: Path) -> int:
    """Write the CSV of ``output``'s briefings to ``target`` atomically; the number of outlets."""
    with output.open("rb") as lines:
        figures = outlet_figures(lines)
    write_atomic(target, profile_csv(figures))
    return len(figures)
