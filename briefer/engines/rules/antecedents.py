"""Who a pronoun source stands for: "It found that ..." after "The audit was commissioned ..."."""

# The source span stays the pronoun (that is what the article says, and what PolNeAR marks); only
# the claim's name and kind take the antecedent's, so a briefing reads "The audit found", not "It
# found". The heuristic is deliberately narrow (centering, in its simplest form): the subject of the
# previous sentence, or failing that of the one before, provided it agrees with the pronoun (he/she:
# a person or official; it: a document, institution or outlet; they: a plural group or officials).
# Anything else keeps the pronoun span: a wrong name is worse than none.
#
# A pronoun no antecedent was found for is never shown as a bare "He" (``describe_pronouns``). It
# is named for what it is, with the pronoun as written, and its kind is what the pronoun implies:
#
# - he/she/him/her/one: 'unidentified speaker ("he")', kind person;
# - they/them: 'unidentified speakers ("they")', kind group; it: 'unidentified source ("it")',
#   kind institution; you: 'unidentified person ("you")', kind person; an unresolved relative
#   (who, which, that): 'unidentified speaker ("who")', kind person (which/that: institution);
#   each of these is flagged ``unresolved_source`` by the engine, so the reader knows to look;
# - I/we/me/us outside a quotation (a cue inside quotation marks is never searched) are the
#   article's author: 'the author ("I")', kind outlet, not flagged. An analyst reads a
#   columnist's "I think" or an editorial "we believe" as the outlet's own voice, which is
#   what kind outlet means in the sourcing profile; the name keeps the pronoun, so a
#   first-person speaker inside an unmarked transcript is still visible as such.

from __future__ import annotations

import re
from bisect import bisect_right

from briefer.engines.rules.grammar import INTRO
from briefer.engines.rules.lexicon import FORMS
from briefer.engines.rules.phrases import plausible_source
from briefer.engines.rules.relation import Attribution, Range
from briefer.engines.rules.sources import PRONOUNS, classify, names_kind, source_name
from briefer.engines.rules.subjects import sentence_subject

_SINGULAR = frozenset(("he", "she"))
_SUBORDINATE = re.compile(
    r"\s*(?:When|After|As|Because|While|Although|Though|If|Since|Before|Once|Until)\s+"
)
# Sentences looked back over for an antecedent.
_WINDOW = 2
# Heads of "official" phrases that are bodies, not people ("the port authority ... It").
_BODY_HEADS = frozenset(
    "authority government administration council board ministry office leadership".split()
)
_PERSON_KINDS = frozenset(("person", "official"))
_THING_KINDS = frozenset(("document", "institution", "media"))
_GROUP_KINDS = frozenset(("group", "official", "institution"))


def resolve_pronouns(text: str, items: list[Attribution], sentences: list[Range]) -> None:
    """Name pronoun sources after their antecedents, in place; ``items`` are in text order."""
    starts = [start for start, _ in sentences]
    # The resolved name and kind of each sentence's subject, so "He said ... He added ..."
    # chains back to the name given two sentences before.
    subjects: dict[int, tuple[str, str, str]] = {}
    by_sentence: dict[int, list[Attribution]] = {}
    for item in items:
        if item.source is not None:
            index = bisect_right(starts, item.source[0]) - 1
            by_sentence.setdefault(index, []).append(item)
    for item in items:
        if item.source is None:
            continue
        pronoun = text[item.source[0] : item.source[1]].lower()
        if pronoun not in {"he", "she", "it", "they"}:
            continue
        index = bisect_right(starts, item.source[0]) - 1
        if index < 0:
            continue
        local = _clause_subject(text, sentences[index], item.source[0])
        if local is not None:
            # "When the auditors opened the books, they found ...": the subordinate clause's
            # subject is nearer than any earlier sentence; if it does not agree, stay unsure.
            if local and _agrees(pronoun, local[1], local[2]):
                _rename(item, local)
            continue
        for back in range(index - 1, max(-1, index - 1 - _WINDOW), -1):
            found = subjects.get(back) or _subject(text, sentences[back], by_sentence.get(back))
            if found is None:
                continue
            subjects[back] = found
            _, kind, phrase = found
            if _agrees(pronoun, kind, phrase):
                _rename(item, found)
                if _opens(text, sentences[index], item.source[0]):
                    subjects[index] = found
            # Only the nearest sentence with a subject is considered: skipping an incompatible
            # one to reach further back is exactly the wild guess to avoid.
            break


def _rename(item: Attribution, antecedent: tuple[str, str, str]) -> None:
    name, kind, _ = antecedent
    item.name = f"{name} ({item.channel})" if item.channel else name
    item.kind = kind


def _clause_subject(
    text: str, sentence: Range, position: int
) -> tuple[str, str, str] | tuple[()] | None:
    """The subject of a subordinate clause before the pronoun in its own sentence.

    None when there is no such clause; an empty tuple when there is one but its subject is
    not a phrase to trust.
    """
    found = _SUBORDINATE.match(text, sentence[0], position)
    if found is None:
        return None
    span = sentence_subject(text, found.end(), position)
    if span is None:
        return ()
    phrase = text[span[0] : span[1]]
    if not _trusted(phrase):
        return ()
    return source_name(phrase), classify(phrase), phrase


def _trusted(phrase: str) -> bool:
    """A noun phrase whose kind rests on its words, not a sentence-initial word like "Later"."""
    first = phrase.split()[0].lower().strip(",")
    if first in PRONOUNS or first in INTRO or first in FORMS or first == "according":
        return False
    return plausible_source(phrase, loose=False) and names_kind(phrase)


def _opens(text: str, sentence: Range, position: int) -> bool:
    """Whether a phrase at ``position`` is the sentence's subject (perhaps after "Later,")."""
    start = sentence[0]
    while start < sentence[1] and not text[start].isalnum():
        start += 1
    lead = text[start:position]
    return position == start or (lead.rstrip().endswith(",") and "," not in lead.rstrip()[:-1])


def _subject(
    text: str, sentence: Range, items: list[Attribution] | None
) -> tuple[str, str, str] | None:
    """The sentence's subject: an attribution's source opening it, else its first noun phrase."""
    for item in items or []:
        assert item.source is not None
        if _opens(text, sentence, item.source[0]):
            phrase = text[item.source[0] : item.source[1]]
            if phrase.lower() in PRONOUNS or not _trusted(phrase):
                return None  # an unresolved pronoun or a guess: nothing safe to pass on
            return item.name.split(" (")[0], item.kind, phrase
    span = sentence_subject(text, sentence[0], sentence[1])
    if span is None:
        return None
    phrase = text[span[0] : span[1]]
    if not _trusted(phrase):
        return None
    return source_name(phrase), classify(phrase), phrase


def _agrees(pronoun: str, kind: str, phrase: str) -> bool:
    words = [w.strip(",.") for w in phrase.split()]
    if not words:
        return False
    last = words[-1]
    plural = last.islower() and last.endswith("s") and not last.endswith("ss")
    if pronoun in _SINGULAR:
        return kind in _PERSON_KINDS and not plural and " and " not in phrase
    if pronoun == "it":
        if kind == "official":
            return last.lower() in _BODY_HEADS
        return kind in _THING_KINDS and not plural and " and " not in phrase
    # "they": officials, groups or a plural body named in the previous sentence.
    return kind in _GROUP_KINDS and (plural or " and " in phrase)


def expand_surnames(items: list[Attribution]) -> None:
    """ "Markovic said" after "Transport Minister Elena Markovic told": one source, one name.

    Only a bare capitalised surname is expanded, and only when exactly one earlier person or
    official source ends with it; ``items`` are in text order.
    """
    full: dict[str, set[tuple[str, str]]] = {}
    for item in items:
        if item.kind not in _PERSON_KINDS:
            continue
        base = item.name.split(" (")[0]
        words = base.split()
        if len(words) == 1 and words[0][:1].isupper() and words[0].lower() not in PRONOUNS:
            known = full.get(words[0], set())
            if len(known) == 1:
                name, kind = next(iter(known))
                item.name = item.name.replace(base, name, 1)
                item.kind = kind
            continue
        if len(words) >= 2 and words[-1][:1].isupper() and words[-1].isalpha():
            full.setdefault(words[-1], set()).add((base, item.kind))


def expand_definite_descriptions(items: list[Attribution]) -> None:
    """ "the agency said" after "according to the Meridian Press Agency": one source, one name.

    Only "the <noun>" is expanded, and only when exactly one earlier source's name ends with
    that noun (case-insensitive); ``items`` are in text order.
    """
    named: dict[str, set[tuple[str, str]]] = {}
    for item in items:
        base = item.name.split(" (")[0]
        words = base.split()
        if len(words) == 2 and words[0].lower() == "the" and words[1].isalpha():
            head = words[1].lower()
            if words[1].islower() and len(named.get(head, ())) == 1:
                name, kind = next(iter(named[head]))
                item.name = item.name.replace(base, name, 1)
                item.kind = kind
            continue
        if len(words) >= 2 and words[-1][:1].isupper() and words[-1].isalpha():
            named.setdefault(words[-1].lower(), set()).add((base, item.kind))


# Pronoun -> (name pattern, kind, flagged) for pronouns left without an antecedent.
_DESCRIBED: dict[str, tuple[str, str, bool]] = {
    **dict.fromkeys(("i", "me", "we", "us"), ("the author", "outlet", False)),
    **dict.fromkeys(
        ("he", "she", "him", "her", "one", "who", "whom"), ("unidentified speaker", "person", True)
    ),
    **dict.fromkeys(("they", "them"), ("unidentified speakers", "group", True)),
    "it": ("unidentified source", "institution", True),
    **dict.fromkeys(("which", "that"), ("unidentified source", "institution", True)),
    "you": ("unidentified person", "person", True),
}

_BARE = frozenset(_DESCRIBED) | frozenset("these those this his its their our my your".split())


def describe_pronouns(text: str, items: list[Attribution]) -> None:
    """Name the pronoun sources no antecedent was found for by what they are, in place."""
    for item in items:
        if item.source is None:
            continue
        pronoun = " ".join(text[item.source[0] : item.source[1]].split())
        base = item.name.split(" (")[0]
        if base.lower() in _BARE and pronoun.lower() not in _BARE:
            # "Her campaign", "One of the aides": the short name lost the noun; the words at
            # that spot say more than the pronoun alone.
            item.name = item.name.replace(base, pronoun, 1)
            continue
        described = _DESCRIBED.get(pronoun.lower())
        if described is None or base.lower() not in _BARE:
            continue  # not a bare pronoun, or already named after its antecedent
        label, kind, flagged = described
        name = f'{label} ("{pronoun}")'
        item.name = f"{name} ({item.channel})" if item.channel else name
        item.kind = kind
        item.pronoun = pronoun
        item.unresolved = flagged
