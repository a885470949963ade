"""Data that crosses pipeline stages: the article, engine drafts, and the Briefing contract.

The Briefing models mirror the JSON contract in DESIGN.md ("schema_version" 1). Offsets are
Python ``str`` indices into ``article.text``, ``[start, end)``.
"""

from __future__ import annotations

import hashlib
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
        from briefer.validate import semantic_errors

        errors = semantic_errors(self)
        if errors:
            raise ValueError("; ".join(errors))
        return self


# ---- engine drafts: what an engine hands to grounding ---------------------------------------


class SpanRef(_Strict):
    """A span as an engine sees it: the text, and where to look for it.

    Engines that know offsets (the rules engine) give ``start``/``end``; model-based engines give
    the text and a ``region`` (e.g. the referenced paragraph) that grounding searches.
    """

    text: str
    start: int | None = None
    end: int | None = None
    region: tuple[int, int] | None = None


class DraftClaim(_Strict):
    statement: str
    source_name: str
    source_kind: SourceKind
    source: SpanRef | None = None
    cue: SpanRef
    content: SpanRef
    quote: QuoteStyle = "indirect"
    via: list[str] = Field(default_factory=list)


class DraftFraming(_Strict):
    span: SpanRef
    device: Device
    note: str


class Draft(_Strict):
    """An engine's result before grounding and validation."""

    bluf: str = ""
    bluf_method: Literal["extractive", "abstractive"] = "extractive"
    claims: list[DraftClaim] = Field(default_factory=list)
    framing: list[DraftFraming] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    model: str | None = None
    prompt_version: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cached: bool = False
    cost_usd: float | None = None
    warnings: list[str] = Field(default_factory=list)
