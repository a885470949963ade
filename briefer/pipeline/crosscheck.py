"""Cross-check a model's items against the deterministic rules engine on the same article.

Two disagreements are flagged (never silently fixed): an outlet-framing item that contains an
attribution cue the rules engine found (it may really be a claim), and a claim with no rules cue
near its content (the attribution may be invented).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from briefer.contract import Article, Flag, Span
from briefer.engines.base import Engine
from briefer.ground import align

log = logging.getLogger(__name__)
# How far (characters) a cue may sit from a claim's content and still count as "near".
NEAR = 160


@dataclass(frozen=True)
class Item:
    """A grounded model item: its kind, a label for messages, and its offsets."""

    kind: str  # "claim" | "framing"
    label: str
    start: int
    end: int
    device: str | None = None


def rules_cues(article: Article) -> list[tuple[int, int]] | None:
    """Offsets of every attribution cue the rules engine finds; None if it is unavailable."""
    try:
        draft = _rules_engine().analyze(article)
    except Exception as exc:  # another engine's bug must not break this one's briefing
        log.info("cross-check skipped: rules engine unavailable (%s)", exc)
        return None
    found: list[tuple[int, int]] = []
    for claim in draft.claims:
        aligned = align(article.text, claim.cue)
        if aligned is not None:
            found.append((aligned.start, aligned.end))
    return found


@functools.cache
def _rules_engine() -> Engine:
    """The rules engine, looked up once: the registry scans entry points (~3 ms, more than
    the rules analysis itself) and the engine keeps no state between articles. A failed
    lookup is not cached, so it is retried."""
    from briefer.engines import get_engine

    return get_engine("rules")


def disagreements(text: str, items: list[Item], cues: list[tuple[int, int]]) -> list[Flag]:
    flags: list[Flag] = []
    for item in items:
        if item.kind == "framing":
            if item.device == "vague_attribution":
                continue  # a vague attribution holds a cue by definition ("experts believe")
            inside = [c for c in cues if item.start <= c[0] and c[1] <= item.end]
            if inside:
                cue = text[inside[0][0] : inside[0][1]]
                flags.append(
                    Flag(
                        code="crosscheck_framing_has_cue",
                        message=f"framing item {item.label} contains the attribution cue "
                        f"{cue!r} (rules engine): it may be an attributed claim",
                        span=Span.of(text, item.start, item.end),
                    )
                )
        elif not any(_distance((item.start, item.end), c) <= NEAR for c in cues):
            flags.append(
                Flag(
                    code="crosscheck_claim_without_cue",
                    message=f"claim {item.label} has no attribution cue near it (rules engine): "
                    "check that the source really says this",
                    span=Span.of(text, item.start, item.end),
                )
            )
    return flags


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] < b[0]:
        return b[0] - a[1]
    if b[1] < a[0]:
        return a[0] - b[1]
    return 0
