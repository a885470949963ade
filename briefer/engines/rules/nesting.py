"""Attributions inside others: nest them (AP -> report), drop them, or split coordinated ones.

One statement is one claim. "According to the AP, the UN report reveals that C" is the report's
claim C relayed by the AP (``via=["the AP"]``); the AP's own relation, whose content is the whole
"the UN report reveals that C", is not filed again beside it. Only a speech act nests this way
(a verb of saying or showing, by a speaker rather than a poll's share of respondents); "The
ministry is considering a plan, according to officials" is the officials' claim, and "is
considering" stays inside its content. After nesting, ``separate`` makes sure no two claims of
an article share half (or more) of the shorter one's content: the claim a cue sits inside is cut
before it ("X pointed to A, noting that B") or, when the cue is inside a clause, loses it.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from briefer.engines.rules.grammar import AUX
from briefer.engines.rules.lexicon import CUE_RE, QUOTE_ONLY, SPEECH, lemma_of
from briefer.engines.rules.relation import Attribution, Range, Relayed
from briefer.engines.rules.sources import (
    PERSONAL_PRONOUNS,
    RELATIVES,
)
from briefer.engines.rules.text_ranges import inside, overlaps, trim_range

_NEIGHBOURS = 25
# Verbs whose subject relays a statement of its own ("the report reveals", "documents show"):
# the speech verbs, plus the verbs a document or study "says" things with.
_RELAYING = frozenset(SPEECH) | QUOTE_ONLY | frozenset("show find demonstrate".split())
# Verbs that report what someone did or meant to do rather than said: inside a reported
# clause they are part of the report ("the notes add that C, but Y ordered his men to wait").
_ACTIONS = frozenset(
    "order instruct direct command want plan decide refuse seek intend wish prefer".split()
)
# A poll's share of respondents is not a speaker of its own: "51 percent said ..., according to
# a survey" is the survey's finding.
_SHARE = re.compile(
    r"%|\b(?:percent|per\s+cent|majorit(?:y|ies)|respondents|half|\w+\s+in\s+(?:\w+|\d+))\b",
    re.IGNORECASE,
)
# Where a clause or participle of its own starts: "A, noting that B", "A; B", "A, and said B".
_CLAUSE_BREAK = re.compile(r"(?:[,;:\u2014\u2013]|\s-{1,2}|\s(?:and|but))\s*$")
_COORDINATION = re.compile(r"[,;]\s*(?:and|but|while|whereas|although|though|yet)?\s*$")
# "X denounced the regime after Y said D": a clause of its own, with its own speaker.
_SUBORDINATE = re.compile(
    r",?\s+(?:after|before|because|when|while|whereas|although|though|since|until|once)\s+$"
)


def resolve(text: str, items: list[Attribution]) -> tuple[list[Attribution], list[Attribution]]:
    """Nest or drop attributions inside another's content; split coordinated ones.

    Returns the attributions kept and those dropped.
    """
    if len(items) < 2:
        return list(items), []  # most sentences: nothing to nest in or split from
    dropped: list[Attribution] = []
    gone: set[int] = set()
    by_cue = sorted(items, key=lambda item: item.cue[0])
    starts = [item.cue[0] for item in by_cue]
    # Widest content first, so an attribution is judged by the one that contains it directly.
    for outer in sorted(items, key=lambda item: item.content[0] - item.content[1]):
        if id(outer) in gone:
            continue
        low = bisect_left(starts, outer.content[0])
        high = bisect_left(starts, outer.content[1])
        inners = [
            item
            for item in by_cue[low:high]
            if item is not outer and id(item) not in gone and _within(item, outer)
        ]
        relayed = False
        for inner in sorted(inners, key=lambda item: item.hull[0]):
            if _coordinated(text, outer, inner):
                continue
            # "C, X said, according to a transcript": X's claim stands, via the transcript.
            nests = (outer.pattern == "according" and inner.source is not None) or _nests(
                text, outer, inner
            )
            if nests and _relays(text, inner):
                inner.via = [*outer.via, outer.name, *inner.via]
                link = Relayed(outer.name, outer.source, outer.cue, outer.content)
                inner.relays = [*outer.relays, link, *inner.relays]
                relayed = True
            else:
                gone.add(id(inner))
                dropped.append(inner)
        if relayed:
            # The outer relation is now the chain of the inner claims: one statement, one claim.
            gone.add(id(outer))
            dropped.append(outer)
    alive = [item for item in by_cue if id(item) not in gone]
    for index, first in enumerate(alive):
        # Only near neighbours can overlap; the bound keeps run-on input linear.
        for second in alive[index + 1 : index + 1 + _NEIGHBOURS]:
            if overlaps(first.hull, second.hull):
                _split(text, first, second)
    return alive, dropped


def _coordinated(text: str, outer: Attribution, inner: Attribution) -> bool:
    """``X said C, and Y argued D``: cut the outer content before the second clause."""
    if inner.source is None or outer.pattern != "right" or inner.hull[0] <= outer.content[0]:
        return False
    if text[inner.source[0] : inner.source[1]].lower() in RELATIVES:
        return False  # "X said C, who wanted D": a relative clause of C, not a new clause
    words = text[inner.cue[0] : inner.cue[1]].split()
    if words and lemma_of(words[-1]) in _ACTIONS:
        return False  # "X adds that C, but Y ordered D": what Y did is part of what X reports
    gap = text[outer.content[0] : inner.hull[0]]
    found = _COORDINATION.search(gap)
    if found is None and words and lemma_of(words[-1]) in SPEECH:
        found = _SUBORDINATE.search(gap)
    if found is None:
        # "X said C and Y argued D" without a comma: only before a clear new subject.
        found = re.search(r"\s+(?:and|but)\s*$", gap)
        subject = text[inner.hull[0] : inner.cue[0]].strip()
        # "... and others have said D": an auxiliary makes a lowercase subject a clause's too.
        finite = words[0].lower() in AUX and len(subject.split()) <= 3
        clear = subject[:1].isupper() or subject.lower() in PERSONAL_PRONOUNS or finite
        if found is None or not clear:
            return False
    end = outer.content[0] + found.start()
    if end - outer.content[0] < 3:
        return False
    outer.content = trim_range(text, outer.content[0], end)
    return True


def _within(item: Attribution, outer: Attribution) -> bool:
    cue_in = inside(item.cue, outer.content)
    source_in = item.source is None or inside(item.source, outer.content)
    return cue_in and source_in


def _relays(text: str, inner: Attribution) -> bool:
    """Whether a nested attribution is a speech act of its own source (not a poll's share)."""
    assert inner.source is not None
    words = text[inner.cue[0] : inner.cue[1]].split()
    if not words or lemma_of(words[-1]) not in _RELAYING:
        return False
    return _SHARE.search(text, inner.source[0], inner.source[1]) is None


def _nests(text: str, outer: Attribution, inner: Attribution) -> bool:
    """Whether ``inner`` is a distinct source the outer one reports (the AP on a UN report).

    The inner source must open the outer content (after a complementiser or short adverbial)
    and be a named phrase, not a pronoun.
    """
    if inner.source is None:
        return False
    phrase = text[inner.source[0] : inner.source[1]].lower()
    if phrase in PERSONAL_PRONOUNS or phrase in RELATIVES:
        return False
    lead = text[outer.content[0] : inner.source[0]]
    if len(lead) > 40 or (outer.quote == "direct" and lead.strip()):
        return False
    if CUE_RE.search(lead):
        return False
    return outer.pattern == "according" or outer.kind in {"media", "document", "institution"}


def _split(text: str, first: Attribution, second: Attribution) -> None:
    """``X said C, and Y warned D``: end the first content before the second attribution."""
    if first.name in second.via:
        return  # nested: the outer content carries the inner attribution on purpose
    if first.content[0] < second.hull[0] < first.content[1]:
        cut = second.hull[0]
        gap = text[first.content[0] : cut]
        found = re.search(r"[,;]?\s*(?:and|but|while|whereas)?\s*$", gap)
        end = first.content[0] + (found.start() if found else len(gap))
        first.content = trim_range(text, first.content[0], end)


def dedupe(items: list[Attribution]) -> list[Attribution]:
    seen: set[tuple[Range, Range]] = set()
    result: list[Attribution] = []
    for item in sorted(items, key=lambda item: item.hull):
        key = (item.cue, item.content)
        if key in seen or item.content[1] <= item.content[0]:
            continue
        seen.add(key)
        result.append(item)
    return result


def separate(text: str, items: list[Attribution]) -> list[Attribution]:
    """Claims whose contents share half of the shorter one's characters, made apart.

    ``items`` are one article's attributions; the result keeps their order. When one claim's
    cue sits inside the other's content, that content is cut before it if a clause of its
    own starts there ("A, noting that B"); otherwise the inner claim is part of what the
    outer one reports and is dropped. Two claims whose cues are both outside the shared
    content keep only the one whose cue stands nearer it.
    """
    gone: set[int] = set()
    ordered = sorted(items, key=lambda item: item.content)
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 : index + 1 + _NEIGHBOURS]:
            if id(first) in gone or second.content[0] >= first.content[1]:
                break  # sorted by start: no later content can reach back into this one
            if id(second) in gone or not _shared(first.content, second.content):
                continue
            loser = _part(text, first, second)
            if loser is not None:
                gone.add(id(loser))
    return [item for item in items if id(item) not in gone]


def _shared(first: Range, second: Range) -> bool:
    overlap = min(first[1], second[1]) - max(first[0], second[0])
    shorter = min(first[1] - first[0], second[1] - second[0])
    return shorter > 0 and 2 * overlap >= shorter


def _part(text: str, first: Attribution, second: Attribution) -> Attribution | None:
    """Cut one of two overlapping claims apart, or return the one to drop."""
    for outer, inner in ((first, second), (second, first)):
        if not inside(inner.cue, outer.content):
            continue
        if (
            inner.source is not None
            and outer.source is not None
            and inside(outer.cue, inner.source)
            and text[outer.source[0] : outer.source[1]].lower() in RELATIVES
        ):
            # "Hawkins and others who want to ban it said C": the relative clause is part of
            # the later speaker's name and ends where that name does.
            outer.content = trim_range(text, outer.content[0], inner.source[1])
            return None if not _shared(outer.content, inner.content) else inner
        cut = inner.cue[0]
        if inner.source is not None and inside(inner.source, outer.content):
            cut = min(cut, inner.source[0])
        lead = text[outer.content[0] : cut]
        found = _CLAUSE_BREAK.search(lead)
        if found is not None:
            outer.content = trim_range(text, outer.content[0], outer.content[0] + found.start())
            if not _shared(outer.content, inner.content):
                return None
        return inner
    # Both cues outside the shared words ("asked them a question: C" read twice): the first
    # cue is the verb that governs the content; the later one repeats it.
    return max(first, second, key=lambda item: item.cue[0])
