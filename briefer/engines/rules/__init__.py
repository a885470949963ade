"""The deterministic ``rules`` engine: lexical attribution, outlet-voice framing, extractive BLUF.

Offline, no model, and fast enough to run over thousands of articles; it is also the engine the
model-based one is cross-checked against.
"""

from __future__ import annotations

from typing import ClassVar

from briefer.contract import Article, Flag, Span
from briefer.engines.base import Engine
from briefer.engines.drafts import Draft, DraftClaim, DraftFraming, DraftRelay, SpanRef
from briefer.engines.rules.attribution import Attribution, find_all, split_paragraphs
from briefer.engines.rules.bluf import extractive_bluf
from briefer.engines.rules.framing import detect_framing
from briefer.engines.rules.statements import statement_for


class RulesEngine(Engine):
    """Attribution and framing from cue lexicons and punctuation; no model, no network."""

    # No ``Options``: nothing to tune. ``get_engine`` drops the options meant for other
    # engines; a library caller naming this engine with one gets a ``TypeError``.
    name = "rules"
    auto_priority: ClassVar[int] = 0

    def analyze(self, article: Article) -> Draft:
        text = article.text
        # Attribution, framing and the BLUF read the same sentences: split the text once.
        split = split_paragraphs(text)
        units = [unit for _, paragraph_units in split for unit in paragraph_units]
        found, folded = find_all(text, split)
        claims = [_claim(text, item) for item in found]
        flags = [
            _unresolved(text, claim)
            for claim, item in zip(claims, found, strict=True)
            if item.unresolved
        ]
        # Vague attributions folded into another claim ("..., as some imagine") still mislead.
        framing = [
            _vague_framing(text, item)
            for item in (*found, *folded)
            if item.vague and not item.naming
        ]
        # The contents are the sources' words; their names and cues are the outlet's wording.
        spoken = [item.content for item in found]
        spoken += [item.continued for item in found if item.continued is not None]
        framing.extend(detect_framing(text, [item.hull for item in found], units, spoken))
        avoid = [(f.span.start or 0, f.span.end or 0) for f in framing if f.span.start is not None]
        return Draft(
            bluf=extractive_bluf(text, avoid=avoid, units=units),
            bluf_method="extractive",
            claims=claims,
            framing=framing,
            flags=flags,
        )


def _ref(text: str, start: int, end: int) -> SpanRef:
    return SpanRef(text=text[start:end], start=start, end=end)


def _claim(text: str, item: Attribution) -> DraftClaim:
    return DraftClaim(
        statement=statement_for(text, item),
        source_name=item.name,
        source_kind=item.kind,  # type: ignore[arg-type]
        source=_ref(text, *item.source) if item.source is not None else None,
        cue=_ref(text, *item.cue),
        content=_ref(text, *item.content),
        quote=item.quote,  # type: ignore[arg-type]
        via=list(item.via),
        relays=[
            DraftRelay(
                name=link.name,
                source=_ref(text, *link.source) if link.source is not None else None,
                cue=_ref(text, *link.cue),
                content=_ref(text, *link.content),
            )
            for link in item.relays
        ],
    )


def _unresolved(text: str, claim: DraftClaim) -> Flag:
    """The flag for a pronoun source no earlier mention could safely be tied to; its span is
    the pronoun, so a reader can find it."""
    source = claim.source
    assert source is not None and source.start is not None and source.end is not None
    return Flag(
        code="unresolved_source",
        message=(
            f"The source {source.text!r} ({claim.cue.text!r} ...) could not be tied to a named "
            f"earlier mention; it is shown as {claim.source_name}."
        ),
        span=Span.of(text, source.start, source.end),
    )


def _vague_framing(text: str, item: Attribution) -> DraftFraming:
    start = item.cue[0] if item.source is None else min(item.source[0], item.cue[0])
    end = item.cue[1] if item.source is None else max(item.source[1], item.cue[1])
    if item.source is None:
        note = (
            f"Passive attribution ({text[start:end]!r}) names no source, so the claim cannot be "
            "checked against anyone."
        )
    else:
        note = (
            f"Vague attribution: {text[start:end]!r} credits an unnamed, generic group, which "
            "lends the claim authority without a checkable source."
        )
    return DraftFraming(span=_ref(text, start, end), device="vague_attribution", note=note)


__all__ = ["RulesEngine"]
