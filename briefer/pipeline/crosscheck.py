"""The cross-check step: a model engine's draft against the rules engine's draft of the same
article, for engines that ask for it (``Engine.crosscheck``).

Two disagreements are flagged (never silently fixed): an outlet-framing item that contains an
attribution cue the rules engine found (it may really be a claim), and a claim with no rules cue
near its content (the attribution may be invented).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from briefer.contract import Article, Flag, Span
from briefer.engines import Engine, get_engine
from briefer.engines.drafts import Draft
from briefer.ground import align, excerpt

log = logging.getLogger(__name__)
# How far (characters) a cue may sit from a claim's content and still count as "near".
NEAR = 160
SKIPPED = "cross-check with the rules engine skipped: it is unavailable"


@dataclass(frozen=True)
class Item:
    """A grounded model item: its kind, a label for messages, and its offsets."""

    kind: str  # "claim" | "framing"
    label: str
    start: int
    end: int
    device: str | None = None


def check(article: Article, draft: Draft, rules: Draft | None) -> Draft:
    """``draft`` with a flag for each disagreement with ``rules`` (the rules engine's draft),
    or with a warning that the check was skipped when there is none."""
    if rules is None:
        return draft.model_copy(update={"warnings": [*draft.warnings, SKIPPED]})
    found = disagreements(article.text, items(article.text, draft), cues(article.text, rules))
    return draft.model_copy(update={"flags": [*draft.flags, *found]}) if found else draft


def rules_draft(article: Article) -> Draft | None:
    """The rules engine's draft of ``article``; None if that engine is unavailable."""
    try:
        return _rules_engine().analyze(article)
    except Exception as exc:  # another engine's bug must not break this one's briefing
        log.info("cross-check skipped: rules engine unavailable (%s)", exc)
        return None


@functools.cache
def _rules_engine() -> Engine:
    """The rules engine, looked up once: the registry scans entry points (~3 ms, more than
    the rules analysis itself) and the engine keeps no state between articles. A failed
    lookup is not cached, so it is retried."""
    return get_engine("rules")


def cues(text: str, rules: Draft) -> list[tuple[int, int]]:
    """Offsets of every attribution cue in the rules engine's draft."""
    found: list[tuple[int, int]] = []
    for claim in rules.claims:
        aligned = align(text, claim.cue)
        if aligned is not None:
            found.append((aligned.start, aligned.end))
    return found


def items(text: str, draft: Draft) -> list[Item]:
    """The draft's claims (by content) and framing items where they align in ``text``; an
    item that does not align is dropped by assembly anyway."""
    found: list[Item] = []
    for claim in draft.claims:
        where = align(text, claim.content)
        if where is not None:
            found.append(Item("claim", f"by {claim.source_name!r}", where.start, where.end))
    for framing in draft.framing:
        where = align(text, framing.span)
        if where is not None:
            label = repr(excerpt(framing.span.text))
            found.append(Item("framing", label, where.start, where.end, device=framing.device))
    return found


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
