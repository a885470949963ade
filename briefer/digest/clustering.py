"""Which briefed items belong together: near-duplicates, stories, and corroborated claims.

- Near-duplicates (syndicated wire copy, light rewrites) are found by shingled word 5-grams:
  a pair whose sampled shingle sets overlap enough is one article, shown once with "also in".
- Stories (different articles about the same event) are grouped by title-word and named-entity
  overlap.
- A claim is corroborated when articles from two or more outlets, not copies of one another,
  carry a claim from a matching source with matching content.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from briefer.contract import Claim
from briefer.digest.model import DigestItem

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


@dataclass
class Doc:
    """One item with the features the clustering compares."""

    index: int
    item: DigestItem
    outlet: str
    title: str
    shingles: frozenset[int]
    title_words: frozenset[str]
    entities: frozenset[str]
    duplicates: list[tuple[int, float]] = field(default_factory=list)
    # On a cluster's lead: the other members (syndicated copies), in item order.
    copies: list[Doc] = field(default_factory=list)


def make_doc(index: int, item: DigestItem) -> Doc:
    article = item.briefing.article
    title = (item.title or article.title or first_words(article.text)).strip()
    outlet = item.outlet or article.outlet or "unknown outlet"
    words = [w.lower() for w in _WORD.findall(article.text)]
    return Doc(
        index=index,
        item=item,
        outlet=outlet,
        title=title,
        shingles=_shingles(words),
        title_words=frozenset(_stem(w) for w in _WORD.findall(title.lower()) if _content_word(w)),
        entities=_entities(title + ". " + article.text[:800], outlet),
    )


def first_words(text: str, count: int = 12) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("\u2026" if len(words) > count else "")


def unique(values: Iterable[str]) -> list[str]:
    """``values`` without repeats that differ only in case or surrounding space; first wins."""
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.strip().lower(), value)
    return list(seen.values())


def source_key(name: str) -> frozenset[str]:
    """A source's name as its content words, so "the mayor" and "Mayor" match."""
    return frozenset(w for w in _WORD.findall(name.lower()) if w not in _STOP)


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


# ---- near-duplicates ------------------------------------------------------------------------


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


def merge_duplicates(docs: list[Doc]) -> list[int]:
    """Union near-duplicate docs; returns the lead (first, fullest) index of each cluster."""
    index: dict[int, list[int]] = defaultdict(list)
    for doc in docs:
        for shingle in doc.shingles:
            index[shingle].append(doc.index)
    # Boilerplate shingles shared by many documents say nothing about duplication.
    common = max(8, len(docs) // 10)
    shared = _shared_shingles(index, common)
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
    return _leads(docs, union)


def _shared_shingles(index: dict[int, list[int]], common: int) -> Counter[tuple[int, int]]:
    """Shingles in common per pair of docs, leaving out those more than ``common`` docs have."""
    shared: Counter[tuple[int, int]] = Counter()
    for postings in index.values():
        if len(postings) < 2 or len(postings) > common:
            continue
        for i, a in enumerate(postings):
            for b in postings[i + 1 :]:
                shared[(a, b)] += 1
    return shared


def _leads(docs: list[Doc], union: _UnionFind) -> list[int]:
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


# ---- stories --------------------------------------------------------------------------------


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


def group_stories(leads: list[Doc]) -> list[list[Doc]]:
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
    stories: list[list[Doc]] = []
    by_feature: dict[str, list[int]] = defaultdict(list)
    for doc, found in zip(leads, features, strict=True):
        useful = [f for f in found if stats.distinctive(f)]
        best = _matching_story(doc, useful, stories, by_feature, stats)
        if best is None:
            best = len(stories)
            stories.append([])
        stories[best].append(doc)
        if len(stories[best]) <= STORY_ANCHORS:
            for feature in useful:
                if not by_feature[feature] or by_feature[feature][-1] != best:
                    by_feature[feature].append(best)
    return stories


def _matching_story(
    doc: Doc,
    useful: list[str],
    stories: list[list[Doc]],
    by_feature: dict[str, list[int]],
    stats: _StoryStats,
) -> int | None:
    # The stories sharing the most features are tried first, and only a few of them.
    overlap: Counter[int] = Counter(story for f in useful for story in by_feature[f])
    for story, _ in sorted(overlap.items(), key=lambda pair: (-pair[1], pair[0]))[:12]:
        anchors = stories[story][:STORY_ANCHORS]
        if any(_same_story(doc, member, stats) for member in anchors):
            return story
    return None


def _same_story(a: Doc, b: Doc, stats: _StoryStats) -> bool:
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


# ---- corroboration --------------------------------------------------------------------------


@dataclass
class _ClaimRef:
    doc: int
    claim: Claim


ClaimKey = tuple[int, str]  # (doc index, claim id)


@dataclass
class Corroboration:
    """Which claims of other independent outlets match each claim, and those outlets."""

    outlets: dict[ClaimKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    matches: dict[ClaimKey, set[ClaimKey]] = field(default_factory=lambda: defaultdict(set))

    def get(self, key: ClaimKey) -> set[str]:
        return self.outlets.get(key, set())


def corroborate(docs: list[Doc], stories: list[list[Doc]]) -> Corroboration:
    """Match the claims of each story across independent outlets (each pair compared once)."""
    result = Corroboration()
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


def _claims_match(a: Claim, b: Claim) -> bool:
    content = fuzz.token_set_ratio(a.content.text, b.content.text)
    if content >= CLAIM_MATCH_ANY_SOURCE:
        return True
    if content < CLAIM_MATCH:
        return False
    key_a, key_b = source_key(a.source.name), source_key(b.source.name)
    return bool(key_a & key_b) and (key_a <= key_b or key_b <= key_a or len(key_a & key_b) >= 2)
