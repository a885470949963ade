"""Sentence shapes around a cue besides 'X said C': quote first, parenthetical, as, participle."""

from __future__ import annotations

import re

from briefer.engines.rules import quotes
from briefer.engines.rules.appositives import appositive_subject
from briefer.engines.rules.content import content_end, content_right, quote_tail
from briefer.engines.rules.grammar import DETERMINERS, INTRO
from briefer.engines.rules.lexicon import CUE_RE, NOUN_LIKE, lemma_of
from briefer.engines.rules.phrases import phrase_range, plausible_source, source_left
from briefer.engines.rules.relation import Attribution, Range, Sentence, make_attribution
from briefer.engines.rules.sources_after import source_right
from briefer.engines.rules.subjects import SUBJECT, sentence_subject
from briefer.engines.rules.text_ranges import (
    closing_quote_before,
    rstrip_end,
    skip_intro,
    skip_space,
    trim_range,
)

# A sentence opening with a participial phrase: "Reached by telephone, ...", "Asked about X, ...".
# Not a name with a verb after it: "Warren appeared with ..., saying".
_LEADING_PARTICIPLE = re.compile(
    r"[A-Z][a-z]+(?:ed|en|ing)\b"
    r"(?!\s+(?:[a-z]+ed|[a-z]+s|said|told|has|had|was|is|will|would|did|does)\b)"
    r"[^,;:\"\u201c]{0,60},\s*"
)

# A sentence opening with a condition: "If ...", "Unless ...", "Even if ...".
_CONDITIONAL = re.compile(r"(?:[Ee]ven\s+if|[Ii]f|[Uu]nless|[Pp]rovided|[Ss]hould)\s")

# The first half of an equative comparison, right before its second "as": "as bad as".
_EQUATIVE = re.compile(r"\bas\s+(?:\w+\s+){1,2}$", re.IGNORECASE)


def _with_closing_comma(text: str, src: Range, end: int) -> Range:
    """An appositive source keeps the comma closing it ('"Q," Jo Li, a nurse, said'), as in
    the source-first shape."""
    if "," in text[src[0] : src[1]] and text[src[1] : end] == ",":
        return (src[0], end)
    return src


def content_left(text: str, sentence: Sentence, cue_start: int, c1: int) -> Attribution | None:
    """``"Q," X said`` / ``"Q," said X`` / ``C, X said.``: the content comes before the cue."""
    s0, s1 = sentence.start, sentence.end
    left_end = rstrip_end(text, s0, cue_start)
    close = closing_quote_before(text, s0, left_end)
    if close is not None:
        open_at = quotes.opening_before(text, close[0], sentence.paragraph.start)
        if open_at == -1 or open_at >= close[0]:
            return None
        # 'The ruling was a "veiled sanction," he said': the words before the quotation in
        # its sentence are the speaker's too (a partial quotation).
        lead = skip_space(text, s0, open_at)
        content = (
            lead if lead < open_at and _partial_lead(text, lead, open_at) else open_at,
            close[1],
        )
        between = (close[1], left_end)
        if _verb_between(text, *between):
            return None  # '"Q," she said, adding ...': the quotation has its own cue
        if text[between[0] : between[1]].strip():
            src = phrase_range(text, *between)
            # '"Q," it said': a body or document named in an earlier sentence.
            if src is None or not (
                plausible_source(text[src[0] : src[1]], loose=True) or text[src[0] : src[1]] == "it"
            ):
                return None
            src = _with_closing_comma(text, src, left_end)
        else:
            src = source_right(text, c1, s1)
            if src is None:
                return None
        content = quote_tail(text, content, c1, s1)
        return make_attribution(text, src, (cue_start, c1), content, "left")

    # C, X said.  The source is the last comma-separated phrase before the cue.
    comma = text.rfind(",", s0, cue_start)
    if comma == -1:
        return None
    if not text[comma + 1 : cue_start].strip():
        # C, said X.
        src = source_right(text, c1, s1)
        content = trim_range(text, s0, comma)
        if src is None or len(text[content[0] : content[1]].split()) < 4:
            return None
        return make_attribution(text, src, (cue_start, c1), content, "left")
    src = phrase_range(text, comma + 1, left_end)
    if src is None:
        return None
    phrase = text[src[0] : src[1]]
    if not plausible_source(phrase, loose=False):
        return None
    content = trim_range(text, s0, comma)
    if len(text[content[0] : content[1]].split()) < 4:
        return None
    return make_attribution(text, src, (cue_start, c1), content, "left")


# Words after which a cue word is a verb again: '"Q," she said, and aides report'.
_NOT_IN_A_NOUN_PHRASE = frozenset(
    "and but or he she they we i you it who which that also then , ;".split()
)


def _verb_between(text: str, start: int, end: int) -> bool:
    """Whether a cue verb sits between a quotation and the cue; in '"Q," the IMF report said'
    the report is a noun: a noun-like cue word after another word of its phrase."""
    for match in CUE_RE.finditer(text, start, end):
        form = match.group().lower()
        lemma = lemma_of(form)
        before = text[start : match.start()].split()
        if not (lemma in NOUN_LIKE and form in (lemma, lemma + "s") and before):
            return True
        if before[-1].lower() in _NOT_IN_A_NOUN_PHRASE:
            return True
    return False


def _partial_lead(text: str, start: int, open_at: int) -> bool:
    """Whether the words before a quotation run into it as one clause ("The plan was a")."""
    lead = text[start:open_at]
    if len(lead.split()) < 2 or any(mark in lead for mark in ":;"):
        return False
    # 'X said the plan was a "disaster," he added' has a speaker of its own before the
    # quotation; "The ruling was a" has only a noun ("the ruling") that looks like a cue.
    for match in CUE_RE.finditer(text, start, open_at):
        before = text[start : match.start()].split()
        if not before or before[-1].lower() not in DETERMINERS:
            return False
    return True


def parenthetical(text: str, sentence: Sentence, cue_start: int, c1: int) -> Attribution | None:
    """``The trouble, Kerr writes, began early``: the sentence around is the content."""
    s0, s1 = sentence.start, sentence.end
    after = text[c1:s1]
    if not after.startswith(","):
        return None
    rest = after[1:].lstrip()
    if not rest or rest[:1] in quotes.OPENERS or rest.startswith(("''", "``")):
        return None  # "..., he said, 'Q'": the quotation is the content
    comma = text.rfind(",", s0, cue_start)
    if comma == -1 or closing_quote_before(text, s0, rstrip_end(text, s0, cue_start)):
        return None
    lead = text[s0:comma].strip()
    if not lead or (lead.split()[0].lower() in INTRO and len(lead.split()) <= 4):
        return None
    src = phrase_range(text, comma + 1, cue_start)
    if src is None or not plausible_source(text[src[0] : src[1]], loose=False):
        return None
    if len(text[src[0] : src[1]].split()) > 8:
        return None
    # "The reply was evasive: the losses, its statement insisted, were errors": what comes
    # before the colon is the outlet's own sentence, not the source's words.
    start = skip_space(text, max(text.rfind(":", s0, comma), text.rfind(";", s0, comma)) + 1, s1)
    start = max(start, s0)
    return make_attribution(
        text, src, (cue_start, c1), (start, content_end(text, start, s1)), "right"
    )


def as_clause(text: str, sentence: Sentence, src: Range, cue: Range) -> Attribution | None:
    """``As X said, C`` or ``C, as X said``."""
    s0, s1 = sentence.start, sentence.end
    # Sentence-initial "As" is capitalised: "As Jo Li noted, C".
    as_start = max(text.rfind("as", s0, src[0]), text.rfind("As", s0, src[0]))
    if (
        _CONDITIONAL.match(text, s0, s1)
        and "," not in text[s0:as_start]
        and _EQUATIVE.search(text, s0, as_start)
    ):
        # "If the audit is as bad as the leaks suggest, ...": a comparison inside a condition
        # measures the outlet's own supposition against a hedge; nobody is reported as saying
        # anything. ("If C, as experts believe, ..." still credits C to the experts.)
        return None
    before = text[s0:as_start].strip()
    if not before or before in quotes.OPENERS:
        comma = text.find(",", cue[1], s1)
        if comma == -1:
            return None
        content = trim_range(text, comma + 1, s1)
    else:
        comma = text.rfind(",", s0, as_start + 1)
        end = comma if comma != -1 and not text[comma:as_start].strip(", ") else as_start
        content = trim_range(text, s0, end)
    if content[1] - content[0] < 3:
        return None
    return make_attribution(text, src, cue, content, "right")


def participle(
    text: str,
    sentence: Sentence,
    cue_start: int,
    c1: int,
    lemma: str,
    local: list[Attribution],
) -> Attribution | None:
    """``X criticised Y on Monday, saying C``: the sentence's subject is the source."""
    subject = _clause_subject(text, sentence.start, cue_start)
    content = content_right(text, sentence, c1, lemma)
    if content is None:
        return None
    if subject is not None:
        # "Court filings show ...": an attribution already found at the subject's start has
        # the whole noun phrase, where the capitalised-run pattern stops at "Court".
        same = [item.source for item in local if item.source and item.source[0] == subject[0]]
        if same:
            subject = same[0]
    speaker = _participle_speaker(local, subject, cue_start)
    if speaker is None:
        return None
    return make_attribution(text, speaker, (cue_start, c1), content, "right")


# "released a statement Wednesday saying C": the release and the statement are the cue.
_ISSUED = re.compile(
    r"\b(?:released|issued|put\s+out|published|sent|posted|distributed)\s+(?:a|an|the|its|his|"
    r"her|their)\s+(?:\w+\s+)?(?:statement|report|letter|memo|press\s+release|video|ad|tweet|"
    r"note|e-?mail|message)\b[^,.;:\"\u201c]{0,40}?,?\s+$",
    re.IGNORECASE,
)


def issued_document(
    text: str, sentence: Sentence, cue_start: int, c1: int, lemma: str
) -> Attribution | None:
    """``X released a statement Tuesday saying C``: X is the source, the whole stretch from
    "released" to "saying" the cue (as PolNeAR marks it)."""
    found = _ISSUED.search(text, max(sentence.start, cue_start - 120), cue_start)
    if found is None:
        return None
    source = source_left(text, sentence.start, found.start())
    content = content_right(text, sentence, c1, lemma)
    if source is None or content is None:
        return None
    return make_attribution(text, source[0], (found.start(), c1), content, "right")


def _clause_subject(text: str, s0: int, cue_start: int) -> Range | None:
    """The subject of the clause a participle cue hangs off, past any opening phrase."""
    agent = _WITH_AGENT.search(text, max(s0, cue_start - 80), cue_start)
    if agent is not None:
        return agent.span("agent")  # "ended with Maddow asking": the one doing the asking
    # The last joint: the participle hangs off the clause nearest it.
    joint = next(reversed(list(_CLAUSE_JOINT.finditer(text, s0, cue_start))), None)
    if joint is not None and not quotes.unclosed(text, s0, joint.start()):
        s0 = joint.end()  # "It's a big if, but Sanders was in San Diego ..., emphasizing"
    start = skip_intro(text, s0, cue_start)
    opener = _LEADING_PARTICIPLE.match(text, start, cue_start)
    if opener is not None:
        start = opener.end()  # "Reached by telephone, he declined ...": not a name
    subject: Range | None = appositive_subject(text, start, cue_start)
    if subject is not None:
        return subject
    found = SUBJECT.match(text, start)
    if found is not None and found.group().split()[0].lower() in INTRO:
        # "Meanwhile the shipping lines ... are suing, saying": the adverb is not a name.
        start = skip_space(text, start + len(found.group().split()[0]), cue_start)
        found = SUBJECT.match(text, start)
        subject = sentence_subject(text, start, cue_start) if found is None else None
    if found is not None and found.group().lower() in DETERMINERS:
        # "The port authority has asked ..., contending": a capitalised determiner opens a
        # noun phrase, which runs up to its verb.
        subject = sentence_subject(text, s0, cue_start)
    elif found is not None:
        subject = found.span()
    elif subject is None and start > s0:
        # "Throughout the spring, council members pushed ..., saying": a lowercase subject.
        subject = sentence_subject(text, start, cue_start)
    return subject


# ", but Sanders was ...": a clause of its own, with its own subject.
_CLAUSE_JOINT = re.compile(r"[,;]\s+(?:but|and|yet|so|while)\s+(?=[A-Z]|(?:he|she|they|we)\b)")

# "with Donald Trump tweeting": the noun phrase right before the participle does it.
_WITH_AGENT = re.compile(
    r"\bwith\s+(?P<agent>(?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w.'\u2019-]*)\s+$"
)


def _participle_speaker(
    local: list[Attribution], subject: Range | None, cue_start: int
) -> Range | None:
    """Who a participle cue reports: a reported clause's source, the subject, or the last
    speaker in the sentence."""
    host = [
        item.source
        for item in local
        if item.source is not None
        and item.cue[1] <= cue_start
        and item.content[0] <= cue_start < item.content[1]
        and subject is not None
        and item.source[0] > subject[1]
    ]
    if host:
        # "Records show that four lines are suing, arguing C": the participle belongs to the
        # reported clause it sits in, so its subject is that clause's source.
        return host[-1]
    if subject is None or subject[1] > cue_start:
        # '"Q," she said, adding that C': the same speaker goes on.
        earlier = [
            item.source for item in local if item.source is not None and item.cue[1] <= cue_start
        ]
        return earlier[-1] if earlier else None
    return subject
