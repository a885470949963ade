"""Engine drafts: what an engine hands to grounding, before it becomes a Briefing.

Grounding (``briefer.ground``, ``briefer.engines.openai.grounding``) aligns each ``SpanRef``
to offsets in the article and ``briefer.pipeline`` assembles the result into a
``briefer.contract.Briefing``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from briefer.contract import Device, Flag, QuoteStyle, SourceKind
from briefer.ground import SpanRef


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftRelay(_Strict):
    name: str
    source: SpanRef | None = None
    cue: SpanRef
    content: SpanRef


class DraftClaim(_Strict):
    statement: str
    source_name: str
    source_kind: SourceKind
    source: SpanRef | None = None
    cue: SpanRef
    content: SpanRef
    quote: QuoteStyle = "indirect"
    via: list[str] = Field(default_factory=list)
    relays: list[DraftRelay] = Field(default_factory=list)


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
