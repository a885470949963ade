"""Where an attribution's content begins and ends, including quotations that run on."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from briefer.engines.rules import quotes
from briefer.engines.rules.grammar import WEEKDAY
from briefer.engines.rules.lexicon import (
    CUE_RE,
    RECIPIENT,
    lemma_of,
)
from briefer.engines.rules.relation import Attribution, Range, Sentence
from briefer.engines.rules.text_ranges import TERMINAL, rstrip_end, skip_space
from briefer.segment import Unit

_MARK = (
    # The leading \b keeps a lazy adjunct from stopping inside a word ("Sa|if al-Adl").
    r"(?:(?P<that>\b(?:that|whether|why|how|what|when|if)\b)|(?P<colon>:)|"
    r",?\s*(?P<quote>[\"\u201c]|``|''))"
)

_CONTENT_MARK = re.compile(r"\s*" + _MARK)

_ADJUNCT_MARK = re.compile(
    r"\s*,?\s*(?:on|in|at|during|to|from|with|without|among|after|before|via|through|over|last|"
    r"this|earlier|late|early|later|yesterday|today|tonight|recently|previously|again|also|"
    r"then|once|however|" + WEEKDAY + r"|publicly|privately|"
    r"repeatedly|flatly|bluntly|firmly|simply|[a-z]+ly)\b[^.;:!?\"\u201c\u201d]{0,70}?,?\s*"
    + _MARK,
    re.IGNORECASE,
)

RELATIVE_END = re.compile(
    r",\s+(?=(?:also\s+|then\s+|later\s+)?(?:[a-z]+ed|said|told|says|tells|wrote|thinks|"
    r"thought|has|had|is|was|will|would)\b)"
)

_RELATIVE_CUES = (
    "said|says|say|claimed|claims|believes|believed|described|describes|called|calls|"
    "declared|declares|argued|argues|denied|denies|insisted|insists|thinks|thought|"
    "considers|considered|sees|saw|views|viewed|reported|found|finds|deemed|labeled|"
    "labelled|dubbed|termed|estimated|estimates"
)

_CONTENT_TAIL = re.compile(
    r"\s+[\u2014\u2013]\s+|\s+--\s+|,?\s+but\s+(?:has|have|had|did|does|is|was|were|would|"
    r"will|could|also|then|later|never|declined|refused|stopped|added|noted|said)\b|"
    # A contrastive clause the outlet adds: ", while the council disagrees".
    r",\s+(?:while|whereas|even\s+as|well\s+above|well\s+below)\b|"
    # ", which Y said ...": a relative clause with a speaker of its own is Y's claim, not part
    # of this one (a plain ", which has grown ..." stays inside the reported clause).
    r",\s+which\b(?=[^.;:!?]*?\b(?:" + _RELATIVE_CUES + r")\b)|"
    # ", said Jo Li, a nurse": a speaker tag inverted after the clause ends it.
    r",\s+(?:said|says|added|adds|wrote|writes|explained|noted|argued|insisted|warned)\s+"
    r"(?=(?:the\s+|a\s+|an\s+)?[A-Z])"
)

_AND_CUE = re.compile(r"\s+and\s+(?:also\s+|then\s+|later\s+)?")

_ACCORDING_TAIL = re.compile(r",?\s+(?:according\s+to|as\s+reported\s+by)\b", re.IGNORECASE)

_RECIPIENT_END = re.compile(
    r"[^,.;:!?\"\u201c\u201d]{1,80}?(?=\s+(?:that|whether|why|how|what|when|if)\b|\s*:|"
    r"\s*,?\s*(?:[\"\u201c]|'')|\s+to\s|\s+about\s)"
)

TRIVIAL_RIGHT = re.compile(
    r"\s*(?:(?:,\s*)?(?:on|in|at|during|to|from|with|after|before|last|this|earlier|late|"
    r"early|later|yesterday|today|tonight|recently|then|once|again|" + WEEKDAY + r"|"
    r"of\s+(?:him|her|them|it|the\s+\w+))\b"
    # An adjunct ("on Tuesday at a rally"), not a reported clause ("on Tuesday that he ...").
    r"(?:(?!\b(?:that|whether|he|she|they|we|it|I)\b)[^\"\u201c\u201d;:]){0,80}?)?"
    r"\s*[.!?]?\s*(?:[\"\u201d]|'')?\s*$",
    re.IGNORECASE,
)


# A recipient named right after the cue and a clause with no "that": "told Breitbart News he
# would", "assured reporters the vote".
# People a speaker tells things to, named by their role: "told reporters", "told aides".
RECIPIENT_GROUPS = "reporters|supporters|friends|aides|donors|voters|colleagues"

_RECIPIENT_THEN_CLAUSE = re.compile(
    r"\s+(?:(?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}|" + RECIPIENT_GROUPS + "|"
    r"audiences|crowds|listeners|viewers|followers|"
    r"(?:his|her|their)\s+(?:supporters|followers|aides|staff|colleagues|friends|audience)|"
    r"the\s+(?:crowd|audience|paper|newspaper|magazine))"
    r"(?=\s+(?:he|she|they|it|we|I|there)\s)"
)


def clausal(text: str, content: Range) -> bool:
    """Whether content is a clause or quotation rather than a plain object."""
    head = text[content[0] : content[0] + 10].lower()
    return (
        re.match(r"(?:that|whether|how|why|what|when|if)\b", head) is not None
        or head[:1] in quotes.OPENERS
        or head.startswith(("''", "``"))
        or text[max(0, content[0] - 3) : content[0]].strip().endswith(":")
    )


_PARTIAL_TAIL = re.compile(r"[^\"\u201c,]{0,60}?,\s*(?:[a-z][\w'-]*\s+){1,4}(?=[\"\u201c]|``)")


def quote_tail(text: str, content: Range, c1: int, s1: int) -> Range:
    """``"Q1," he said, "Q2."``: the second quotation joins the content."""
    rest = text[c1:s1]
    found = re.match(r"[^\"\u201c]{0,60}?,\s*(?:but\s+|and\s+)?(?=[\"\u201c]|``|'')", rest)
    if found is None and not quotes.starts_with_quote(text, content[0]):
        # 'The ruling was a "veiled sanction," he said, aimed at "silencing critics"': a
        # partial quotation goes on past the tag in the speaker's words.
        found = _PARTIAL_TAIL.match(rest)
        if found is not None and CUE_RE.search(rest, 0, found.end()):
            found = None
    if found is None:
        return content
    start = c1 + found.end()
    end = quotes.close_of(text, start, start + 1, s1 if s1 > start else start + 1)
    end = quote_extend(text, start, s1)
    return (content[0], max(content[1], end))


def quote_extend(text: str, start: int, s1: int) -> int:
    close = quotes.closing_at_end(text, start, s1)
    return close[1] if close is not None else rstrip_end(text, start, s1)


def content_right(text: str, sentence: Sentence, c1: int, lemma: str) -> Range | None:
    s1 = sentence.end
    start = c1
    if lemma in RECIPIENT and (named := _RECIPIENT_THEN_CLAUSE.match(text, c1, s1)):
        start = named.end()  # "told The Courier she would run": the clause is the content
    elif lemma in RECIPIENT:
        found = _RECIPIENT_END.match(text, c1, s1)
        if found is not None and len(text[c1 : found.end()].split()) <= 8:
            marker = _CONTENT_MARK.match(text, found.end(), s1)
            if marker is not None:
                start = found.end()
            elif re.match(r"\s+to\s", text[found.end() : found.end() + 4]):
                start = found.end()  # "urged the council to act": the content is "to act"
    marker = _CONTENT_MARK.match(text, start, s1) or _ADJUNCT_MARK.match(text, start, s1)
    if marker is not None:
        if marker.group("that"):
            start = marker.start("that")
        elif marker.group("colon"):
            start = marker.end("colon")
        else:
            start = marker.start("quote")
    start = skip_space(text, start, s1)
    while start < s1 and text[start] in ",":
        start = skip_space(text, start + 1, s1)
    tail = _ACCORDING_TAIL.search(text, start, s1)
    stop = tail.start() if tail else s1
    stop = _before_tagged_quotation(text, start, stop)
    # Outlet additions after the reported clause: an aside set off by a dash, or the subject's
    # next action ("... but did not say when").
    tail_cut = _CONTENT_TAIL.search(text, start, stop)
    if (
        tail_cut is not None
        and tail_cut.start() - start > 10
        and not quotes.unclosed(text, start, tail_cut.start())
    ):
        stop = tail_cut.start()
    for joint in _AND_CUE.finditer(text, start, stop):
        verb = CUE_RE.match(text, joint.end(), stop)
        if verb is not None and lemma_of(verb.group()) != verb.group().lower():
            stop = joint.start()  # "... and said D": a second attribution starts here
            break
    end = content_end(text, start, stop)
    if end - start < 2 or not any(ch.isalnum() for ch in text[start:end]):
        return None
    if quotes.unclosed(text, start, end):
        end = quotes.close_of(text, start, end, sentence.paragraph.end)
    return (start, end)


_COLON_QUOTE = re.compile(r":\s*(?=[\"\u201c]|'')")
_TAG_AFTER_QUOTE = re.compile(
    r"\s*(?:he|she|they|it|we|I|(?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3})\s+"
)


def _before_tagged_quotation(text: str, start: int, stop: int) -> int:
    """'X asserted that C: "Q," he claimed.': the quotation after the colon has a speaker tag
    of its own, so the content ends at the colon."""
    colon = _COLON_QUOTE.search(text, start, stop)
    if colon is None:
        return stop
    regions = quotes.regions(text, colon.end(), stop)
    if not regions or regions[0][0] != colon.end():
        return stop
    tag = _TAG_AFTER_QUOTE.match(text, regions[0][1], stop)
    if tag is None or CUE_RE.match(text, tag.end(), stop) is None:
        return stop
    return colon.start()


def content_end(text: str, start: int, s1: int) -> int:
    """The sentence end, less terminal punctuation outside quotation marks."""
    end = rstrip_end(text, start, s1)
    if quotes.closing_at_end(text, start, end) is not None:
        return end
    while end > start and text[end - 1] in TERMINAL:
        end -= 1
    return rstrip_end(text, start, end)


def run_on(
    text: str, item: Attribution, units: list[Unit], index: int, quoted: quotes.Quoted
) -> None:
    """Quotations continuing in the next sentences of the paragraph join the content.

    After a quotation-first attribution ('"Q1," X told reporters. "Q2."') the content is the
    whole stretch, speaker tag included, as PolNeAR annotates it (content exact F1 on its dev
    set 0.412 -> 0.482); the statement leaves the tag out (``statements._content_text``). A
    second claim for Q2 was measured too and cost precision on every part. Where the tag holds
    an attribution of its own ('"Q1," she said, adding that C. "Q2."') the content stays Q1,
    so C keeps its claim, and the quotations after it go to ``continued``, so the outlet-voice
    detector does not mistake them for the outlet's words.
    """
    if quotes.closing_at_end(text, item.content[0], item.content[1]) is None and (
        item.pattern != "left"
    ):
        return
    # The content may already have run past this sentence (a multi-sentence quotation).
    # Units are sorted and disjoint: bisection, not a walk, keeps a long paragraph linear.
    position = max(index + 1, bisect_left(units, item.hull[1], key=_start))
    span: Range | None = None
    while position < len(units):
        end = quoted.end_at.get(units[position].start)
        if end is None:
            break
        # Only a quotation standing alone joins; '"Q2," she added.' is its own attribution.
        if text[end : _sentence_end_at(units, end)].strip(" .,!?\u00a0"):
            break
        span = (span[0] if span is not None else units[position].start, end)
        position = max(position + 1, bisect_left(units, end, key=_start))
    if span is None:
        return
    if item.content[1] > item.cue[0] or not CUE_RE.search(text, item.cue[1], span[0]):
        item.content = (item.content[0], span[1])
    else:
        # '"Q1," she said, adding that C. "Q2."': the tag holds an attribution of its own.
        item.continued = span


def _start(unit: Unit) -> int:
    return unit.start


def _sentence_end_at(units: list[Unit], offset: int) -> int:
    """The end of the first unit holding ``offset`` (ends included), else ``offset``."""
    index = bisect_right(units, offset, key=_start) - 1
    # Units are disjoint, so only the one before can also hold it, by ending right there.
    for candidate in (index - 1, index):
        if candidate >= 0 and units[candidate].start <= offset <= units[candidate].end:
            return units[candidate].end
    return offset
