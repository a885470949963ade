"""Building a digest from briefings: duplicates merged, stories grouped, claims corroborated.

Analysts' conventions: the bottom line first (key points), sourcing explicit (a cross-article
source inventory, corroboration only across *independent* outlets), failures disclosed.

- Near-duplicates (syndicated wire copy, light rewrites) are found by shingled word 5-grams:
  a pair whose sampled shingle sets overlap enough is one article, shown once with "also in".
- Stories (different articles about the same event) are grouped by title-word and named-entity
  overlap, and each outlet's framing is shown side by side.
- A claim is corroborated when articles from two or more outlets, not copies of one another,
  carry a claim from a matching source with matching content.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from briefer.contract import Briefing, Claim, Framing

MAX_CLAIMS = 5
MAX_FRAMING = 3
MAX_KEY_POINTS = 7
EXCERPT = 280

# Shingling: word 5-grams, a 1-in-SAMPLE deterministic sample (by hash) to keep sets small.
SHINGLE = 5
SAMPLE = 4
DUPLICATE_JACCARD = 0.6
DUPLICATE_CONTAINMENT = 0.85
# Story grouping thresholds (title Jaccard, shared entities); see _same_story.
STORY_TITLE = 0.4
STORY_TITLE_ALONE = 0.7
STORY_ANCHORS = 3
CLAIM_MATCH = 72.0
CLAIM_MATCH_ANY_SOURCE = 88.0

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
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_ENTITY = re.compile(
    r"\b(?:[A-Z][\w'’.-]*|[A-Z]{2,})(?:\s+(?:of|the|for|and|de|al|bin)?\s*(?:[A-Z][\w'’.-]*))*"
)
_STOP = frozenset(
    """a an the and or but of to in on at for from by with as is are was were be been has have had
    it its this that these those after before over under into about against amid says said say
    will would could should may might new not no than then there their they he she his her we our
    you your i who what when where why how which while also more most up out off down report
    reports reported""".split()
)
_ENTITY_STOP = frozenset(
    """The A An In On At For From By With As It This That These Those After Before But And Or
    He She They We I His Her Their Our Its When Where Why How What Who While Also More Most
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Mr Mrs Ms Dr""".split()
)


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
    warnings: list[str] = Field(default_factory=list)
    omitted: Omitted | None = None


# ---- building -------------------------------------------------------------------------------


@dataclass
class _Doc:
    index: int
    item: DigestItem
    outlet: str
    title: str
    shingles: frozenset[int]
    title_words: frozenset[str]
    entities: frozenset[str]
    duplicates: list[tuple[int, float]] = field(default_factory=list)
    # On a cluster's lead: the other members (syndicated copies), in item order.
    copies: list[_Doc] = field(default_factory=list)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, node: int) -> int:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


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
    docs = [_doc(index, item) for index, item in enumerate(items)]
    leads = _merge_duplicates(docs)
    stories_of_leads = _group_stories([docs[i] for i in leads])
    corroboration = _corroborate(docs, stories_of_leads)

    stories: list[Story] = []
    for number, members in enumerate(stories_of_leads, start=1):
        articles = [_article(doc, corroboration) for doc in members]
        articles.sort(key=lambda art: (-art.corroborated_count, -art.claim_count, art.item_id))
        outlets = _unique(
            [art.outlet for art in articles] + [s.outlet for art in articles for s in art.also_in]
        )
        latest = max((a.published for a in articles if a.published), default=None)
        stories.append(
            Story(
                id=f"s{number}",
                headline=articles[0].title,
                outlets=outlets,
                articles=articles,
                framing_by_outlet=[
                    OutletFraming(
                        outlet=art.outlet,
                        title=art.title,
                        url=art.url,
                        framing=art.framing,
                        framing_count=art.framing_count,
                    )
                    for art in articles
                ]
                if len(articles) > 1
                else [],
                corroborated=_story_corroborated(members, corroboration),
                latest=latest,
            )
        )
    # Independent coverage ranks a story, not syndicated copies of one wire report.
    stories.sort(
        key=lambda s: (
            -len(_unique(a.outlet for a in s.articles)),
            -len(s.outlets),
            -len(s.corroborated),
            -(s.latest.timestamp() if s.latest else 0.0),
            s.id,
        )
    )
    for number, story in enumerate(stories, start=1):
        story.id = f"s{number}"

    key_points = [
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
    all_articles = [art for story in stories for art in story.articles]
    failure_list = list(failures)
    outlets = _unique([doc.outlet for doc in docs])
    counts = DigestCounts(
        articles=len(docs),
        outlets=len(outlets),
        failures=len(failure_list),
        duplicates_merged=len(docs) - len(leads),
        stories=len(stories),
        multi_outlet_stories=sum(1 for s in stories if len(s.outlets) > 1),
        claims=sum(a.claim_count for a in all_articles),
        framing=sum(a.framing_count for a in all_articles),
        corroborated=sum(len(s.corroborated) for s in stories),
    )
    return Digest(
        title=title,
        generated_at=now,
        window_start=window_start,
        window_end=now,
        engine=", ".join(sorted({doc.item.briefing.provenance.engine for doc in docs})),
        counts=counts,
        key_points=key_points,
        stories=stories,
        inventory=_inventory(docs, leads),
        failures=failure_list,
        warnings=list(warnings),
    )


def _doc(index: int, item: DigestItem) -> _Doc:
    article = item.briefing.article
    title = (item.title or article.title or _first_words(article.text)).strip()
    outlet = item.outlet or article.outlet or "unknown outlet"
    words = [w.lower() for w in _WORD.findall(article.text)]
    return _Doc(
        index=index,
        item=item,
        outlet=outlet,
        title=title,
        shingles=_shingles(words),
        title_words=frozenset(_stem(w) for w in _WORD.findall(title.lower()) if _content_word(w)),
        entities=_entities(title + ". " + article.text[:800], outlet),
    )


def _first_words(text: str, count: int = 12) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("\u2026" if len(words) > count else "")


def _shingles(words: list[str]) -> frozenset[int]:
    grams = [" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 0))]
    if not grams and words:
        grams = [" ".join(words)]
    hashes = [zlib.crc32(gram.encode("utf-8")) for gram in grams]
    if len(hashes) >= 40 * SAMPLE:
        hashes = [h for h in hashes if h % SAMPLE == 0]
    return frozenset(hashes)


def _content_word(word: str) -> bool:
    return len(word) > 2 and word not in _STOP and not word.isdigit()


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _entities(text: str, outlet: str = "") -> frozenset[str]:
    """Capitalised names. A lone capitalised word opening a sentence ("Critics", "According")
    is not a name; nor is the outlet's own name (it appears in its boilerplate)."""
    found: set[str] = set()
    own = outlet.strip().lower().removeprefix("the ")
    for match in _ENTITY.finditer(text):
        phrase = match.group(0).strip(" .'’-")
        if phrase.endswith(("'s", "’s")):
            phrase = phrase[:-2]
        parts = phrase.split()
        while parts and parts[0] in _ENTITY_STOP:
            parts = parts[1:]
        if not parts:
            continue
        before = text[: match.start()].rstrip(" \"'“‘(")
        if len(parts) == 1 and (not before or before[-1] in ".!?:\n"):
            continue
        name = " ".join(parts).lower()
        if len(name) > 2 and name != own and name.removeprefix("the ") != own:
            found.add(name)
    return frozenset(found)


def _merge_duplicates(docs: list[_Doc]) -> list[int]:
    """Union near-duplicate docs; returns the lead (first, fullest) index of each cluster."""
    index: dict[int, list[int]] = defaultdict(list)
    for doc in docs:
        for shingle in doc.shingles:
            index[shingle].append(doc.index)
    shared: Counter[tuple[int, int]] = Counter()
    # Boilerplate shingles shared by many documents say nothing about duplication.
    common = max(8, len(docs) // 10)
    for postings in index.values():
        if len(postings) < 2 or len(postings) > common:
            continue
        for i, a in enumerate(postings):
            for b in postings[i + 1 :]:
                shared[(a, b)] += 1
    # Sizes count only the shingles that could be shared, or boilerplate would dilute them.
    size = [0] * len(docs)
    for postings in index.values():
        if len(postings) <= common:
            for doc_index in postings:
                size[doc_index] += 1
    union = _UnionFind(len(docs))
    for (a, b), count in shared.items():
        size_a, size_b = size[a], size[b]
        jaccard = count / (size_a + size_b - count)
        containment = count / max(min(size_a, size_b), 1)
        if jaccard >= DUPLICATE_JACCARD or (
            containment >= DUPLICATE_CONTAINMENT and min(size_a, size_b) >= 5
        ):
            union.union(a, b)
            docs[a].duplicates.append((b, jaccard))
            docs[b].duplicates.append((a, jaccard))
    clusters: dict[int, list[int]] = defaultdict(list)
    for doc in docs:
        clusters[union.find(doc.index)].append(doc.index)
    leads = []
    for members in clusters.values():
        # The fullest version leads: syndicated copies are often trimmed.
        lead = max(members, key=lambda i: (len(docs[i].item.briefing.article.text), -i))
        docs[lead].copies = [docs[member] for member in members if member != lead]
        leads.append(lead)
    return sorted(leads)


@dataclass
class _StoryStats:
    """Document frequencies over the leads: rare features say more about an event."""

    frequency: Counter[str]
    total: int
    limit: int

    def weight(self, feature: str) -> float:
        return math.log((self.total + 1) / (self.frequency[feature] + 0.5))

    def distinctive(self, feature: str) -> bool:
        return self.frequency[feature] <= self.limit


def _group_stories(leads: list[_Doc]) -> list[list[_Doc]]:
    """Group leads about the same event through shared title words and entities.

    Leader clustering, not single-link: a document joins a story only if it matches one of the
    story's first few members, so "A shares a place with B, B a person with C" never chains a
    whole day's news into one story.
    """
    if not leads:
        return []
    frequency: Counter[str] = Counter()
    features: list[list[str]] = []
    for doc in leads:
        found = [f"w:{w}" for w in doc.title_words] + [f"e:{e}" for e in doc.entities]
        features.append(found)
        frequency.update(found)
    # Features in many documents (a country's name in every story of the day) cannot link.
    stats = _StoryStats(frequency, len(leads), max(6, len(leads) // 5))
    stories: list[list[_Doc]] = []
    by_feature: dict[str, list[int]] = defaultdict(list)
    for doc, found in zip(leads, features, strict=True):
        useful = [f for f in found if stats.distinctive(f)]
        # The stories sharing the most features are tried first, and only a few of them.
        overlap: Counter[int] = Counter(story for f in useful for story in by_feature[f])
        best: int | None = None
        for story, _ in sorted(overlap.items(), key=lambda pair: (-pair[1], pair[0]))[:12]:
            anchors = stories[story][:STORY_ANCHORS]
            if any(_same_story(doc, member, stats) for member in anchors):
                best = story
                break
        if best is None:
            best = len(stories)
            stories.append([])
        stories[best].append(doc)
        if len(stories[best]) <= STORY_ANCHORS:
            for feature in useful:
                if not by_feature[feature] or by_feature[feature][-1] != best:
                    by_feature[feature].append(best)
    return stories


def _same_story(a: _Doc, b: _Doc, stats: _StoryStats) -> bool:
    """Same event: titles alike (rare words weigh more) and distinctive entities in common.

    Two articles that each name distinctive people or places, none of them shared, are about
    different events however alike their headlines ("Ashford council approves bus depot" vs
    "Oakmere council approves bus depot").
    """
    words_a = {f"w:{w}" for w in a.title_words}
    words_b = {f"w:{w}" for w in b.title_words}
    union = sum(stats.weight(f) for f in words_a | words_b)
    title = sum(stats.weight(f) for f in words_a & words_b) / union if union else 0.0
    own_a = {e for e in a.entities if stats.distinctive(f"e:{e}")}
    own_b = {e for e in b.entities if stats.distinctive(f"e:{e}")}
    shared = len(own_a & own_b)
    if own_a and own_b and not shared:
        return title >= STORY_TITLE_ALONE
    return (
        title >= STORY_TITLE
        or shared >= 3
        or (shared >= 2 and title >= 0.1)
        or (shared >= 1 and title >= 0.25)
    )


@dataclass
class _ClaimRef:
    doc: int
    claim: Claim


_ClaimKey = tuple[int, str]  # (doc index, claim id)


@dataclass
class _Corroboration:
    """Which claims of other independent outlets match each claim, and those outlets."""

    outlets: dict[_ClaimKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    matches: dict[_ClaimKey, set[_ClaimKey]] = field(default_factory=lambda: defaultdict(set))

    def get(self, key: _ClaimKey) -> set[str]:
        return self.outlets.get(key, set())


def _corroborate(docs: list[_Doc], stories: list[list[_Doc]]) -> _Corroboration:
    """Match the claims of each story across independent outlets (each pair compared once)."""
    result = _Corroboration()
    for members in stories:
        # Syndicated copies are not independent of their lead; leads of different outlets are.
        refs = [
            _ClaimRef(doc.index, claim)
            for doc in members
            for claim in doc.item.briefing.claims
            if claim.source.kind != "outlet"
        ]
        for i, a in enumerate(refs):
            outlet_a = docs[a.doc].outlet
            for b in refs[i + 1 :]:
                outlet_b = docs[b.doc].outlet
                if a.doc == b.doc or _same_outlet(outlet_a, outlet_b):
                    continue
                if _claims_match(a.claim, b.claim):
                    key_a, key_b = (a.doc, a.claim.id), (b.doc, b.claim.id)
                    result.outlets[key_a].add(outlet_b)
                    result.outlets[key_b].add(outlet_a)
                    result.matches[key_a].add(key_b)
                    result.matches[key_b].add(key_a)
    return result


def _same_outlet(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def _source_key(name: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(name.lower()) if w not in _STOP)


def _claims_match(a: Claim, b: Claim) -> bool:
    content = fuzz.token_set_ratio(a.content.text, b.content.text)
    if content >= CLAIM_MATCH_ANY_SOURCE:
        return True
    if content < CLAIM_MATCH:
        return False
    key_a, key_b = _source_key(a.source.name), _source_key(b.source.name)
    return bool(key_a & key_b) and (key_a <= key_b or key_b <= key_a or len(key_a & key_b) >= 2)


def _article(doc: _Doc, corroboration: _Corroboration) -> DigestArticle:
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
    similarity = {other: value for other, value in doc.duplicates}
    also_in = [
        Syndicated(
            outlet=other.outlet,
            title=other.title,
            url=other.item.url or other.item.briefing.article.url,
            similarity=round(similarity.get(other.index, 1.0), 2),
        )
        for other in doc.copies
    ]
    return DigestArticle(
        item_id=doc.item.item_id,
        title=doc.title,
        outlet=doc.outlet,
        url=doc.item.url or briefing.article.url,
        published=doc.item.published,
        bluf=briefing.bluf or _first_words(briefing.article.text, 40),
        claims=[_claim(c, corroboration.get((doc.index, c.id))) for c in claims[:MAX_CLAIMS]],
        claim_count=len(briefing.claims),
        framing=[_framing(f) for f in framing[:MAX_FRAMING]],
        framing_count=len(briefing.framing),
        corroborated_count=corroborated,
        also_in=also_in,
        engine=briefing.provenance.engine,
        flags=len(briefing.flags),
    )


def _claim(claim: Claim, outlets: set[str]) -> DigestClaim:
    return DigestClaim(
        statement=claim.statement,
        source=claim.source.name,
        source_kind=claim.source.kind,
        quote=claim.quote,
        text=_excerpt(claim.content.text),
        corroborated_by=sorted(outlets),
    )


def _framing(item: Framing) -> DigestFraming:
    return DigestFraming(device=item.device, text=_excerpt(item.span.text), note=item.note)


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _story_corroborated(
    members: list[_Doc], corroboration: _Corroboration
) -> list[CorroboratedClaim]:
    """One line per corroborated claim, merging the matching claims of the other outlets."""
    found: list[CorroboratedClaim] = []
    covered: set[_ClaimKey] = set()
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
                    text=_excerpt(claim.content.text, 200),
                    outlets=_unique([doc.outlet, *sorted(others)]),
                )
            )
    found.sort(key=lambda c: -len(c.outlets))
    return found


def _inventory(docs: list[_Doc], leads: list[int]) -> list[InventorySource]:
    entries: dict[str, dict] = {}
    for index in leads:
        doc = docs[index]
        copies = [doc, *doc.copies]
        seen_here: set[str] = set()
        for claim in doc.item.briefing.claims:
            if claim.source.kind == "outlet":
                continue
            key = " ".join(sorted(_source_key(claim.source.name))) or claim.source.name.lower()
            entry = entries.setdefault(
                key,
                {
                    "name": claim.source.name,
                    "kinds": Counter(),
                    "outlets": [],
                    "claims": 0,
                    "articles": 0,
                },
            )
            entry["kinds"][claim.source.kind] += 1
            entry["claims"] += 1
            for copy in copies:
                if copy.outlet not in entry["outlets"]:
                    entry["outlets"].append(copy.outlet)
            if key not in seen_here:
                seen_here.add(key)
                entry["articles"] += 1
    inventory = [
        InventorySource(
            name=value["name"],
            kind=value["kinds"].most_common(1)[0][0],
            outlets=value["outlets"],
            claim_count=value["claims"],
            article_count=value["articles"],
        )
        for value in entries.values()
    ]
    inventory.sort(key=lambda s: (-len(s.outlets), -s.claim_count, s.name.lower()))
    return inventory


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.strip().lower(), value)
    return list(seen.values())
