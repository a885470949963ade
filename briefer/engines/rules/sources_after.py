"""Source phrases after their cue: '"Q," said Jo Li, a nurse' and "according to the audit"."""

from __future__ import annotations

import re

from briefer.engines.rules.grammar import WEEKDAY
from briefer.engines.rules.phrases import plausible_source
from briefer.engines.rules.relation import Range
from briefer.engines.rules.text_ranges import QUOTE_CHARS, TERMINAL, skip_space, trim_range

_SOURCE_RIGHT_END = re.compile(
    r"\s+(?:in\s+(?:a|an|the|his|her|their)\s+(?:statement|interview|"
    r"speech|email|e-mail|letter|post|tweet|video|op-ed|press\s+release|news\s+conference|"
    r"conference\s+call|radio|television)|on\s+" + WEEKDAY + r"|"
    # "a fellow at the Brookings Institution" names the source; "at the rally" sets a scene.
    r"during(?-i:(?!\s+[A-Z]))|at\s+(?:a|an|the)\b(?-i:(?!\s+[A-Z]))|last\s+\w+|this\s+\w+|earlier|later|on\s+twitter|"
    r"on\s+facebook|told|adding|according)\b|,\s*(?:adding|according|citing|which|"
    r"[\"\u201c]|[a-z]+ing\b)|\s*[;:\"\u201c]|\s+[-\u2013\u2014]+\s|\s+''",
    re.IGNORECASE,
)


def source_right(text: str, c1: int, s1: int) -> Range | None:
    """``"Q," said X, a Y of Z.``: the source phrase after the cue."""
    start = skip_space(text, c1, s1)
    found = _SOURCE_RIGHT_END.search(text, start, s1)
    end = found.start() if found else s1
    start, end = trim_range(text, start, end)
    while end > start and text[end - 1] in TERMINAL + QUOTE_CHARS:
        end -= 1
    if start >= end:
        return None
    relative = _RELATIVE_AFTER_NAME.search(text, start, end)
    if relative is not None and not plausible_source(text[start:end], loose=True, long_ok=True):
        end = relative.start()  # too long to be one phrase: the name before ", who"
    if plausible_source(text[start:end], loose=True, long_ok=relative is not None):
        return (start, end)
    # "said Jo Li, an economist at the institute, a think tank whose ...": what follows the
    # name and its first appositive may be a clause; the longest plausible part is the source.
    comma = text.rfind(",", start, end)
    while comma > start:
        if plausible_source(text[start:comma], loose=True):
            return trim_range(text, start, comma)
        comma = text.rfind(",", start, comma)
    return None


# ", who served as ...": a relative clause the source phrase after a cue keeps, as PolNeAR
# marks it ('"Q," said Jo Li, who ran the fund').
_RELATIVE_AFTER_NAME = re.compile(r",\s+who\b")

# Where an "according to" source phrase ends: a new clause or a participle describing it
# ("a survey released ...", "officials who ...").
_DESCRIBING = (
    "who|which|that|released|published|conducted|taken|obtained|issued|seen|shared|reviewed|cited"
)
_SOURCE_STOP = re.compile(r"\s+(?:and|but|" + _DESCRIBING + r")\s")


_SHORT_CONJUNCT = 4


def source_after(text: str, a1: int, s1: int) -> Range | None:
    """The source phrase after "according to": up to a comma, clause or the sentence end."""
    start = skip_space(text, a1, s1)
    limit = s1
    for pattern in (",", ";", " \u2014", " -- ", ":"):
        found = text.find(pattern, start, limit)
        if found != -1:
            limit = found
    found = _SOURCE_STOP.search(text, start, limit)
    if found is not None:
        after = text[found.end() : found.end() + 1]
        joined = text[found.start() : found.end()].strip()
        names = text[found.start() - 1 : found.start()].isalpha() and after.isupper()
        # "Democratic and independent analysts", "complete but unofficial returns": a short
        # conjunct that ends the phrase is part of it.
        short = len(text[found.end() : limit].split()) <= _SHORT_CONJUNCT
        if not (joined == "and" and names) and not (joined in ("and", "but") and short):
            limit = found.start()
    start, end = trim_range(text, start, limit)
    while end > start and (
        text[end - 1] in TERMINAL + QUOTE_CHARS
        or (text[end - 1] == ")" and "(" not in text[start:end])
    ):
        end -= 1  # "(... according to exit polls.)": the parenthesis closes around it
    if start >= end or len(text[start:end].split()) > 25:
        return None
    return (start, end)


# Where a source that closes its sentence still ends early: a comma (past an appositive), a
# dash, a parenthesis, a quotation, a semicolon or colon.
_CLOSING_SOURCE_STOP = re.compile(r"\s+[-\u2013\u2014]+\s|\s*[,;:()\"\u201c]|\s+''")


# What goes on describing a source after it: a participle or a relative clause.
_DESCRIBED = re.compile(
    r"\s+(?:" + _DESCRIBING + r"|filed|prepared|commissioned|compiled|provided)\s"
)


# An appositive after a source's comma: "Jo Li, a lobbyist", ", one of the unions", ", who".
_APPOSITIVE = re.compile(r",\s+(?:(?:a|an|another|one|who|which)\s|[A-Z][\w.-]*(?:'s|\u2019s)\s)")


def source_to_end(text: str, base: Range, s1: int) -> Range | None:
    """The source phrase after a closing "according to", with all it carries to the sentence
    end: "according to a poll released Thursday", "... to aides who were there".

    ``base`` is ``source_after``'s phrase; None when what follows it is no single noun phrase
    (a clause goes on after it)."""
    start = base[0]
    if _APPOSITIVE.match(text, base[1], s1) is not None:
        # "according to Jo Li, a lobbyist who ...": the appositive closes the sentence too.
        found = _CLOSING_SOURCE_STOP.search(text, base[1] + 1, s1)
    elif _DESCRIBED.match(text, base[1], s1) is not None:
        found = _CLOSING_SOURCE_STOP.search(text, start, s1)
    else:
        return None  # nothing describing the source follows it ("... and tens of billions")
    if found is not None and text[found.end() : s1].strip(TERMINAL + QUOTE_CHARS + " "):
        return None  # the sentence goes on after the stop: not the closing phrase
    start, end = trim_range(text, start, found.start() if found else s1)
    while end > start and text[end - 1] in TERMINAL + QUOTE_CHARS:
        end -= 1
    phrase = text[start:end]
    if start >= end or len(phrase.split()) > 40:
        return None
    if not plausible_source(phrase, loose=True, long_ok=True):
        return None
    return (start, end)
