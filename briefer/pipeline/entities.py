"""Source entities: every mention of one source in an article becomes one ``sources`` entry.

A mention is a claim's source (its name and source phrase) or a name in a claim's ``via``
chain found in the claim's paragraph (those only help resolve and name; they hold no claim).
Mentions are read in text order; each joins an earlier entity by the first rule that fits,
else starts its own. The rules are conservative: what is not matched stays apart.

1. Same name (case/space-insensitive) -> the same entity.
2. A definite description -- "the"/"this"/"that"/"these"/"those" + a head noun from
   ``DESCRIPTION_NOUNS`` ("the report", "the reports", "the audit which ...") -- joins the
   nearest earlier entity with a mention whose core (the words before the first preposition,
   relative word or comma) holds the same noun in the same number: "the report" is one
   report, "the reports" several, so "the reports" never joins a single report. Entities of
   people (person, official) and unidentified ones (anonymous, vague) are never antecedents.
   A description that names something after by/from/of/in ("the report by the Baker
   Institute"; days and months aside) joins only an entity whose mentions name it too, in
   full or by initials ("UN" for "United Nations"); else it looks further back, or stands
   alone.
   "the Ames report" is not a description (a name follows "the"), so rule 1 applies.
3. People named after "by" in a mention ("by both writers Ann Lee and Bo Chan") are the
   entity's ``members``. A later source made only of person names whose surnames are all
   members of exactly one entity joins it (first names may be spelt differently); its names
   are added to ``members``.
4. An outlet named as a document's publisher ("a report published in the Daily Post") is the
   document's voice: a later claim sourced to that outlet ("according to the Daily Post")
   joins the document, if exactly one document names that publisher. An analyst reads the
   paper's later claims as that report's; two reports in one paper stay ambiguous, so apart.
5. An unresolved pronoun source ('unidentified speaker ("he")', flagged by the engine) is
   its own entity: two unresolved "he"s may be two people.

``name`` is the first mention with a proper name (a capitalised word after the first, or an
acronym), else the first that is not a bare description, else the first; when there is a
choice, a name of 12 words or more is cut before a modifier (its prefix, as written; the cut
"by ..." people are in ``members``). ``kind`` is that of the first
claim whose source has a proper name, else of the first claim. ``mentions`` are the claims'
source spans in text order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefer.contract import Claim, SourceEntry, Span
from briefer.ground import normalize
from briefer.segment import paragraphs

DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
_ARTICLES = frozenset({"a", "an", "the"})
DESCRIPTION_NOUNS = frozenset(
    """report reports document documents study studies agency agencies letter letters
    investigation investigations audit audits survey surveys review reviews memo memos
    analysis assessment assessments inquiry probe paper papers filing filings""".split()
)
# Words that end a noun phrase's core: prepositions and relative words.
_BOUNDARY = frozenset(
    """which that who whom whose by of in from on for with to at about after before under
    over into than as""".split()
)
# Entities of these kinds are people or unidentified: never what "the report" points at.
_NOT_ANTECEDENT = frozenset({"person", "official", "anonymous", "vague"})
_PERSON_KINDS = frozenset({"person", "official", "group"})
_OUTLET_KINDS = frozenset({"media", "outlet", "institution"})
_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december""".split()
)
# A last word that makes a capitalised run an organisation, not a person.
_ORG_WORDS = frozenset(
    """group institute agency times post news press council commission ministry department
    university center centre foundation bank party company corporation office court""".split()
)
LONG_NAME = 12
_CAP = r"[A-Z][\w'\u2019-]*"
_NAME = rf"{_CAP}(?:\s+{_CAP})+"
_ROLE = r"(?:writers?|authors?|reporters?|journalists?|correspondents?|researchers?|analysts?)"
_BY_PEOPLE = re.compile(
    rf"\bby\s+(?:both\s+)?(?:(?:the\s+)?{_ROLE}\s+)?({_NAME}(?:\s*,\s*{_NAME})*(?:,?\s+and\s+{_NAME})?)"
)
_PUBLISHER = re.compile(
    rf"\b(?:published|printed|carried|run|released)\s+(?:in|by)\s+(?:the\s+)?({_CAP}(?:\s+{_CAP})*)"
)
_NAMING = re.compile(rf"\b(?:by|from|of|in)\s+(?:the\s+)?({_CAP}(?:\s+{_CAP})*)")
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_WORD = re.compile(r"[\w'\u2019.-]+|[,(]")


@dataclass
class _Mention:
    start: int
    name: str
    phrase: str  # the source phrase as written (or the name when there is none)
    claim: Claim | None = None


@dataclass
class _Entity:
    mentions: list[_Mention] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    members: list[str] = field(default_factory=list)
    publisher: str | None = None
    closed: bool = False  # an unresolved pronoun: nothing joins it

    @property
    def kind(self) -> str | None:
        claims = [m.claim for m in self.mentions if m.claim is not None]
        return claims[0].source.kind if claims else None

    def last_start(self) -> int:
        return self.mentions[-1].start


def source_entities(text: str, claims: list[Claim]) -> tuple[list[Claim], list[SourceEntry]]:
    """The claims with their ``source_id`` set, and one entry per source entity."""
    entities: list[_Entity] = []
    for mention in _mentions(text, claims):
        entity = None if _unresolved(mention.name) else _resolve(mention, entities)
        if entity is None:
            entity = _Entity(closed=_unresolved(mention.name))
            entities.append(entity)
        _add(entity, mention)
    order = {claim.id: index for index, claim in enumerate(claims)}
    held = [e for e in entities if any(m.claim is not None for m in e.mentions)]
    held.sort(key=lambda e: min(order[m.claim.id] for m in e.mentions if m.claim is not None))
    entries: list[SourceEntry] = []
    source_of: dict[str, str] = {}
    for number, entity in enumerate(held, start=1):
        entry = _entry(f"s{number}", entity, order)
        entries.append(entry)
        source_of.update(dict.fromkeys(entry.claim_ids, entry.id))
    linked = [c.model_copy(update={"source_id": source_of.get(c.id)}) for c in claims]
    return linked, entries


def _mentions(text: str, claims: list[Claim]) -> list[_Mention]:
    """Every claim's source, and each ``via`` name found in its claim's paragraph."""
    mentions: list[_Mention] = []
    seen: set[tuple[int, str]] = set()
    units = paragraphs(text)
    for claim in claims:
        span = claim.source.span
        start = span.start if span is not None else claim.cue.start
        phrase = span.text if span is not None else claim.source.name
        mentions.append(_Mention(start, claim.source.name, phrase, claim))
        unit = next((u for u in units if u.start <= claim.cue.start < u.end), None)
        for name in claim.via if unit is not None else ():
            # A regex, not text.lower(): lower-casing can change a text's length (offsets).
            hit = re.compile(re.escape(name), re.IGNORECASE).search(text, unit.start, unit.end)
            if hit is not None and (hit.start(), normalize(name)) not in seen:
                seen.add((hit.start(), normalize(name)))
                mentions.append(_Mention(hit.start(), hit.group(), hit.group()))
    # A claim's own mention sorts before a via name at the same offset.
    return sorted(mentions, key=lambda m: (m.start, m.claim is None))


def _unresolved(name: str) -> bool:
    return name.startswith("unidentified ") and '("' in name


def _resolve(mention: _Mention, entities: list[_Entity]) -> _Entity | None:
    """The earlier entity this mention joins (rules 1-4; rule 5 is the caller's), or None."""
    if is_description(mention.name):
        return _antecedent(mention, entities)
    key = normalize(mention.name)
    for entity in entities:
        if not entity.closed and key in entity.names:
            return entity
    kind = mention.claim.source.kind if mention.claim is not None else None
    people = person_names(mention.name) if kind in _PERSON_KINDS else []
    if people:
        surnames = {_surname(name) for name in people}
        found = [e for e in entities if surnames <= {_surname(m) for m in e.members}]
        if len(found) == 1:
            return found[0]
    if kind in _OUTLET_KINDS:
        outlet = _bare(mention.name)
        found = [e for e in entities if e.publisher == outlet]
        if len(found) == 1:
            return found[0]
    return None


def _antecedent(mention: _Mention, entities: list[_Entity]) -> _Entity | None:
    """Rule 2: the nearest earlier entity with the description's head noun and no other name."""
    head = _words(mention.name)[1].lower()
    named = _org_names(f"{mention.name} {mention.phrase}")
    for entity in sorted(entities, key=_Entity.last_start, reverse=True):
        if entity.closed or entity.kind in _NOT_ANTECEDENT:
            continue
        if not any(head in _core(m.name) | _core(m.phrase) for m in entity.mentions):
            continue
        if all(_names_entity(name, entity) for name in named):
            return entity
    return None


def _add(entity: _Entity, mention: _Mention) -> None:
    entity.mentions.append(mention)
    entity.names.add(normalize(mention.name))
    kind = mention.claim.source.kind if mention.claim is not None else None
    found = members_of(mention.phrase)
    if kind in _PERSON_KINDS and entity.members:
        # Joined by rule 3: its people belong to the source (spelling variants kept).
        found += person_names(mention.name)
    for name in found:
        if name not in entity.members:
            entity.members.append(name)
    publisher = _PUBLISHER.search(mention.phrase)
    if publisher and kind in (None, "document") and entity.publisher is None:
        entity.publisher = _bare(publisher.group(1))


def _entry(source_id: str, entity: _Entity, order: dict[str, int]) -> SourceEntry:
    """The contract's entry for an entity that holds at least one claim."""
    claims = [m.claim for m in entity.mentions if m.claim is not None]
    named = [c for c in claims if has_proper_name(c.source.name)]
    spans: dict[tuple[int, int], Span] = {}
    for claim in claims:
        if claim.source.span is not None:
            # Two claims of one source phrase ("X said A and B") are one mention.
            spans.setdefault((claim.source.span.start, claim.source.span.end), claim.source.span)
    return SourceEntry(
        id=source_id,
        name=display_name([m.name for m in entity.mentions]),
        kind=(named or claims)[0].source.kind,
        claim_ids=sorted({c.id for c in claims}, key=order.__getitem__),
        mentions=[spans[key] for key in sorted(spans)],
        members=list(entity.members),
    )


def display_name(names: list[str]) -> str:
    """The most informative of an entity's mention names (see the module docstring)."""
    if len(names) == 1:
        return names[0]  # no choice to make: the claim's own source name
    shown = [_shorten(name) for name in names]
    for name in shown:
        if has_proper_name(name):
            return name
    return next((name for name in shown if not is_description(name)), shown[0])


def _shorten(name: str) -> str:
    """A long name cut before the last modifier that leaves it under LONG_NAME words."""
    words = name.split()
    if len(words) < LONG_NAME:
        return name
    for cut in range(LONG_NAME - 1, 1, -1):
        if words[cut].lower() in _BOUNDARY:
            return " ".join(words[:cut]).rstrip(",")
    return name


def is_description(name: str) -> bool:
    """Whether a source name is a definite description: "the report", "these studies ..."."""
    words = _words(name)
    return len(words) >= 2 and words[0].lower() in DETERMINERS and words[1] in DESCRIPTION_NOUNS


def has_proper_name(name: str) -> bool:
    """A capitalised word after the first, or an acronym anywhere ("US intelligence")."""
    words = _words(name)
    return any(w[:1].isupper() for w in words[1:]) or any(
        len(w) >= 2 and w.isupper() and w.isalpha() for w in words
    )


def members_of(phrase: str) -> list[str]:
    """People named after "by" in a source phrase: "by both writers Ann Lee and Bo Chan"."""
    found: list[str] = []
    for match in _BY_PEOPLE.finditer(phrase):
        found += [n for n in _LIST_SPLIT.split(match.group(1)) if _is_person(n)]
    return found


def person_names(name: str) -> list[str]:
    """The people a source name is made of ("Ann Lee and Bo Chan"), or [] if not only those."""
    parts = [part.strip() for part in _LIST_SPLIT.split(name) if part.strip()]
    single = re.fullmatch(_CAP, name.strip()) is not None
    if parts and all(_is_person(p) for p in parts):
        return parts
    return [name.strip()] if single and name.strip().lower() not in _ORG_WORDS else []


def _is_person(name: str) -> bool:
    words = name.split()
    return (
        re.fullmatch(_NAME, name) is not None
        and len(words) <= 4
        and words[-1].lower() not in _ORG_WORDS
    )


def _surname(name: str) -> str:
    return name.split()[-1].lower()


def _words(name: str) -> list[str]:
    return [w.removesuffix("'s").removesuffix("\u2019s") for w in _WORD.findall(name)]


def _core(phrase: str) -> set[str]:
    """The lower-cased words before the first preposition, relative word or comma."""
    core: set[str] = set()
    for word in _words(phrase):
        if word in (",", "(") or (word.lower() in _BOUNDARY and core):
            break
        core.add(word.lower())
    return core


def _org_names(phrase: str) -> list[str]:
    """Organisations a description names after by/from/of/in, without days and months."""
    names = [m.group(1) for m in _NAMING.finditer(phrase)]
    return [n for n in names if n.lower() not in _TIME_WORDS]


def _names_entity(name: str, entity: _Entity) -> bool:
    """Whether an entity's mentions name ``name`` too, in full or as its initials."""
    said = " ".join(m.phrase for m in entity.mentions) + " " + " ".join(entity.members)
    if normalize(name) in normalize(said):
        return True
    runs = re.findall(_NAME, said)
    # A sentence-initial "A"/"The" is not part of the name it starts.
    initials = {"".join(w[0] for w in run.split() if w.lower() not in _ARTICLES) for run in runs}
    own = "".join(w[0] for w in name.split())
    return name in initials or (len(name.split()) > 1 and own.upper() in said.split())


def _bare(name: str) -> str:
    """An outlet's name without a leading "the", for comparing."""
    key = normalize(name)
    return key.removeprefix("the ")
