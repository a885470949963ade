"""The view every template receives: claims grouped by source, framing, the article's pieces.

Templates hold layout, not logic; what they need to decide is computed here. A span is shown
as evidence only when it really slices the article text. Each source entity gets a colour key
(``sk0`` ... ``sk7``, by its place in ``sources``) that tints every mention of it in the HTML.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from briefer._version import __version__
from briefer.contract import Briefing, Claim, Framing, SourceEntry, Span
from briefer.pipeline.profile import profile_of
from briefer.render.highlight import Block, Mark, Ref, article_blocks
from briefer.render.labels import DEVICE_LABELS, KIND_LABELS, LAYER_LABELS, QUOTE_LABELS
from briefer.render.sourcing import ProfileView, profile_view

# Colour keys for source entities (classes sk0..sk7 in briefing.css); past eight they repeat,
# and the key's label (the entity id) still tells two sources apart.
SOURCE_KEYS = 8


@dataclass(frozen=True)
class ClaimView:
    claim: Claim
    content: Span | None
    cue: Span | None
    source_span: Span | None
    via: list[str]
    # The source entity (its id in ``sources``) and its colour key, when the claim has one.
    source_id: str = ""
    key: str = ""

    @property
    def quote_label(self) -> str:
        return QUOTE_LABELS.get(self.claim.quote, self.claim.quote)

    @property
    def fuzzy(self) -> bool:
        return self.claim.alignment == "fuzzy"


@dataclass
class SourceGroup:
    name: str
    kind: str
    kind_label: str
    claims: list[ClaimView]
    # The attribution chain when every claim of the group shares it; otherwise per claim.
    via: list[str] = field(default_factory=list)
    source_id: str = ""
    key: str = ""


@dataclass(frozen=True)
class SourceRow:
    """One source entity as the sources table shows it, with the words of its mentions."""

    id: str
    name: str
    kind_label: str
    mentions: int
    members: list[str]
    claim_ids: list[str]
    key: str = ""
    mention_texts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FramingView:
    framing: Framing
    span: Span | None

    @property
    def device_label(self) -> str:
        return DEVICE_LABELS.get(self.framing.device, self.framing.device)

    @property
    def fuzzy(self) -> bool:
        return self.framing.alignment == "fuzzy"


@dataclass
class View:
    briefing: Briefing
    groups: list[SourceGroup]
    claims: list[ClaimView]
    framing: list[FramingView]
    blocks: list[Block]
    layers: dict[str, str]
    version: str
    profile: ProfileView
    sources: list[SourceRow] = field(default_factory=list)


@dataclass(frozen=True)
class _Entity:
    """A source entity as the page refers to it: a stable id and its colour key."""

    id: str
    key: str
    entry: SourceEntry


def build_view(briefing: Briefing, *, with_article: bool = False) -> View:
    """What every template receives as ``view`` (the article segments only when needed)."""
    entities = _entities(briefing)
    claims = _claim_views(briefing, entities)
    framing = _framing_views(briefing)
    blocks: list[Block] = []
    if with_article:
        text = briefing.article.text
        marks = _marks(claims, framing) + _mention_marks(briefing, entities, claims)
        blocks = article_blocks(text, marks, _refs(claims, framing))
    return View(
        briefing=briefing,
        groups=_groups(claims, entities),
        claims=claims,
        framing=framing,
        blocks=blocks,
        layers=LAYER_LABELS,
        version=__version__,
        profile=profile_view(profile_of(briefing)),
        sources=_source_rows(briefing, entities),
    )


def _entities(briefing: Briefing) -> list[_Entity]:
    """Every ``sources`` entry with an id (an older briefing's entries get ``s1``, ``s2``...)."""
    taken = {entry.id for entry in briefing.sources if entry.id}
    found: list[_Entity] = []
    for index, entry in enumerate(briefing.sources):
        made = entry.id or f"s{index + 1}"
        while not entry.id and made in taken:  # never the id of another entry
            made += "x"
        taken.add(made)
        found.append(_Entity(made, f"sk{index % SOURCE_KEYS}", entry))
    return found


def _source_rows(briefing: Briefing, entities: list[_Entity]) -> list[SourceRow]:
    """One row per entity. An entry from before entities has no mentions listed: its
    claims' source spans are counted instead."""
    text = briefing.article.text
    spans = {c.id: c.source.span for c in briefing.claims}
    rows: list[SourceRow] = []
    for entity in entities:
        entry = entity.entry
        found = {(s.start, s.end): s for i in entry.claim_ids if (s := spans.get(i)) is not None}
        listed = entry.mentions or [found[key] for key in sorted(found)]
        words = [s.text for s in listed if _grounded(s, text) is not None]
        rows.append(
            SourceRow(
                id=entity.id,
                name=entry.name,
                kind_label=KIND_LABELS.get(entry.kind, entry.kind),
                mentions=len(entry.mentions) if entry.mentions else len(found),
                members=list(entry.members),
                claim_ids=list(entry.claim_ids),
                key=entity.key,
                mention_texts=list(dict.fromkeys(" ".join(w.split()) for w in words)),
            )
        )
    return rows


def _grounded(span: Span | None, text: str) -> Span | None:
    """The span if it really slices the article; anything else is never shown as evidence."""
    if span is None or span.start >= span.end or not span.slices(text):
        return None
    return span


def _claim_views(briefing: Briefing, entities: list[_Entity]) -> list[ClaimView]:
    text = briefing.article.text
    by_id = {entity.id: entity for entity in entities}
    listed: dict[str, _Entity] = {}
    for entity in entities:
        for claim_id in entity.entry.claim_ids:
            listed.setdefault(claim_id, entity)
    views: list[ClaimView] = []
    for claim in briefing.claims:
        entity = by_id.get(claim.source_id or "") or listed.get(claim.id)
        views.append(
            ClaimView(
                claim=claim,
                content=_grounded(claim.content, text),
                cue=_grounded(claim.cue, text),
                source_span=_grounded(claim.source.span, text),
                via=list(claim.via),
                source_id=entity.id if entity else "",
                key=entity.key if entity else "",
            )
        )
    return views


def _groups(claims: list[ClaimView], entities: list[_Entity]) -> list[SourceGroup]:
    by_id = {view.claim.id: view for view in claims}
    groups: list[SourceGroup] = []
    placed: set[str] = set()
    for entity in entities:
        entry = entity.entry
        members = [by_id[i] for i in entry.claim_ids if i in by_id and i not in placed]
        placed.update(view.claim.id for view in members)
        groups.append(_group(entry.name, entry.kind, members, entity))
    # A hand-built briefing may skip the inventory; group the rest by their own source.
    leftovers: dict[tuple[str, str], list[ClaimView]] = {}
    for view in claims:
        if view.claim.id not in placed:
            key = (view.claim.source.name, view.claim.source.kind)
            leftovers.setdefault(key, []).append(view)
    groups.extend(_group(name, kind, members) for (name, kind), members in leftovers.items())
    return groups


def _group(
    name: str, kind: str, members: list[ClaimView], entity: _Entity | None = None
) -> SourceGroup:
    chains = {tuple(view.via) for view in members}
    shared = list(chains.pop()) if len(chains) == 1 else []
    if shared:
        # The group header shows the shared chain once.
        members = [dataclasses.replace(view, via=[]) for view in members]
    source_id, key = (entity.id, entity.key) if entity else ("", "")
    return SourceGroup(name, kind, KIND_LABELS.get(kind, kind), members, shared, source_id, key)


def _framing_views(briefing: Briefing) -> list[FramingView]:
    text = briefing.article.text
    return [FramingView(item, _grounded(item.span, text)) for item in briefing.framing]


def _marks(claims: list[ClaimView], framing: list[FramingView]) -> list[Mark]:
    marks: list[Mark] = []
    for view in claims:
        claim = view.claim
        who = f"{claim.id}: {claim.source.name}"
        for layer, span in (("content", view.content), ("cue", view.cue)):
            if span is not None:
                label = f"{who} ({LAYER_LABELS[layer]})"
                marks.append(Mark(layer, claim.id, label, span.start, span.end))
        if view.source_span is not None:
            span = view.source_span
            label = f"{who} (source phrase)"
            marks.append(
                Mark("source", claim.id, label, span.start, span.end, view.source_id, view.key)
            )
    for item in framing:
        if item.span is not None:
            label = f"{item.framing.id}: outlet framing, {item.device_label.lower()}"
            marks.append(Mark("framing", item.framing.id, label, item.span.start, item.span.end))
    return marks


def _mention_marks(
    briefing: Briefing, entities: list[_Entity], claims: list[ClaimView]
) -> list[Mark]:
    """A source phrase for each mention no claim's source span already marks (a mention
    with no claim of its own links to its entity's first claim)."""
    text = briefing.article.text
    marked = {(v.source_span.start, v.source_span.end) for v in claims if v.source_span}
    marks: list[Mark] = []
    for entity in entities:
        entry = entity.entry
        if not entry.claim_ids:
            continue
        for span in entry.mentions:
            if _grounded(span, text) is None or (span.start, span.end) in marked:
                continue
            label = f"{entity.id}: {entry.name} (mention)"
            first = entry.claim_ids[0]
            marks.append(Mark("source", first, label, span.start, span.end, entity.id, entity.key))
    return marks


def _refs(claims: list[ClaimView], framing: list[FramingView]) -> list[Ref]:
    """One link per item, where its main span starts (a claim's content), outer spans first."""
    refs = [
        Ref(
            v.content.start, v.content.end, v.claim.id, f"claim {v.claim.id}: {v.claim.source.name}"
        )
        for v in claims
        if v.content is not None
    ]
    refs += [
        Ref(f.span.start, f.span.end, f.framing.id, f"framing {f.framing.id}: {f.device_label}")
        for f in framing
        if f.span is not None
    ]
    return sorted(refs, key=lambda r: (r.offset, -r.end))
