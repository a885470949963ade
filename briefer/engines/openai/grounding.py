"""Grounding a model's answer: find what it cites inside the paragraphs it names.

The model cites a paragraph number and copies short strings (the content's first and last
words, the cue, the source phrase); these are aligned in the cited paragraph first, then its
neighbours, then the chunk. Anything that cannot be found is rejected with a reason that the
repair prompt sends back to the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from briefer.contract import Flag
from briefer.engines.drafts import DraftClaim, DraftFraming, SpanRef
from briefer.engines.openai.prompting import Paragraph
from briefer.engines.openai.response import items, validation_summary
from briefer.engines.openai.schema import LLMClaim, LLMFraming
from briefer.ground import align, excerpt

# Longer "framing passages" are the model summarising, not pointing at words.
MAX_FRAMING_WORDS = 60
# A cue is a reporting verb or a set phrase ("said", "according to", "told reporters on"); a
# longer one is the model copying the sentence into the cue (seen from a 1.5B model).
MAX_CUE_WORDS = 6
Where = tuple[int, int]
# Source names a model writes when it has none to copy.
_PLACEHOLDERS = frozenset(
    {"unnamed", "unnamed source", "unknown", "unknown source", "anonymous", "n/a", "none", "source"}
)
# kind ("claim" or "framing"), why it failed, the item as the model sent it
Failure = tuple[str, str, Any]


@dataclass
class Grounded:
    """One chunk's answer after grounding: the items kept with their offsets, the ones that
    failed, and (once the repair round is done) the chunk's flags, BLUF and notes."""

    claims: list[tuple[DraftClaim, Where]] = field(default_factory=list)
    framing: list[tuple[DraftFraming, Where]] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    bluf: str = ""
    notes: list[str] = field(default_factory=list)


def ground_answer(text: str, group: list[Paragraph], data: dict[str, Any]) -> Grounded:
    """Every claim and framing item of an answer grounded in the chunk ``group``, or failed
    with the reason the repair prompt sends back."""
    by_number = {p.number: p for p in group}
    whole = (group[0].start, group[-1].end)
    result = Grounded()
    kinds: tuple[tuple[str, str, type[BaseModel], Callable[..., Any], list[Any]], ...] = (
        ("claim", "claims", LLMClaim, ground_claim, result.claims),
        ("framing", "framing", LLMFraming, ground_framing, result.framing),
    )
    for kind, key, model, ground, kept in kinds:
        for item in items(data, key):
            try:
                parsed = model.model_validate(item)
            except ValidationError as error:
                what = "claim" if kind == "claim" else "framing item"
                why = f"not a valid {what} ({validation_summary(error)})"
                result.failed.append((kind, why, item))
                continue
            grounded = ground(text, parsed, by_number, whole)
            if isinstance(grounded, str):
                result.failed.append((kind, grounded, item))
            else:
                kept.append(grounded)
    return result


def _region(para: int, by_number: dict[int, Paragraph]) -> tuple[int, int] | None:
    paragraph = by_number.get(para)
    return (paragraph.start, paragraph.end) if paragraph else None


def find(text: str, needle: str, regions: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where ``needle`` lies in the first of ``regions`` that holds it; None if none does."""
    if not needle.strip():
        return None
    for region in regions:
        # model_construct: these refs are built here from checked values, many per article.
        found = align(text, SpanRef.model_construct(text=needle, region=region))
        if found is not None and region[0] <= found.start and found.end <= region[1]:
            return found.start, found.end
    return None


def ground_claim(
    text: str, claim: LLMClaim, by_number: dict[int, Paragraph], whole: tuple[int, int]
) -> tuple[DraftClaim, tuple[int, int]] | str:
    cited = _region(claim.para, by_number)
    # The cited paragraph first; models often cite a neighbour, and a verbatim match anywhere
    # in the chunk is still the article's own words.
    regions = [cited, whole] if cited else [whole]
    first = find(text, claim.first, regions)
    if first is None:
        return f"content start {excerpt(claim.first)!r} is not in P{claim.para}"
    holder = _holder(first[0], by_number) or (first[0], whole[1])
    end = first[1]
    if claim.last.strip():
        last = _content_end(text, claim.last, first, holder)
        if last is None:
            return f"content end {excerpt(claim.last)!r} does not follow its start in the paragraph"
        end = max(end, last)
    if cue_too_long(claim.cue):
        return (
            f"cue {excerpt(claim.cue)!r} is {len(claim.cue.split())} words; a cue is the "
            f"attribution words alone (at most {MAX_CUE_WORDS}), such as 'said' or 'according to'"
        )
    neighbourhood = _neighbourhood(first[0], by_number, whole)
    cue = find(text, claim.cue, [holder, neighbourhood]) if claim.cue.strip() else None
    if cue is None:
        return f"cue {excerpt(claim.cue)!r} is not in P{claim.para} or next to it"
    if is_the_cue(cue, (first[0], end)):
        return f"content {excerpt(text[first[0] : end])!r} is the cue itself, not what was said"
    unnamed = _unnamed_source(claim)
    if unnamed:
        return unnamed
    source_ref: SpanRef | None = None
    if claim.source.strip():
        # Near the content, or before it (a name introduced earlier): never anywhere at all.
        source = find(text, claim.source, [holder, neighbourhood, (0, first[0])])
        if source is None:
            return f"source {excerpt(claim.source)!r} is not next to the content or before it"
        source_ref = SpanRef(text=claim.source, region=source)
    draft = DraftClaim(
        statement=claim.statement,
        source_name=claim.source.strip() or "unnamed source",
        source_kind=claim.kind if claim.source.strip() else "anonymous",
        source=source_ref,
        cue=SpanRef(text=claim.cue, region=cue),
        content=SpanRef(text=text[first[0] : end], start=first[0], end=end),
        quote=claim.quote,
        via=[v for v in claim.via if v.strip()],
    )
    return draft, (first[0], end)


def ground_framing(
    text: str, item: LLMFraming, by_number: dict[int, Paragraph], whole: tuple[int, int]
) -> tuple[DraftFraming, tuple[int, int]] | str:
    if len(item.text.split()) > MAX_FRAMING_WORDS:
        return f"passage {excerpt(item.text)!r} is longer than {MAX_FRAMING_WORDS} words"
    cited = _region(item.para, by_number)
    where = find(text, item.text, [cited, whole] if cited else [whole])
    if where is None:
        return f"passage {excerpt(item.text)!r} is not in P{item.para}"
    draft = DraftFraming(
        span=SpanRef(text=item.text, region=where), device=item.device, note=item.note
    )
    return draft, where


def _unnamed_source(claim: LLMClaim) -> str:
    """A role check: a source named in the text is given as written, never as a placeholder
    ("unnamed source") or left out while its kind says someone is named."""
    source = claim.source.strip()
    if source.lower().strip(".") in _PLACEHOLDERS:
        return f"source {source!r} is a placeholder: give the source as written, or '' if none"
    if not source and claim.kind not in ("anonymous", "vague"):
        return (
            f"source is '' but kind is {claim.kind!r}: give the {claim.kind} as written, or "
            "kind 'anonymous' if the text names no one"
        )
    return ""


def cue_too_long(cue: str) -> bool:
    """A role check: a cue is the attribution words alone, not a sentence."""
    return len(cue.split()) > MAX_CUE_WORDS


def is_the_cue(cue: Where, content: Where) -> bool:
    """A role check: content that lies inside the cue is the cue, not what was said."""
    return cue[0] <= content[0] and content[1] <= cue[1]


def _content_end(text: str, last: str, first: Where, holder: Where) -> int | None:
    """Where the content ends: ``last`` after its start, or, when a model's ``last`` repeats
    words that begin before ``first`` ends, anywhere in the paragraph if it ends later."""
    found = find(text, last, [(first[0], holder[1])])
    if found is None:
        found = find(text, last, [holder])
        if found is None or found[1] <= first[1]:
            return None
    return found[1]


def _holder(offset: int, by_number: dict[int, Paragraph]) -> tuple[int, int] | None:
    for paragraph in by_number.values():
        if paragraph.start <= offset < paragraph.end:
            return paragraph.start, paragraph.end
    return None


def _neighbourhood(
    offset: int, by_number: dict[int, Paragraph], whole: tuple[int, int]
) -> tuple[int, int]:
    """The paragraph holding ``offset`` with its neighbours: where a cue may stand."""
    ordered = sorted(by_number.values(), key=lambda p: p.start)
    for index, paragraph in enumerate(ordered):
        if paragraph.start <= offset < paragraph.end:
            lo = ordered[max(0, index - 1)].start
            hi = ordered[min(len(ordered) - 1, index + 1)].end
            return lo, hi
    return whole
