"""Attributions marked by a set phrase, not a cue verb: "according to", "In a poll", "Name:",
dash credits."""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefer.engines.rules import quotes
from briefer.engines.rules.content import content_end, quote_extend
from briefer.engines.rules.relation import (
    REACH,
    Attribution,
    Range,
    Sentence,
    make_attribution,
    sourceless,
)
from briefer.engines.rules.sources import speaks
from briefer.engines.rules.sources_after import source_after, source_to_end
from briefer.engines.rules.text_ranges import QUOTE_CHARS, skip_space, trim_range
from briefer.segment import Unit

# A speaker label: a capitalised name (with an optional title word) before a colon.
COLON_RE = re.compile(r"[A-Za-z.)](?P<colon>:)\s+\S")


def label_colons(text: str, start: int, end: int) -> Iterator[int]:
    """The colon of each ``COLON_RE.finditer(text, start, end)`` match, found from the colons.

    The pattern starts at any letter, so a scan tries it at nearly every position; a match
    can only start just before a colon, and ``str.find`` skips to those. Trying them left to
    right and going on after each match's end is what ``finditer`` does.
    """
    position = start
    colon = text.find(":", start + 1, end)
    while colon != -1:
        found = COLON_RE.match(text, colon - 1, end)
        if found is not None:
            yield colon
            position = found.end()
        colon = text.find(":", max(colon, position) + 1, end)


_NAME_RUN = re.compile(
    r"(?:(?:[A-Z][\w-]*\s+)?(?:pollster|spokes(?:man|woman|person)|analyst|strategist|adviser|"
    r"advisor|senator|governor|candidate|director|chairman|president|secretary|official)\s+)?"
    r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.\s+)?[A-Z][\w'\u2019.-]*(?:\s+(?:[A-Z][\w'\u2019.-]*|"
    r"of|the|de|al|bin))*(?:\s+to\s+[A-Z][\w\s'\u2019.-]{0,40})?\s*$"
)

# "Time: 10 a.m." and other form labels are not speakers ("Poll: Ruiz leads" is the poll's).
_LABELS = frozenset(
    """the latest breaking live exclusive opinion analysis editorial commentary review
    fact check watch listen timeline recap
    time date dates location place where when note notes update updated source sources photo
    image video watch read related correction editor disclaimer warning price cost tags tag
    category share follow subscribe q a answer question topic subject title headline byline
    contact email phone address website web site via credit credits caption listen""".split()
)

# A headline's deck after a colon: an embedded question ("How X Did Y") or a "Why/Inside ..."
# teaser. A wh-clause that is not itself a question is the standard shape of a title's second
# half, not of anything a speaker is reported as saying.
_HEADLINE_DECK = re.compile(
    r"(?:How|Why|What|When|Where|Who|Inside|Behind)\b(?![^\n]*\?\s*$)", re.IGNORECASE
)

# A speaker's own voice in a heading ("Mayor Lin: Why I Will Run"): a title deck has none.
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I\u2019m|[Ww]e|[Mm]y|[Oo]ur|[Uu]s|[Mm]e)\b")

# Three branches, each opening with its mark (not ``''|["\u201d]``), so the scan skips to them.
_DASH_CREDIT = re.compile(
    r"(?:''|\"|\u201d)[\s\u00a0]*(?P<dash>[\u2015\u2014\u2013]|--)[\s\u00a0]*"
    r"(?P<name>[A-Z][\w'\u2019.-]*(?:[ \u00a0]+[A-Z][\w'\u2019.-]*){0,4})"
    r"[ \u00a0]*\.?[ \u00a0]*(?=\n|$)"
)


def according(text: str, sentence: Sentence, a0: int, a1: int) -> Attribution | None:
    """``According to X, C`` or ``C, according to X``."""
    s0, s1 = sentence.start, sentence.end
    lead = text[s0:a0].strip().strip(QUOTE_CHARS).strip()
    leading = not lead or lead.lower() in {"but", "and", "yet", "also", "so"}
    # "C, according to a poll released Thursday by X": a closing source runs to the end.
    src = source_after(text, a1, s1)
    if src is not None and not leading:
        src = source_to_end(text, src, s1) or src
    if src is None:
        return None
    if leading:
        comma = text.find(",", src[1], s1)
        if comma == -1:
            return None
        if comma - src[1] > 3:
            # "According to results of polls conducted for X by Y, C": up to the comma.
            src = trim_range(text, src[0], comma)
            if len(text[src[0] : src[1]].split()) > 25 or quotes.unclosed(text, *src):
                return None
        content = trim_range(text, comma + 1, s1)
    else:
        # The clause before "according to", back to the sentence start or a semicolon.
        floor = max(text.rfind(";", s0, a0) + 1, s0)
        content = trim_range(text, floor, a0)
        if text[content[1] - 1 : content[1]] == "(":
            content = trim_range(text, floor, content[1] - 1)  # "C (according to X)"
    if content[1] - content[0] < 3:
        return None
    return make_attribution(text, src, (a0, a1), content, "according")


# "In a CNN poll released Monday, 31% said ...": a survey named as the source of its figures.
_IN_POLL = re.compile(
    r"(?P<cue>In)\s+(?P<src>(?:the|a|an|one|two|this|that|these|those|its|his|her|their|our|"
    r"[A-Z][\w.'\u2019-]*)\b[^,;:\"\u201c\u201d()]{0,100}?\b(?:polls?|surveys?|polling)"
    r"(?:\s+(?:released|conducted|taken|published|out|of|by|from|for|in|on|this|last|that)\b"
    r"[^,;:\"\u201c\u201d()]{0,80}?)?)\s*,\s+(?=\S)"
)


def in_poll(text: str, sentence: Sentence) -> Attribution | None:
    """``In a poll released Monday, C``: the poll is the source of the sentence's figures."""
    found = _IN_POLL.match(text, sentence.start, sentence.end)
    if found is None or len(found.group("src").split()) > 25:
        return None
    content = trim_range(text, found.end(), sentence.end)
    if len(text[content[0] : content[1]].split()) < 3:
        return None
    return make_attribution(text, found.span("src"), found.span("cue"), content, "according")


def passive(text: str, sentence: Sentence, p0: int, p1: int) -> Attribution | None:
    """``It was reported that C``: a claim with no source at all."""
    content = trim_range(text, p1, sentence.end)
    content = (skip_space(text, content[0], content[1]), content[1])
    if content[1] - content[0] < 6:
        return None
    cue_start = p0 + 2
    while cue_start < p1 and text[cue_start].isspace():
        cue_start += 1
    return sourceless(text, (cue_start, p1), content, "unnamed (passive)", "vague")


def colon_label(
    text: str, sentence: Sentence, colon: int, quoted: quotes.Quoted
) -> Attribution | None:
    """``Name: "quote"`` and headline/transcript ``Name: content``."""
    s0 = sentence.start
    if quoted.encloses((colon, colon + 1)):
        return None
    run = _NAME_RUN.search(text[s0:colon])
    if run is None:
        return None
    src = (s0 + run.start(), s0 + run.end())
    at_start = not text[s0 : src[0]].strip(" " + QUOTE_CHARS)
    after = skip_space(text, colon + 1, sentence.end)
    opens_quote = quotes.starts_with_quote(text, after)
    if not (opens_quote or at_start):
        return None
    if at_start and not opens_quote and not _labels_a_speaker(text, sentence, src, after):
        return None
    if opens_quote:
        end = quote_extend(text, after, sentence.end)
        if quotes.unclosed(text, after, end):
            end = quotes.close_of(text, after, end, sentence.paragraph.end)
    else:
        limit = sentence.paragraph.end if text[src[0] : src[1]].isupper() else sentence.end
        end = content_end(text, after, limit)
    if end - after < 2:
        return None
    return make_attribution(text, src, (colon, colon + 1), (after, end), "right")


def _labels_a_speaker(text: str, sentence: Sentence, src: Range, after: int) -> bool:
    """Whether an unquoted ``Name: content`` names someone speaking, not a form label or topic."""
    name = text[src[0] : src[1]]
    if (
        len(name.split()) > 4
        or name.lower().rstrip(".") in _LABELS
        or (name.lower().startswith("the ") and name.lower()[4:] in _LABELS)
    ):
        return False
    if len(text[after : sentence.end].split()) < 3:
        return False
    if not speaks(name):
        return False  # "The Harbour Affair: ...": a topic introduced, not a speaker
    # "Harbour Scandal: How the Money Vanished": a title and its deck. "Mayor Lin: Why I Will
    # Run" keeps the speaker's own voice, so it stays an attribution.
    return not (
        sentence.paragraph.kind == "heading"
        and _HEADLINE_DECK.match(text, after, sentence.end)
        and not _FIRST_PERSON.search(text, after, sentence.end)
    )


def dash_credits(text: str, paragraph: Unit) -> list[Attribution]:
    """'"Quotation." \u2015 Jo Li': a quotation credited after a dash (lists of reactions)."""
    found: list[Attribution] = []
    for match in _DASH_CREDIT.finditer(text, paragraph.start, paragraph.end):
        close = match.start("dash")
        while close > paragraph.start and text[close - 1].isspace():
            close -= 1
        floor = max(paragraph.start, close - REACH)
        open_at = quotes.opening_before(text, close - 1, floor)
        if open_at == -1 and text[close - 1] == "\u201d":
            open_at = text.rfind("\u201c", floor, close - 1)
        if open_at == -1:
            continue
        src = trim_range(text, match.start("name"), match.end("name"))
        found.append(make_attribution(text, src, match.span("dash"), (open_at, close), "left"))
    return found
