"""The attribution a lexicon cue word heads: which side of it the source and the content sit."""

from __future__ import annotations

import re

from briefer.engines.rules import quotes
from briefer.engines.rules.content import (
    RECIPIENT_GROUPS,
    RELATIVE_END,
    TRIVIAL_RIGHT,
    clausal,
    content_right,
)
from briefer.engines.rules.cue_context import (
    Cue,
    after_passive_be,
    controlled,
    heads_participle,
    read_cue,
    reports_speech,
)
from briefer.engines.rules.cue_phrase import cue_prefix
from briefer.engines.rules.cue_shapes import (
    as_clause,
    content_left,
    issued_document,
    parenthetical,
    participle,
)
from briefer.engines.rules.grammar import BE, DETERMINERS, MONTHS, QUOTE_ONLY_VERBS, WEEKDAY
from briefer.engines.rules.lexicon import AS_ONLY, ATTITUDES, CLAUSAL_ONLY, CUE_RE, HEARSAY
from briefer.engines.rules.phrases import source_left
from briefer.engines.rules.relation import (
    Attribution,
    Range,
    Sentence,
    make_attribution,
    sourceless,
)
from briefer.engines.rules.sources import RELATIVES
from briefer.engines.rules.subjects import sentence_subject
from briefer.engines.rules.text_ranges import (
    BARE_WORD,
    closing_quote_before,
    just_after_comma,
    rstrip_end,
    skip_space,
    trim_range,
    words_before,
)

# ", and the council ...": a coordinated clause with a subject of its own.
_NEW_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas|yet)\s+(?=(?:the|a|an|[A-Z])\b)")

# Memory and perception verbs: "voters will not forget" predicts what people will think.
_MEMORY_VERBS = frozenset(
    "forget remember know learn notice see realize realise recognize recognise understand".split()
)
_FUTURE = frozenset("will won't won\u2019t shall 'll \u2019ll".split())

# "see the race as close": the object, then "as" and the view of it.
_AS_VIEW = re.compile(r"(?:[\w'\u2019$%.,-]+\s+){1,10}?as\s+\S")

# The linking word an attitude phrase ends in ("convinced that", "eager to").
_ATTITUDE_LINK = re.compile(r"\s+(?:that|to)$")
_LINKED_ATTITUDES = frozenset(a for a in ATTITUDES if a.endswith((" that", " to")))


# A preposition that goes with the cue verb ("talked about", "argued against", "pushed for").
def _word_after(word: str) -> re.Pattern[str]:
    return re.compile(r"\s+(?P<word>" + word + r")\s+")


_KNOWN_AS, _TO, _ABOUT = _word_after("as"), _word_after("to"), _word_after("about")
_CUE_PREPOSITION = re.compile(r"\s+(?P<word>about|against|for)\s+(?!that\b|whether\b)")

# Verbs that invert after their content: "..., said the mayor" / "..., wrote Jo Li".
_INVERTING = frozenset("say add write explain note argue insist continue warn ask".split())

_NAME_SEGMENT_END = re.compile(r",|[.!?]+[\"'\u201d\u2019]*\s*$")

_DATES = frozenset([*"monday tuesday wednesday thursday friday saturday sunday".split(), *MONTHS])

# Lowercase title words, then a capitalised name: "political scientist Jo Li".
_TITLED_NAME = re.compile(r"(?:[a-z][\w-]*\s+){1,3}(?!(?i:" + WEEKDAY + r"))[A-Z]")
_SPEAKER_DETERMINERS = frozenset(
    "the a an its his her their our one two three several many some other others most".split()
)

# Passives whose subject is what is expected or known, not who speaks: "is widely expected",
# "are not known", "also known as".
_IMPERSONAL = re.compile(
    r"(?:(?:is|are|was|were|be|been|being|'s|\u2019s)\s+(?:(?:\w+ly|not|also|still|now|once|best)\s+)*"
    r"(?P<word>expected|believed|thought|considered|rumou?red|supposed|intended|known)|"
    r"(?:(?:\w+ly|also|once)\s+)*(?P<word2>known))(?P<as>\s+as)?",
    re.IGNORECASE,
)
_PASSIVE_NAME = "unnamed (passive)"
_HEARSAY_NAME = "unnamed (reports)"
# "reportedly (has) said": the speech verb after the adverb is the cue.
_AUX_AFTER_ADVERB = re.compile(
    r"\s+(?:(?:has|have|had|was|were|is|are|been|being|also|once|even)\s+){0,2}", re.IGNORECASE
)

# Words before "asked" that leave the question without an asker: "Asked whether ...".
_QUESTION_OPENERS = frozenset({"", "when", "after", "while", "once"})


def from_cue(
    text: str, sentence: Sentence, c0: int, c1: int, local: list[Attribution] | None = None
) -> Attribution | None:
    """The attribution the cue word at ``c0:c1`` heads, or None where it reports no speech.

    ``local`` holds what the sentence has yielded so far, for a participle's speaker."""
    item = _from_cue(text, sentence, c0, c1, local if local is not None else [])
    if item is not None and item.source is not None and item.pattern == "right":
        impersonal = _IMPERSONAL.fullmatch(" ".join(text[item.cue[0] : item.cue[1]].split()))
        if impersonal is not None:
            # "Yellen is widely expected to raise rates": what is expected of Yellen, by no one
            # named. "The program known as X": a name, not Yellen's or the program's words.
            word = impersonal.group("word") or impersonal.group("word2")
            named = word.lower() == "known" and impersonal.group("as") is not None
            start = item.content[0] if named else item.source[0]
            end = _name_end(text, start, item.content[1]) if named else item.content[1]
            found = sourceless(text, item.cue, (start, end), _PASSIVE_NAME, "vague")
            found.naming = word.lower() == "known"
            return found
    if item is None or item.cue[1] != c1:
        return item
    link = _ATTITUDE_LINK.search(text, c0, c1)
    if link is not None and " ".join(text[c0:c1].lower().split()) in _LINKED_ATTITUDES:
        # "are convinced that C": the "that" opens the content, as after "said".
        item.cue = (item.cue[0], link.start())
        if item.content[0] >= c1:
            item.content = (skip_space(text, link.start(), c1), item.content[1])
    return item


# What "known as" names: a quotation, a run of capitalised words, or words up to a comma.
_NAMED = re.compile(
    r"[\"\u201c][^\"\u201c\u201d]{1,80}[\"\u201d]|(?:the\s+)?[A-Z][\w'\u2019.-]*"
    r"(?:\s+(?:of\s+|the\s+|for\s+|and\s+)?[A-Z][\w'\u2019.-]*)*"
)


def _name_end(text: str, start: int, end: int) -> int:
    """Where the name after "known as" ends ("the Long Mole, reopened" -> "the Long Mole")."""
    found = _NAMED.match(text, start, end)
    if found is not None:
        return found.end()
    comma = text.find(",", start, end)
    return comma if comma != -1 else end


def _from_cue(
    text: str, sentence: Sentence, c0: int, c1: int, local: list[Attribution]
) -> Attribution | None:
    cue = read_cue(text, sentence, c0, c1)
    if cue.lemma in HEARSAY:
        return _hearsay(text, sentence, c0, c1)
    if cue.form == "asked" and after_passive_be(cue):
        # "Clinton was asked about her speeches": a question from no one named.
        return _unsourced_question(text, sentence, cue_prefix(text, sentence.start, c0), c1)
    if cue.form == "expected" and cue.following == "to" and after_passive_be(cue):
        return _expectation(text, sentence, cue_prefix(text, sentence.start, c0), c1)
    if not reports_speech(text, sentence, cue):
        return None
    cue_start = cue_prefix(text, sentence.start, c0)
    control = controlled(cue)
    if control is not None:
        # "continued to say": the control word and its auxiliaries are part of the cue.
        cue_start = cue_prefix(text, sentence.start, control)
    if cue.lemma == "ask" and cue.form == "asked" and cue.previous in _QUESTION_OPENERS:
        return _unsourced_question(text, sentence, cue_start, c1)
    item = _quotation_first(text, sentence, cue, cue_start)
    if item is not None:
        return item
    if cue.lemma in QUOTE_ONLY_VERBS and not _quotation_follows(text, c1, sentence.end):
        return None  # "and reading from a script": no quotation, no speech
    before = words_before(text, sentence.start, cue_start, 1)
    if cue.verb.endswith("ing") and (
        issued := issued_document(text, sentence, cue_start, c1, cue.lemma)
    ):
        return issued
    if heads_participle(text, sentence, cue, cue_start, before):
        return participle(text, sentence, cue_start, c1, cue.lemma, local)
    if (
        before
        and before[-1][2].lower() in {"and", "but"}
        and (cue.form != cue.lemma or just_after_comma(text, sentence.start, before[-1][0]))
    ):
        # "X criticised the plan and said C"; "They admit that A, but say C".
        return _coordinated(text, sentence, cue, cue_start, before[-1][0])
    if cue.lemma in QUOTE_ONLY_VERBS:
        # "continued" reports speech only next to a quotation: 'He continued: "Q"'.
        item = _source_first(text, sentence, cue, cue_start)
        if item is not None and quotes.starts_with_quote(text, item.content[0]):
            # 'Dockers chanted "No cuts!" outside the hall': the words end with the quotation.
            first = quotes.regions(text, item.content[0], item.content[1])[:1]
            if first and first[0][0] == item.content[0] and first[0][1] < item.content[1]:
                item = make_attribution(text, item.source, item.cue, first[0], "right")
        return item if item is not None and item.quote == "direct" else None
    item = parenthetical(text, sentence, cue_start, c1)
    if item is not None:
        return item
    return _source_first(text, sentence, cue, cue_start)


def _expectation(text: str, sentence: Sentence, cue_start: int, c1: int) -> Attribution | None:
    """ "The vote is widely expected to pass": an expectation no one named holds, about its
    subject, which opens the content."""
    subject = source_left(text, sentence.start, cue_start)
    rest = content_right(text, sentence, c1, "expect")
    if subject is None or rest is None or subject[1]:
        return None
    content = _main_clause_cut(text, sentence.start, subject[0], (subject[0][0], rest[1]))
    comma = text.rfind(",", c1, content[1])
    if comma != -1 and CUE_RE.search(text, comma, content[1]):
        content = trim_range(text, content[0], comma)  # "..., aides said": their claim
    first_comma = text.find(",", c1, content[1])
    if first_comma != -1 and text[subject[0][0] : subject[0][1]].lower() in RELATIVES:
        content = trim_range(text, content[0], first_comma)  # "which is expected to X, opens"
    return sourceless(text, (cue_start, c1), content, _PASSIVE_NAME, "vague")


def _hearsay(text: str, sentence: Sentence, c0: int, c1: int) -> Attribution | None:
    """ "The firm is reportedly in talks": the clause, subject included, from reports no one
    names. Not "Jo Li reportedly said C", whose verb heads the attribution."""
    auxiliaries = _AUX_AFTER_ADVERB.match(text, c1, sentence.end)
    if auxiliaries is not None and CUE_RE.match(text, auxiliaries.end(), sentence.end):
        return None
    subject = source_left(text, sentence.start, cue_prefix(text, sentence.start, c0))
    rest = content_right(text, sentence, c1, "report")
    if rest is None:
        return None
    start = subject[0][0] if subject is not None and not subject[1] else rest[0]
    src = subject[0] if subject is not None else (rest[0], rest[0])
    content = _main_clause_cut(text, sentence.start, src, (start, rest[1]))
    # Unnamed reports, not a generic group ("some say"): anonymous, as an unnamed questioner.
    return sourceless(text, (c0, c1), content, _HEARSAY_NAME, "anonymous")


def _quotation_follows(text: str, c1: int, s1: int) -> bool:
    """'continued: "Q"', 'continued, "Q"': a quotation opens right after the cue."""
    position = skip_space(text, c1, s1)
    if text.startswith((":", ","), position):
        position = skip_space(text, position + 1, s1)
    return quotes.starts_with_quote(text, position)


def _unsourced_question(
    text: str, sentence: Sentence, cue_start: int, c1: int
) -> Attribution | None:
    """'Asked whether he would run, the senator said ...': the question has no source."""
    comma = text.find(",", c1, sentence.end)
    about = _ABOUT.match(text, c1, sentence.end)
    if about is not None:
        c1 = about.end("word")  # "Asked about the vote, ...": the question's preposition
    content = trim_range(text, c1, comma if comma != -1 else sentence.end)
    if content[1] - content[0] < 3:
        return None
    return sourceless(text, (cue_start, c1), content, "unnamed questioner", "anonymous")


# "C, the president told her." / "C, Obama told his advisers as he ...": only the recipient,
# perhaps with a scene, comes after "told", so the content is on the left.
_RECIPIENT_CLOSES = re.compile(
    r"\s+(?:him|her|them|me|us|" + RECIPIENT_GROUPS + r"|lawmakers|officials|"
    r"(?:his|her|their|the|a)\s+(?:[\w'\u2019-]+\s+){0,2}"
    r"[\w'\u2019-]+|[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3})\s*"
    r"(?:[.!?][\"\u201d]?|,?\s+(?:as|when|while|after|before|during)\s[^\"\u201c\u201d]*)$"
)


def _quotation_first(text: str, sentence: Sentence, cue: Cue, cue_start: int) -> Attribution | None:
    """'"Q," X said' / '"Q," said X' / 'C, X said.': a cue with nothing after it, or right
    after a quotation, takes its content from the left."""
    s0 = sentence.start
    if not (
        TRIVIAL_RIGHT.fullmatch(text, cue.end, sentence.end)
        or closing_quote_before(text, s0, rstrip_end(text, s0, cue_start))
        or _inverted_after_comma(text, sentence, cue, cue_start)
        or (cue.lemma == "tell" and _RECIPIENT_CLOSES.fullmatch(text, cue.end, sentence.end))
    ):
        return None
    item = content_left(text, sentence, cue_start, cue.end)
    if item is not None and (cue.lemma not in QUOTE_ONLY_VERBS or item.quote == "direct"):
        return item
    return None


def _inverted_after_comma(text: str, sentence: Sentence, cue: Cue, cue_start: int) -> bool:
    """'C, said Jo Li, a nurse.': a speech verb right after a comma, with the rest of the
    sentence naming who spoke (a capitalised name or a determiner's noun phrase)."""
    if cue.lemma not in _INVERTING or not just_after_comma(text, sentence.start, cue_start):
        return False
    following = text[cue.end : cue.end + 40].lstrip()
    first = following.split(" ", 1)[0].lower() if following else ""
    titled = _TITLED_NAME.match(following) is not None  # "says political scientist Jo Li"
    if not (following[:1].isupper() or first in _SPEAKER_DETERMINERS or titled):
        return False
    # "Jo Li, who ran the campaign, said C": the comma closes an appositive of the source.
    # Unless the words after the cue are a name and nothing more: "The gap, said Jo Li and
    # others, is stark" and "C, said Jo Li, a nurse."
    return source_left(text, sentence.start, cue_start) is None or _bare_name_after(
        text, cue.end, sentence.end
    )


def _bare_name_after(text: str, c1: int, s1: int) -> bool:
    """Whether the words after the cue up to a comma or the sentence end only name someone."""
    found = _NAME_SEGMENT_END.search(text, c1, s1)
    words = text[c1 : found.start() if found else s1].split()
    titled = _TITLED_NAME.match(" ".join(words))
    if titled is not None:
        words = words[len(titled.group().split()) :]  # "union leader Ana Voss": the name
    if not 1 <= len(words) <= 6 or not words[0][:1].isupper() or words[0].lower() in _DATES:
        return False
    return all(w[:1].isupper() or w in {"and", "others", "de", "van", "von", "al"} for w in words)


def _coordinated(
    text: str, sentence: Sentence, cue: Cue, cue_start: int, conjunction: int
) -> Attribution | None:
    """'X criticised the plan and said C': the clause's subject is the source."""
    subject = sentence_subject(text, sentence.start, conjunction)
    content = content_right(text, sentence, cue.end, cue.lemma)
    if subject is None or content is None:
        return None
    return make_attribution(text, subject, (cue_start, cue.end), content, "right")


def _source_first(text: str, sentence: Sentence, cue: Cue, cue_start: int) -> Attribution | None:
    """'X said (that) C' and 'As X said, C': the source ends at the cue."""
    source = source_left(text, sentence.start, cue_start)
    if source is None:
        return None
    src, in_as_clause = source
    c1 = cue.end
    if in_as_clause:
        if text[cue_start:c1].split()[0].lower() in BE:
            return None  # "as the case is heard": a passive, no one speaking
        return as_clause(text, sentence, src, (cue_start, c1))
    if _prediction(text, src, (cue_start, c1), cue.lemma):
        return None
    content = content_right(text, sentence, c1, cue.lemma)
    if content is None:
        return None
    if cue.lemma in CLAUSAL_ONLY and not clausal(text, content):
        return None
    if cue.lemma in AS_ONLY and not _AS_VIEW.match(text, content[0], content[1]):
        return None
    if text.startswith(":", c1):
        c1 += 1  # 'She said: "..."' -- the colon introduces the quotation with the verb
    preposition = _CUE_PREPOSITION.match(text, c1, content[1])
    if cue.lemma == "know":
        preposition = _KNOWN_AS.match(text, c1, content[1])  # "known as the Dreamers"
    elif cue.lemma == "respond":
        preposition = _TO.match(text, c1, content[1])  # "did not respond to requests"
    elif cue.lemma in {"say", "tell"}:
        preposition = None  # "has said for years that C": time, not the verb's preposition
    if preposition is not None and preposition.end() < content[1]:
        # "warned about the cost", "argued against the plan": the verb's preposition is part of
        # the cue, its object the content.
        c1 = preposition.end("word")
        content = (skip_space(text, c1, content[1]), content[1])
    content = _main_clause_cut(text, sentence.start, src, content)
    return make_attribution(text, src, (cue_start, c1), content, "right")


def _main_clause_cut(text: str, s0: int, src: Range, content: Range) -> Range:
    """The content of a relative-clause source, cut where the main sentence goes on."""
    if quotes.starts_with_quote(text, content[0]):
        return content  # 'a message that said, "Sorry, but ..."': the quotation is whole
    if text[src[0] : src[1]].lower() in RELATIVES:
        # "residents who had commented on the plan, and the council still cannot say ...": a
        # clause coordinated after a relative clause is the main sentence going on.
        joint = _NEW_CLAUSE.search(text, content[0], content[1])
        if joint is not None:
            content = trim_range(text, content[0], joint.start())
    if _relative_clause_source(text, s0, src):
        # "Jo Li, who knew the plan would fail, told aides ..." and "The audit, which the
        # agency said it had reviewed, was ...": the relative clause ends at the comma before
        # the main verb.
        close = RELATIVE_END.search(text, content[0], content[1])
        if close is not None:
            content = trim_range(text, content[0], close.start())
    return content


def _prediction(text: str, src: Range, cue: Range, lemma: str) -> bool:
    """'Voters will not forget who looked away': a forecast about what a generic, unquantified
    group will remember is the outlet's speculation, not anything the group said."""
    if lemma not in _MEMORY_VERBS:
        return False
    if not _FUTURE & {word.lower() for word in BARE_WORD.findall(text, *cue)}:
        return False
    phrase = text[src[0] : src[1]].split()
    # A bare plural ("voters", "local taxpayers"; capitalised only at the sentence start): no
    # determiner, no name, no number, so it is a whole class of people, not anyone who spoke.
    return (
        0 < len(phrase) <= 2
        and all(w.isalpha() and w[1:].islower() for w in phrase)
        and all(w.islower() for w in phrase[1:])
        and phrase[0].lower() not in DETERMINERS
        and phrase[-1].endswith("s")
    )


def _relative_clause_source(text: str, s0: int, src: Range) -> bool:
    """Whether the source opens a relative clause set off by a comma (", who" / ", which X")."""
    if text[src[0] : src[1]].lower() in RELATIVES:
        end = rstrip_end(text, 0, src[0])  # not text[:src[0]]: a copy per cue is quadratic
        return text[end - 1 : end] == ","
    before = words_before(text, s0, src[0], 2)
    return len(before) == 2 and before[-1][2].lower() in {"which", "whom"} and before[0][2] == ","
