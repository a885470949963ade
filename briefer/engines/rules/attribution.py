"""Attribution relations (source, cue, content) in an article: every search run, results merged."""

# Per sentence, the set phrases run first ("according to", "it is said", "Name:", in
# markers.py), so a cue word they already hold is not searched again around the cue
# (cue_search.py). A leading dateline ("CALDER BAY \u2014") is not part of the sentence.
# Quotations that run on over following sentences of the paragraph extend the content, except
# after a quotation-first speaker tag ('"Q1," X said. "Q2."'), where the content stays Q1 (see
# ``content.run_on``). An attribution found inside another one's content either nests
# (``According to the AP, the report reveals that C`` gives C to the report, via the AP) or is
# dropped as part of it (nesting.py). Pronoun sources keep the pronoun as their span but take a
# safe antecedent's name (antecedents.py).

from __future__ import annotations

import re
from itertools import islice

from briefer.engines.rules import quotes
from briefer.engines.rules.antecedents import (
    describe_pronouns,
    expand_definite_descriptions,
    expand_surnames,
    resolve_pronouns,
)
from briefer.engines.rules.case_fold import Folded, lowered
from briefer.engines.rules.content import TRIVIAL_RIGHT, run_on
from briefer.engines.rules.cue_search import from_cue
from briefer.engines.rules.grammar import AUX, BE, DETERMINERS, PREPOSITIONS
from briefer.engines.rules.lexicon import ACCORDING_RE, CUE_RE, PASSIVE_RE
from briefer.engines.rules.markers import (
    according,
    colon_label,
    dash_credits,
    in_poll,
    label_colons,
    passive,
)
from briefer.engines.rules.nesting import dedupe, resolve, separate
from briefer.engines.rules.relation import Attribution, Range, Sentence
from briefer.engines.rules.sources import PRONOUNS
from briefer.engines.rules.text_ranges import BARE_WORD, RangeIndex
from briefer.segment import Unit, paragraphs, sentences

# The scans of every sentence, over the lower-cased article where that finds the same spans.
_CUES = Folded.of(CUE_RE)
_ACCORDING = Folded.of(ACCORDING_RE)
_PASSIVE = Folded.of(PASSIVE_RE)

_QUESTION_CLOSE = re.compile(r"[?!](?:''|[\"\u201d])$")

# A dateline opening a story: an all-capitals place name, perhaps a region and a wire credit,
# then a dash ("HALDEN, Norway (AP) \u2014 "). It says where the story was filed, not who
# said what, so the sentence proper starts after it.
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z'.-]+(?:[ \u00a0]+[A-Z][A-Z'.-]*){0,4}"
    r"(?:,[ \u00a0]+[A-Z][\w.]*(?:[ \u00a0]+[A-Z][\w.]*){0,2})?"
    r"(?:[ \u00a0]*\([^()\n]{1,40}\))?"
    # "Washington (AFP)", "Dec 29 (Reuters)": a place or date in any case, with a wire credit.
    r"|[A-Z][\w.]*(?:[ \u00a0]+[A-Z\d][\w.,]*){0,3}[ \u00a0]*\((?:Reuters|AP|AFP|UPI)\))"
    r"[ \u00a0]*(?:\u2014|\u2013|--|-)[ \u00a0]+(?=\S)"
)

# Closed-class words: content made only of these ("it", "so", "that one") carries no claim.
_FUNCTION_WORDS = (
    PRONOUNS
    | DETERMINERS
    | PREPOSITIONS
    | AUX
    | BE
    | frozenset("him her them me us it's its so too not there this".split())
)


# A block quotation longer than this is more likely a document excerpt than one claim.
_BLOCK_LIMIT = 1500


def find_attributions(text: str) -> list[Attribution]:
    """Every attribution in ``text``, nested ones resolved, in text order."""
    return find_all(text)[0]


def find_all(
    text: str, split: list[tuple[Unit, list[Unit]]] | None = None
) -> tuple[list[Attribution], list[Attribution]]:
    """Attributions kept, and vague ones folded into another (still worth flagging).

    ``split`` is ``split_paragraphs(text)`` when the caller already has it."""
    found: list[Attribution] = []
    folded: list[Attribution] = []
    spans: list[Range] = []  # every sentence, for pronoun antecedents
    split = split_paragraphs(text) if split is None else split
    for index, (paragraph, units) in enumerate(split):
        following = split[index + 1][0] if index + 1 < len(split) else None
        block = _quoted_block(text, paragraph, following)
        _search_paragraph(text, paragraph, units, found, folded, spans, block)
    # "Its architects knew it": content that is only a pronoun or a function word or two
    # tells a reader nothing about what was said, so it is no claim worth a briefing item.
    kept = [item for item in dedupe(found) if not _thin(text, item.content)]
    kept = separate(text, kept)
    resolve_pronouns(text, kept, spans)
    expand_surnames(kept)
    expand_definite_descriptions(kept)
    describe_pronouns(text, kept)
    return kept, folded


def split_paragraphs(text: str) -> list[tuple[Unit, list[Unit]]]:
    """Each paragraph with its sentences; together they are ``sentences(text)``, so the engine
    splits the text once for attribution, framing and the BLUF."""
    return [(paragraph, sentences(text, paragraph)) for paragraph in paragraphs(text)]


def _search_paragraph(
    text: str,
    paragraph: Unit,
    units: list[Unit],
    found: list[Attribution],
    folded: list[Attribution],
    spans: list[Range],
    block: int | None = None,
) -> None:
    """Add the attributions of one paragraph (split into ``units``) to ``found`` (vague
    dropped ones to ``folded``) and its sentences to ``spans``. ``block`` is where the next
    paragraph ends when this one closes on a colon that introduces it."""
    units = _join_quote_tails(text, units)
    quoted = quotes.Quoted(quotes.regions(text, paragraph.start, paragraph.end))
    credits = dash_credits(text, paragraph)
    found.extend(credits)
    credited = RangeIndex([item.hull for item in credits]) if credits else None
    for index, unit in enumerate(units):
        if credited is not None and credited.overlaps((unit.start, unit.end)):
            continue
        end = block if block is not None and index == len(units) - 1 else unit.end
        sentence = Sentence(_after_dateline(text, unit.start, unit.end), end, paragraph)
        if unit.kind == "sentence":
            spans.append((sentence.start, sentence.end))
        local = _search_sentence(text, unit, sentence, quoted)
        for item in local:
            run_on(text, item, units, index, quoted)
        if not local:
            continue  # most sentences: nothing found, nothing to resolve
        kept, dropped = resolve(text, local)
        found.extend(kept)
        folded.extend(item for item in dropped if item.vague)


def _search_sentence(
    text: str, unit: Unit, sentence: Sentence, quoted: quotes.Quoted
) -> list[Attribution]:
    """Every attribution the sentence holds, before nested ones are resolved."""
    local: list[Attribution] = []
    low = lowered(text, unit.start, unit.end)
    for pattern, build in ((_ACCORDING, according), (_PASSIVE, passive)):
        for match in pattern.finditer(text, low, unit.start, unit.end):
            if quoted.encloses(match.span()):
                continue
            item = build(text, sentence.around(match.span()), *match.span())
            if item is not None:
                local.append(item)
    poll = in_poll(text, sentence)
    if poll is not None:
        local.append(poll)
    for colon in label_colons(text, unit.start, unit.end):
        item = colon_label(text, sentence.around((colon, colon + 1)), colon, quoted)
        if item is not None:
            local.append(item)
    # Cue words never overlap each other; only the phrase patterns above can claim one.
    claimed = RangeIndex([item.cue for item in local]) if local else None
    for match in _CUES.finditer(text, low, unit.start, unit.end):
        if quoted.encloses(match.span()):
            continue  # a cue inside a quotation belongs to the quoted speaker's words
        if claimed is not None and claimed.overlaps(match.span()):
            continue
        item = from_cue(text, sentence.around(match.span()), match.start(), match.end(), local)
        if item is not None:
            local.append(item)
    return local


def _quoted_block(text: str, paragraph: Unit, following: Unit | None) -> int | None:
    """'Cruz continued:' closing a paragraph, with the words in the next one: where the
    next paragraph ends, or None."""
    if following is None or following.kind == "heading" or paragraph.kind == "heading":
        return None
    if paragraph.end <= paragraph.start or text[paragraph.end - 1] != ":":
        return None  # paragraphs are trimmed: the colon would be the last character
    if following.end - following.start > _BLOCK_LIMIT:
        return None
    return following.end


def _after_dateline(text: str, start: int, end: int) -> int:
    """Where a sentence starts once a leading dateline ("CALDER BAY \u2014") is skipped."""
    found = _DATELINE.match(text, start, end)
    if found is None or not text[found.end() : found.end() + 1].isalpha():
        return start
    return found.end()


def _join_quote_tails(text: str, units: list[Unit]) -> list[Unit]:
    """'"Ready?" Kim asked.' splits after the question mark; put the speaker back."""
    joined: list[Unit] = []
    for unit in units:
        if joined and unit.kind == "sentence" and joined[-1].kind == "sentence":
            last = text[joined[-1].start : joined[-1].end]
            tail = text[unit.start : unit.end]
            if (
                _QUESTION_CLOSE.search(last)
                and len(tail.split()) <= 8
                and (cue := CUE_RE.search(tail)) is not None
                and TRIVIAL_RIGHT.fullmatch(tail[cue.end() :])
            ):
                joined[-1] = Unit(joined[-1].start, unit.end, "sentence")
                continue
        joined.append(unit)
    return joined


def _thin(text: str, content: Range) -> bool:
    """Whether the content is at most two words, none of them a content word."""
    words = [match.group() for match in islice(BARE_WORD.finditer(text, *content), 3)]
    return len(words) <= 2 and all(word.lower() in _FUNCTION_WORDS for word in words)


__all__ = ["Attribution", "find_all", "find_attributions", "split_paragraphs"]
