"""The digest's data model (pydantic): what ``build_digest`` returns and the templates read."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from briefer.contract import Briefing, SourcingProfile


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DigestItem(_Model):
    """One briefed item going into a digest (what the run hands to ``build_digest``)."""

    item_id: str
    briefing: Briefing
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: datetime | None = None


class DigestClaim(_Model):
    statement: str
    source: str
    source_kind: str
    quote: str
    text: str
    corroborated_by: list[str] = Field(default_factory=list)


class DigestFraming(_Model):
    device: str
    text: str
    note: str


class Syndicated(_Model):
    outlet: str
    title: str
    url: str | None = None
    similarity: float


class DigestArticle(_Model):
    item_id: str
    title: str
    outlet: str
    url: str | None = None
    published: datetime | None = None
    bluf: str
    claims: list[DigestClaim] = Field(default_factory=list)
    claim_count: int = 0
    framing: list[DigestFraming] = Field(default_factory=list)
    framing_count: int = 0
    corroborated_count: int = 0
    also_in: list[Syndicated] = Field(default_factory=list)
    engine: str = ""
    flags: int = 0
    detail: bool = True


class OutletFraming(_Model):
    outlet: str
    title: str
    url: str | None = None
    framing: list[DigestFraming] = Field(default_factory=list)
    framing_count: int = 0


class CorroboratedClaim(_Model):
    source: str
    text: str  # the claim's content, in the words of the first article carrying it
    outlets: list[str]


class Story(_Model):
    id: str
    headline: str
    outlets: list[str]
    articles: list[DigestArticle]
    framing_by_outlet: list[OutletFraming] = Field(default_factory=list)
    corroborated: list[CorroboratedClaim] = Field(default_factory=list)
    latest: datetime | None = None


class InventorySource(_Model):
    name: str
    kind: str
    outlets: list[str]
    claim_count: int
    article_count: int


class OutletSourcing(_Model):
    """One outlet's sourcing over its briefings in the digest: counts summed, then shares."""

    outlet: str
    articles: int
    profile: SourcingProfile


class DigestFailure(_Model):
    source: str
    item: str | None = None
    reason: str


class KeyPoint(_Model):
    story_id: str
    headline: str
    text: str
    outlet_count: int
    # Independent reports (syndicated copies of one report count once).
    reports: int
    corroborated_count: int


class DigestCounts(_Model):
    articles: int
    outlets: int
    failures: int
    duplicates_merged: int
    stories: int
    multi_outlet_stories: int
    claims: int
    framing: int
    corroborated: int


class Omitted(_Model):
    """Articles whose detail was cut to keep the email small, summarised by counts."""

    articles: int
    outlets: int
    claims: int
    framing: int
    by_outlet: list[tuple[str, int]] = Field(default_factory=list)


class Digest(_Model):
    title: str
    generated_at: datetime
    window_start: datetime | None
    window_end: datetime
    engine: str
    counts: DigestCounts
    key_points: list[KeyPoint]
    stories: list[Story]
    inventory: list[InventorySource]
    failures: list[DigestFailure]
    sourcing: list[OutletSourcing] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    omitted: Omitted | None = None
