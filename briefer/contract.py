"""The Briefing contract: the JSON a briefing is, and the checks every Briefing passes.

``Briefing`` is the stable output: ``briefing.model_dump_json()`` is the JSON contract
("schema_version" 1, see README.md and docs/output-formats.md), and it round-trips through
``Briefing.model_validate_json``. Besides the pydantic types, a Briefing is checked
semantically on construction (``semantic_errors``): every span slices ``article.text``, ids are
unique, every claim has a source and is listed under one, a claim's ``source_id`` names an
entry that lists it. Offsets are Python ``str`` indices into ``article.text``, ``[start, end)``.

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
    """An ingested article; ``text`` is the analysed body every offset points into.

    ``id`` is additive: the caller's identifier for the article (``briefer batch`` keeps each
    input's id there); briefings of single articles have none.
    """

    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    sha256: str = ""
    id: str | None = None

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


class Relay(_Strict):
    """One link of a claim's ``via`` chain as written: who relayed it, the relaying cue
    ("According to"), and the whole relayed stretch ("the UN report reveals that C")."""

    name: str
    source: Span | None = None
    cue: Span
    content: Span


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
    # Additive: the ``sources`` entry (entity) this claim's source belongs to.
    source_id: str | None = None
    # Additive: ``via`` as spans, outermost first, where the engine can point at them.
    relays: list[Relay] = Field(default_factory=list)


class Framing(_Strict):
    id: str
    span: Span
    device: Device
    note: str
    alignment: Alignment = "exact"
    match: MatchKind = "exact"


class SourceEntry(_Strict):
    """One source entity: every mention of the same source in the article.

    ``id``, ``mentions`` (the claims' source spans, in text order) and ``members`` (people
    belonging to the source, such as a report's writers) are additive: older briefings have
    one entry per source name and none of them.
    """

    name: str
    kind: SourceKind
    claim_ids: list[str] = Field(default_factory=list)
    id: str = ""
    mentions: list[Span] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list)


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


class SourcingProfile(_Strict):
    """How a briefing's claims are sourced, and how much of the article is attributed.

    Counts and shares (fractions 0..1, rounded to 4 places) are both given so that a reader can
    check the sums (``profile_errors``). Kinds "anonymous" and "vague" are their own; every
    other kind is named. Documents are kind "document"; people "person" and "official";
    organizations "institution", "media", "group" and "outlet"; unidentified "anonymous" and
    "vague". A claim with a non-empty ``via`` is relayed, else first-hand. A word is attributed
    when it overlaps the content, cue or source span of a claim whose source is not the outlet
    itself (overlapping claims count once), else outlet voice; ``framing_words`` are the
    outlet-voice words inside a framing span.
    """

    claims: int = Field(0, ge=0)
    named: int = Field(0, ge=0)
    anonymous: int = Field(0, ge=0)
    vague: int = Field(0, ge=0)
    first_hand: int = Field(0, ge=0)
    relayed: int = Field(0, ge=0)
    direct: int = Field(0, ge=0)
    mixed: int = Field(0, ge=0)
    indirect: int = Field(0, ge=0)
    documents: int = Field(0, ge=0)
    people: int = Field(0, ge=0)
    organizations: int = Field(0, ge=0)
    unidentified: int = Field(0, ge=0)
    words: int = Field(0, ge=0)
    attributed_words: int = Field(0, ge=0)
    outlet_voice_words: int = Field(0, ge=0)
    framing_words: int = Field(0, ge=0)
    named_share: float = Field(0.0, ge=0, le=1)
    anonymous_share: float = Field(0.0, ge=0, le=1)
    vague_share: float = Field(0.0, ge=0, le=1)
    first_hand_share: float = Field(0.0, ge=0, le=1)
    relayed_share: float = Field(0.0, ge=0, le=1)
    direct_share: float = Field(0.0, ge=0, le=1)
    mixed_share: float = Field(0.0, ge=0, le=1)
    indirect_share: float = Field(0.0, ge=0, le=1)
    documents_share: float = Field(0.0, ge=0, le=1)
    people_share: float = Field(0.0, ge=0, le=1)
    organizations_share: float = Field(0.0, ge=0, le=1)
    unidentified_share: float = Field(0.0, ge=0, le=1)
    attributed_share: float = Field(0.0, ge=0, le=1)
    outlet_voice_share: float = Field(0.0, ge=0, le=1)
    framing_share: float = Field(0.0, ge=0, le=1)

    @model_validator(mode="after")
    def _sums(self) -> SourcingProfile:
        errors = profile_errors(self)
        if errors:
            raise ValueError("; ".join(errors))
        return self


# Each partition's counts add up to its total; each count has a share of that total.
PROFILE_PARTITIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("claims", ("named", "anonymous", "vague")),
    ("claims", ("first_hand", "relayed")),
    ("claims", ("direct", "mixed", "indirect")),
    ("claims", ("documents", "people", "organizations", "unidentified")),
    ("words", ("attributed_words", "outlet_voice_words")),
)
SHARE_DIGITS = 4
# share field -> (count field, total field)
PROFILE_SHARES: dict[str, tuple[str, str]] = {
    f"{part.removesuffix('_words')}_share": (part, total)
    for total, parts in PROFILE_PARTITIONS
    for part in parts
} | {"framing_share": ("framing_words", "words")}


def share(count: int, total: int) -> float:
    """``count / total`` rounded to SHARE_DIGITS places; 0.0 when the total is 0."""
    return round(count / total, SHARE_DIGITS) if total else 0.0


def profile_errors(profile: SourcingProfile) -> list[str]:
    """What does not add up in a profile: a partition off its total, a share off its count."""
    errors: list[str] = []
    for total, parts in PROFILE_PARTITIONS:
        if sum(getattr(profile, part) for part in parts) != getattr(profile, total):
            errors.append(f"profile: {' + '.join(parts)} is not {total}")
    if profile.framing_words > profile.outlet_voice_words:
        errors.append("profile: framing_words exceed outlet_voice_words")
    for name, (count, total) in PROFILE_SHARES.items():
        expected = share(getattr(profile, count), getattr(profile, total))
        # Half a unit in the last place: room for a float written by another language.
        if abs(getattr(profile, name) - expected) > 0.5 * 10**-SHARE_DIGITS + 1e-12:
            errors.append(f"profile: {name} is not {count} / {total} ({expected})")
    return errors


class Briefing(_Strict):
    schema_version: Literal["1"] = SCHEMA_VERSION
    article: Article
    bluf: str
    claims: list[Claim] = Field(default_factory=list)
    framing: list[Framing] = Field(default_factory=list)
    sources: list[SourceEntry] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    provenance: Provenance
    # Additive (schema_version stays "1"): briefings written before it have none.
    profile: SourcingProfile | None = None

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
        for relay in claim.relays:
            if relay.source is not None:
                yield f"claim {claim.id} relay source", relay.source
            yield f"claim {claim.id} relay cue", relay.cue
            yield f"claim {claim.id} relay content", relay.content
    for item in briefing.framing:
        yield f"framing {item.id}", item.span
    for flag in briefing.flags:
        if flag.span is not None:
            yield f"flag {flag.code}", flag.span
    for source in briefing.sources:
        for span in source.mentions:
            yield f"source {source.id or source.name!r} mention", span


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
    errors += _source_id_errors(briefing)
    if briefing.profile is not None and briefing.profile.claims != len(briefing.claims):
        errors.append(
            f"profile counts {briefing.profile.claims} claims, "
            f"the briefing has {len(briefing.claims)}"
        )
    return errors


def _source_id_errors(briefing: Briefing) -> list[str]:
    """Source ids are unique, and a claim's ``source_id`` names an entry that lists it."""
    errors: list[str] = []
    by_id: dict[str, SourceEntry] = {}
    for source in briefing.sources:
        if source.id and source.id in by_id:
            errors.append(f"source id {source.id!r} is used more than once")
        by_id.setdefault(source.id, source)
    for claim in briefing.claims:
        if claim.source_id is None:
            continue
        entry = by_id.get(claim.source_id) if claim.source_id else None
        if entry is None:
            errors.append(f"claim {claim.id} names unknown source {claim.source_id!r}")
        elif claim.id not in entry.claim_ids:
            errors.append(f"claim {claim.id}: source {claim.source_id!r} does not list it")
    return errors
