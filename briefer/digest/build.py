"""Building a digest from briefings: clusters become stories, ranked, with key points and sources.

Analysts' conventions: the bottom line first (key points), sourcing explicit (a cross-article
source inventory, corroboration only across *independent* outlets), failures disclosed. Each
outlet's framing of a story is shown side by side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from briefer.contract import Claim, Framing
from briefer.digest.clustering import (
    ClaimKey,
    Corroboration,
    Doc,
    corroborate,
    first_words,
    group_stories,
    make_doc,
    merge_duplicates,
    source_key,
    unique,
)
from briefer.digest.model import (
    CorroboratedClaim,
    Digest,
    DigestArticle,
    DigestClaim,
    DigestCounts,
    DigestFailure,
    DigestFraming,
    DigestItem,
    InventorySource,
    KeyPoint,
    OutletFraming,
    OutletSourcing,
    Story,
    Syndicated,
)
from briefer.ground import excerpt
from briefer.pipeline.profile import combine, profile_of

MAX_CLAIMS = 5
MAX_FRAMING = 3
MAX_KEY_POINTS = 7
EXCERPT = 280

_DEVICE_RANK = {
    "unattributed_assertion": 0,
    "loaded_language": 1,
    "assertive_heading": 2,
    "speculation": 3,
    "vague_attribution": 4,
    "scare_quotes": 5,
    "rhetorical_question": 6,
    "other": 7,
}
_NAMED_KINDS = {"official", "institution", "document", "person", "group", "media"}


def build_digest(
    items: Sequence[DigestItem],
    *,
    title: str,
    window_start: datetime | None,
    failures: Iterable[DigestFailure] = (),
    warnings: Iterable[str] = (),
    now: datetime | None = None,
) -> Digest:
    """The digest data model; deterministic for the same items (ties break by item order)."""
    now = now or datetime.now(UTC)
    docs = [make_doc(index, item) for index, item in enumerate(items)]
    leads = merge_duplicates(docs)
    groups = group_stories([docs[i] for i in leads])
    corroboration = corroborate(docs, groups)
    stories = _ranked(
        [_story(number, members, corroboration) for number, members in enumerate(groups, 1)]
    )
    failure_list = list(failures)
    return Digest(
        title=title,
        generated_at=now,
        window_start=window_start,
        window_end=now,
        engine=", ".join(sorted({doc.item.briefing.provenance.engine for doc in docs})),
        counts=_counts(docs, leads, stories, failure_list),
        key_points=_key_points(stories),
        stories=stories,
        inventory=_inventory(docs, leads),
        failures=failure_list,
        sourcing=_sourcing(docs),
        warnings=list(warnings),
    )


def _story(number: int, members: list[Doc], corroboration: Corroboration) -> Story:
    articles = [_article(doc, corroboration) for doc in members]
    articles.sort(key=lambda art: (-art.corroborated_count, -art.claim_count, art.item_id))
    outlets = unique(
        [art.outlet for art in articles] + [s.outlet for art in articles for s in art.also_in]
    )
    side_by_side = [
        OutletFraming(
            outlet=art.outlet,
            title=art.title,
            url=art.url,
            framing=art.framing,
            framing_count=art.framing_count,
        )
        for art in articles
    ]
    return Story(
        id=f"s{number}",
        headline=articles[0].title,
        outlets=outlets,
        articles=articles,
        framing_by_outlet=side_by_side if len(articles) > 1 else [],
        corroborated=_story_corroborated(members, corroboration),
        latest=max((a.published for a in articles if a.published), default=None),
    )


def _ranked(stories: list[Story]) -> list[Story]:
    """Best covered first, renumbered in that order."""
    # Independent coverage ranks a story, not syndicated copies of one wire report.
    stories.sort(
        key=lambda s: (
            -len(unique(a.outlet for a in s.articles)),
            -len(s.outlets),
            -len(s.corroborated),
            -(s.latest.timestamp() if s.latest else 0.0),
            s.id,
        )
    )
    for number, story in enumerate(stories, start=1):
        story.id = f"s{number}"
    return stories


def _key_points(stories: list[Story]) -> list[KeyPoint]:
    return [
        KeyPoint(
            story_id=story.id,
            headline=story.headline,
            text=story.articles[0].bluf,
            outlet_count=len(story.outlets),
            reports=len(story.articles),
            corroborated_count=len(story.corroborated),
        )
        for story in stories[:MAX_KEY_POINTS]
    ]


def _counts(
    docs: list[Doc], leads: list[int], stories: list[Story], failures: list[DigestFailure]
) -> DigestCounts:
    articles = [art for story in stories for art in story.articles]
    return DigestCounts(
        articles=len(docs),
        outlets=len(unique([doc.outlet for doc in docs])),
        failures=len(failures),
        duplicates_merged=len(docs) - len(leads),
        stories=len(stories),
        multi_outlet_stories=sum(1 for s in stories if len(s.outlets) > 1),
        claims=sum(a.claim_count for a in articles),
        framing=sum(a.framing_count for a in articles),
        corroborated=sum(len(s.corroborated) for s in stories),
    )


def _article(doc: Doc, corroboration: Corroboration) -> DigestArticle:
    briefing = doc.item.briefing
    claims = sorted(
        briefing.claims,
        key=lambda c: (
            -len(corroboration.get((doc.index, c.id))),
            c.source.kind not in _NAMED_KINDS,
            c.quote != "direct",
            c.content.start,
        ),
    )
    framing = sorted(briefing.framing, key=lambda f: (_DEVICE_RANK.get(f.device, 9), f.span.start))
    corroborated = sum(1 for c in briefing.claims if corroboration.get((doc.index, c.id)))
    return DigestArticle(
        item_id=doc.item.item_id,
        title=doc.title,
        outlet=doc.outlet,
        url=doc.item.url or briefing.article.url,
        published=doc.item.published,
        bluf=briefing.bluf or first_words(briefing.article.text, 40),
        claims=[_claim(c, corroboration.get((doc.index, c.id))) for c in claims[:MAX_CLAIMS]],
        claim_count=len(briefing.claims),
        framing=[_framing(f) for f in framing[:MAX_FRAMING]],
        framing_count=len(briefing.framing),
        corroborated_count=corroborated,
        also_in=_also_in(doc),
        engine=briefing.provenance.engine,
        flags=len(briefing.flags),
    )


def _also_in(doc: Doc) -> list[Syndicated]:
    similarity = {other: value for other, value in doc.duplicates}
    return [
        Syndicated(
            outlet=other.outlet,
            title=other.title,
            url=other.item.url or other.item.briefing.article.url,
            similarity=round(similarity.get(other.index, 1.0), 2),
        )
        for other in doc.copies
    ]


def _claim(claim: Claim, outlets: set[str]) -> DigestClaim:
    return DigestClaim(
        statement=claim.statement,
        source=claim.source.name,
        source_kind=claim.source.kind,
        quote=claim.quote,
        text=excerpt(claim.content.text, EXCERPT),
        corroborated_by=sorted(outlets),
    )


def _framing(item: Framing) -> DigestFraming:
    return DigestFraming(device=item.device, text=excerpt(item.span.text, EXCERPT), note=item.note)


def _story_corroborated(
    members: list[Doc], corroboration: Corroboration
) -> list[CorroboratedClaim]:
    """One line per corroborated claim, merging the matching claims of the other outlets."""
    found: list[CorroboratedClaim] = []
    covered: set[ClaimKey] = set()
    for doc in members:
        for claim in doc.item.briefing.claims:
            key = (doc.index, claim.id)
            others = corroboration.get(key)
            if not others or key in covered:
                continue
            covered.add(key)
            # The matching claims in other articles describe the same thing: list it once.
            covered.update(corroboration.matches[key])
            found.append(
                CorroboratedClaim(
                    source=claim.source.name,
                    text=excerpt(claim.content.text, 200),
                    outlets=unique([doc.outlet, *sorted(others)]),
                )
            )
    found.sort(key=lambda c: -len(c.outlets))
    return found


@dataclass
class _Source:
    """One inventory line while it is counted up."""

    name: str
    kinds: Counter[str] = field(default_factory=Counter)
    outlets: list[str] = field(default_factory=list)
    claims: int = 0
    articles: int = 0


def _inventory(docs: list[Doc], leads: list[int]) -> list[InventorySource]:
    entries: dict[str, _Source] = {}
    for index in leads:
        doc = docs[index]
        copies = [doc, *doc.copies]
        seen_here: set[str] = set()
        for claim in doc.item.briefing.claims:
            if claim.source.kind == "outlet":
                continue
            key = " ".join(sorted(source_key(claim.source.name))) or claim.source.name.lower()
            entry = entries.setdefault(key, _Source(claim.source.name))
            entry.kinds[claim.source.kind] += 1
            entry.claims += 1
            for copy in copies:
                if copy.outlet not in entry.outlets:
                    entry.outlets.append(copy.outlet)
            if key not in seen_here:
                seen_here.add(key)
                entry.articles += 1
    inventory = [
        InventorySource(
            name=entry.name,
            kind=entry.kinds.most_common(1)[0][0],
            outlets=entry.outlets,
            claim_count=entry.claims,
            article_count=entry.articles,
        )
        for entry in entries.values()
    ]
    inventory.sort(key=lambda s: (-len(s.outlets), -s.claim_count, s.name.lower()))
    return inventory


def _sourcing(docs: list[Doc]) -> list[OutletSourcing]:
    """One line per outlet, over all its articles (a syndicated copy is that outlet's too);
    most claims first."""
    by_outlet: dict[str, list[Doc]] = {}
    for doc in docs:
        key = doc.outlet.strip().lower()
        by_outlet.setdefault(key, []).append(doc)
    lines = [
        OutletSourcing(
            outlet=members[0].outlet,
            articles=len(members),
            profile=combine(profile_of(doc.item.briefing) for doc in members),
        )
        for members in by_outlet.values()
    ]
    lines.sort(key=lambda line: (-line.profile.claims, line.outlet.lower()))
    return lines
