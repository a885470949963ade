"""The Briefing contract: the JSON a briefing is, and the checks every Briefing passes.

``Briefing`` is the stable output: ``briefing.model_dump_json()`` is the JSON contract
("schema_version" 1, see README.md and docs/output-formats.md), and it round-trips through
``Briefing.model_validate_json``. Besides the pydantic types, a Briefing is checked
semantically on construction (``semantic_errors``): every span slices ``article.text``, ids are
unique, every claim has a source and is listed under one. Offsets are Python ``str`` indices
into ``article.text``, ``[start, end)``.

The engine-side drafts that grounding turns into a Briefing live in ``briefer.engines.drafts``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1"

SourceKind = Literal[
    "official",
    "institution",
    "media",
    "document",
    "person",
    "group",
    "anonymous",
    "vague",
    "outlet",
]
SOURCE_KINDS: tuple[str, ...] = SourceKind.__args__  # type: ignore[attr-defined]

Device = Literal[
    "unattributed_assertion",
    "loaded_language",
    "vague_attribution",
    "speculation",
    "assertive_heading",
    "rhetorical_question",
    "scare_quotes",
    "other",
]
DEVICES: tuple[str, ...] = Device.__args__  # type: ignore[attr-defined]

QuoteStyle = Literal["direct", "indirect", "mixed"]
Alignment = Literal["exact", "fuzzy"]
# Finer than the contract's "exact"|"fuzzy": how grounding found the span.
MatchKind = Literal["exact", "normalized", "fuzzy"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Article(_Strict):
    """An ingested article; ``text`` is the analysed body every offset points into."""

    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    sha256: str = ""

    @model_validator(mode="after")
    def _fill_hash(self) -> Article:
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        if not self.sha256:
            self.sha256 = digest
        elif self.sha256 != digest:
            raise ValueError("article.sha256 does not match article.text")
        return self


class Span(_Strict):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before start {self.start}")
        return self

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start=start, end=end, text=text[start:end])

    def slices(self, text: str) -> bool:
        """Whether this span is really ``text[start:end]``."""
        return self.end <= len(text) and text[self.start : self.end] == self.text


class ClaimSource(_Strict):
    name: str
    kind: SourceKind
    span: Span | None = None


class Claim(_Strict):
    id: str
    statement: str
    source: ClaimSource
    cue: Span
    content: Span
    quote: QuoteStyle
    via: list[str] = Field(default_factory=list)
    alignment: Alignment = "exact"
    match: MatchKind = "exact"


class Framing(_Strict):
    id: str
    span: Span
    device: Device
    note: str
    alignment: Alignment = "exact"
    match: MatchKind = "exact"


class SourceEntry(_Strict):
    name: str
    kind: SourceKind
    claim_ids: list[str] = Field(default_factory=list)


class Flag(_Strict):
    code: str
    message: str
    span: Span | None = None


class Provenance(_Strict):
    engine: str
    model: str | None = None
    prompt_version: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cached: bool = False
    created_at: str
    warnings: list[str] = Field(default_factory=list)
    bluf_method: Literal["extractive", "abstractive"] = "extractive"
    briefer_version: str = ""
    cost_usd: float | None = None


class Briefing(_Strict):
    schema_version: Literal["1"] = SCHEMA_VERSION
    article: Article
    bluf: str
    claims: list[Claim] = Field(default_factory=list)
    framing: list[Framing] = Field(default_factory=list)
    sources: list[SourceEntry] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    provenance: Provenance

    @model_validator(mode="after")
    def _semantics(self) -> Briefing:
        errors = semantic_errors(self)
        if errors:
            raise ValueError("; ".join(errors))
        return self


# ---- semantic checks: what pydantic types cannot say ----------------------------------------


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
