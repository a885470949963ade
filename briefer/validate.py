"""Semantic checks on a Briefing beyond what pydantic types can say."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer.models import Briefing, Span


def _spans(briefing: Briefing) -> Iterator[tuple[str, Span]]:
    for claim in briefing.claims:
        if claim.source.span is not None:
            yield f"claim {claim.id} source", claim.source.span
        yield f"claim {claim.id} cue", claim.cue
        yield f"claim {claim.id} content", claim.content
    for item in briefing.framing:
        yield f"framing {item.id}", item.span
    for flag in briefing.flags:
        if flag.span is not None:
            yield f"flag {flag.code}", flag.span


def semantic_errors(briefing: Briefing) -> list[str]:
    """Every problem found, as short messages; an empty list means valid."""
    errors: list[str] = []
    text = briefing.article.text
    for where, span in _spans(briefing):
        if span.end > len(text):
            errors.append(f"{where}: span [{span.start}, {span.end}) is past the end of the text")
        elif text[span.start : span.end] != span.text:
            errors.append(f"{where}: span [{span.start}, {span.end}) does not slice its text")
        elif span.start == span.end and where.endswith(("cue", "content")):
            errors.append(f"{where}: span is empty")

    ids = [c.id for c in briefing.claims] + [f.id for f in briefing.framing]
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            errors.append(f"id {item_id!r} is used more than once")
        seen.add(item_id)

    claim_ids = {c.id for c in briefing.claims}
    for claim in briefing.claims:
        if not claim.source.name.strip():
            errors.append(f"claim {claim.id} has no source")
    listed: set[str] = set()
    for source in briefing.sources:
        for claim_id in source.claim_ids:
            if claim_id not in claim_ids:
                errors.append(f"source {source.name!r} lists unknown claim {claim_id!r}")
            listed.add(claim_id)
    for missing in sorted(claim_ids - listed):
        errors.append(f"claim {missing} is not listed under any source")
    return errors
