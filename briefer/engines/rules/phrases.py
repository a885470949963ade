"""Where source phrases begin and end around a cue word (the cue phrase's own start: cue_phrase)."""

from __future__ import annotations

import re
from itertools import pairwise

from briefer.engines.rules import quotes
from briefer.engines.rules.appositives import (
    PARENTHETICAL,
    across_comma,
    is_name,
    joins_names,
    looks_nominal,
    name_led_start,
)
from briefer.engines.rules.counts import (
    approximation,
    comparative_count,
    counts,
    quantified_relative,
)
from briefer.engines.rules.cue_phrase import contracted_subject
from briefer.engines.rules.grammar import (
    ADVERB_SUFFIXES,
    ARTICLES,
    AUX,
    CLAUSE_WORDS,
    DETERMINERS,
    INTRO,
    MONTH,
    NOT_ADVERBS,
    PARTY,
    PREPOSITIONS,
    STOP_WORDS,
    WEEKDAY,
)
from briefer.engines.rules.lexicon import (
    FORMS,
    NOUN_LIKE,
    lemma_of,
)
from briefer.engines.rules.relation import Range
from briefer.engines.rules.sources import (
    PERSONAL_PRONOUNS,
    RELATIVES,
    is_vague,
)
from briefer.engines.rules.text_ranges import (
    QUOTE_CHARS,
    rstrip_end,
    trim_range,
    words_before,
)

_OBJECT_RELATIVES = frozenset(("which", "whom"))
_RELATIVE_PRONOUNS = frozenset(("who", "which", "whose"))
_PERSONAL_RELATIVES = frozenset(("who", "whose"))
_SUBJECT_PRONOUNS = frozenset(("he", "she", "we", "they", "i"))

# Adverbs of place and time between a subject and its cue: "officials here said".
_TRAILING_ADVERBS = frozenset(("here", "there"))

_PARTY = re.compile(r"\s*\(" + PARTY + r"[-\u2013.,][^()]{1,20}\)$")

# "The motion passed on Tuesday instructs ...": the day modifies the participle, and a source
# cut before it would end in a verb form, so the adjunct stays with the noun phrase.
_PARTICIPLE_END = re.compile(
    r"\s(?:[a-z]+ed|written|seen|given|sent|known|shown|made|held|drawn|taken)$"
)

_SOURCE_ADJUNCT = re.compile(
    r"(?:,?\s+(?:on\s+" + WEEKDAY + r"(?:\s+(?:morning|afternoon|"
    r"evening|night))?|" + WEEKDAY + r"|last\s+(?:week|month|year|"
    r"night)|this\s+(?:week|month|year|morning)|earlier\s+this\s+\w+|long\s+ago|"
    r"by\s+contrast|in\s+contrast|however|in\s+turn|too|for\s+(?:his|her|its|their)\s+part|"
    r"for\s+the\s+first\s+time|at\s+the\s+time|in\s+(?:a|an)\s+(?:statement|interview)),?)+$",
    re.IGNORECASE,
)

# A day or week right before the cue: "Jo Li, who ..., on Friday said".
_TIME_BEFORE_CUE = re.compile(
    r"\s+(?:on\s+)?" + WEEKDAY + r"(?:\s+(?:morning|afternoon|evening|night))?$|"
    r"\s+(?:earlier\s+)?(?:last|this)\s+(?:week|month|year)$|\s+in\s+(?:\d{4}|" + MONTH + ")$",
    re.IGNORECASE,
)
_TIME_WORDS = re.compile(WEEKDAY + r"|week|month|year|\d{4}", re.IGNORECASE)


def source_left(text: str, s0: int, cue_start: int) -> tuple[Range, bool] | None:
    """The source phrase ending at the cue, and whether it sits in an ``as`` clause."""
    found = _source_left(text, s0, cue_start)
    if found is None or _TIME_WORDS.fullmatch(text[found[0][0] : found[0][1]]):
        # The walk stopped at the day: the source ends before it, wherever it starts.
        time = _TIME_BEFORE_CUE.search(
            text, max(s0, cue_start - 40), rstrip_end(text, s0, cue_start)
        )
        if time is not None and time.start() > s0:
            return _source_left(text, s0, time.start())
    return found


def _source_left(text: str, s0: int, cue_start: int) -> tuple[Range, bool] | None:
    end = rstrip_end(text, s0, cue_start)
    if end <= s0:
        return None
    party = _PARTY.search(text, max(s0, end - 30), end)
    if party is not None:
        # "Sen. Jo Li (D-Ore.) said": the party tag belongs to the name.
        inner = source_left(text, s0, party.start())
        if inner is not None:
            return (inner[0][0], end), inner[1]
    words = words_before(text, s0, end, 45)
    if not words:
        return None
    last = words[-1][2]
    if last == "," and len(words) > 2:
        return _source_before_comma(text, s0, words)
    if (cut := contracted_subject(last)) is not None:
        return (words[-1][0], words[-1][0] + cut), False  # "He\u2019s said": the pronoun
    if last.lower() in PERSONAL_PRONOUNS or last.lower() in RELATIVES or last.lower() == "it":
        if last.lower() in RELATIVES and not _relative_ok(text, s0, words[-1][0]):
            return None
        as_clause = len(words) > 1 and words[-2][2].lower() == "as"
        first = len(words) - 3 if quantified_relative(words, len(words) - 1) else -1
        return (words[first][0], words[-1][1]), as_clause
    if last == ")":
        # "Sen. Jo Li (a first-term Democrat) says": the aside goes with the name before it.
        opening = text.rfind("(", max(s0, end - 200), end)
        inner = source_left(text, s0, opening) if opening > s0 else None
        if inner is not None and ")" not in text[opening : end - 1]:
            return (inner[0][0], end), inner[1]
        return None
    if last in _DASHES and len(words) > 2:
        return _source_before_dash(text, s0, words[-1][0], end)
    if last in (",", ";", ":", "(") or last in quotes.DOUBLE:
        return None
    if last in _TRAILING_ADVERBS and len(words) > 1:
        return source_left(text, s0, words[-1][0])  # "Workers here said": not the name
    if last.lower() in STOP_WORDS or last.lower() in PREPOSITIONS or last.lower() in AUX:
        return None
    start_index, as_clause = _phrase_start(words)
    start_index = _past_sentence_adverbs(words, start_index)
    if start_index >= len(words):
        return None
    start = words[start_index][0]
    adjunct = _SOURCE_ADJUNCT.search(text, start, end)
    if (
        adjunct is not None
        and adjunct.start() > start
        and not _PARTICIPLE_END.search(text, start, adjunct.start())
    ):
        end = adjunct.start()  # "Jo Li on Friday said": the day is not part of the source
    phrase = text[start:end]
    lead = text[s0:start].strip(" " + QUOTE_CHARS)
    at_sentence_start = not lead or (lead.endswith(",") and start_index > 0)
    if not plausible_source(phrase, loose=False, long_ok=at_sentence_start):
        return None
    return (start, end), as_clause


_DASHES = frozenset(("\u2014", "\u2013", "--", "-"))


def _source_before_dash(text: str, s0: int, dash: int, end: int) -> tuple[Range, bool] | None:
    """'Jo Li \u2014 a teacher \u2014 says': the aside goes with the name before it."""
    mark = text[dash:end]
    opening = text.rfind(" " + mark + " ", max(s0, dash - 250), dash - 1)
    if opening <= s0:
        return None
    inner = source_left(text, s0, opening + 1)
    if inner is None or inner[0][1] != rstrip_end(text, s0, opening + 1):
        return None
    return (inner[0][0], end), inner[1]


def _source_before_comma(
    text: str, s0: int, words: list[tuple[int, int, str]]
) -> tuple[Range, bool] | None:
    """The source when a comma comes right before the cue: past an aside or appositive."""
    lead = text[s0 : words[0][0]].strip(" " + QUOTE_CHARS)
    named = name_led_start(words, at_sentence_start=not lead)
    if named is not None:
        return (words[named][0], words[-1][1]), False
    # "Jane Roe, for example, said" / "the report, prepared by X, reveals"
    comma = next((i for i in range(len(words) - 2, -1, -1) if words[i][2] == ","), None)
    if comma is not None:
        segment = " ".join(w[2] for w in words[comma + 1 : -1])
        participial = re.match(r"[a-z]+(?:ing|ed)\b", segment) is not None
        if participial or (PARENTHETICAL.match(segment) and not looks_nominal(segment.split())):
            inner = source_left(text, s0, words[comma][0])
            if inner is not None and "," in text[inner[0][0] : inner[0][1]]:
                # "Sen. Jo Li, R-Ore., speaking on Friday, said": the appositive's comma stays.
                return (inner[0][0], words[comma][1]), inner[1]
            return inner
        if segment.split(" ", 1)[0] in ("which", "who", "whose"):
            # "Executives for the firm, which made $3 billion, say": the relative clause
            # describes the source and goes with it, as PolNeAR marks it.
            inner = source_left(text, s0, words[comma][0])
            if inner is not None and not inner[1] and "," not in text[inner[0][0] : inner[0][1]]:
                return (inner[0][0], words[-1][1]), False
    if words[-2][2] == ",":
        return None
    inner = source_left(text, s0, words[-1][0])
    if inner is not None and "," in text[inner[0][0] : inner[0][1]]:
        # An appositive source keeps its closing comma: "Jo Li, a nurse, said".
        return (inner[0][0], words[-1][1]), inner[1]
    return inner


def _phrase_start(words: list[tuple[int, int, str]]) -> tuple[int, bool]:
    """Walking left from the cue: the index of the source phrase's first word, and whether
    the walk stopped at an ``as``."""
    start_index = len(words) - 1
    index = len(words) - 1
    while index >= 0:
        token = words[index][2]
        lower = token.lower()
        if token == ",":
            extended = across_comma(words, index, start_index)
            if extended is None:
                break
            index = start_index = extended
            continue
        if token in (";", ":", "(", ")", "[", "]", "\u2014", "\u2013", "--", "-") or (
            token in quotes.DOUBLE or token in ("``", "''")
        ):
            break
        if lower == "and" and index + 1 < len(words) and index > 0:
            if not _and_inside_phrase(words, index):
                break
            start_index = index
            index -= 1
            continue
        if (lower in FORMS and _in_relative(words, index)) or (
            lower in STOP_WORDS and _in_appositive_relative(words, index)
        ):
            # "Jo Li, who never said that it would, said C": the source's relative clause.
            start_index = index
            index -= 1
            continue
        if lower == "than" and comparative_count(words, index):
            start_index = index - 1  # "More than six in 10 said"
            index -= 2
            continue
        if lower == "nor" and (neither := _neither_before(words, index)) is not None:
            return neither, False  # "Neither Cruz nor Christie said"
        if lower == "only" and approximation([w[2] for w in words[index : index + 4]]):
            return index, False  # "Only 52 percent said": "only" is part of the count
        if lower in STOP_WORDS:
            return start_index, lower == "as"
        if lower in _OBJECT_RELATIVES and quantified_relative(words, index):
            return index - 2, False  # "aides, most of whom said"
        if lower in _OBJECT_RELATIVES:
            # "The audit, which the agency said it had reviewed, was ...": the relative pronoun
            # is the reported clause's object; the source is the phrase after it, and the head
            # noun before it belongs to the main clause.
            break
        if lower in FORMS and index != len(words) - 1 and verb_like(words, index):
            break
        start_index = index
        index -= 1
    return start_index, False


def _and_inside_phrase(words: list[tuple[int, int, str]], index: int) -> bool:
    """Whether the "and" at ``index`` joins parts of one source phrase, not two clauses."""
    after = words[index + 1][2]
    return (
        joins_names(words[index - 1][2], after)
        or _closes_a_list_of_names(words, index)
        or _nominal_conjunct(words, index)
        or (after.endswith("ed") and after.islower())
        or (after.lower() in ARTICLES and words[index - 1][2] != ",")
        or _in_relative(words, index)
    )


def _neither_before(words: list[tuple[int, int, str]], index: int) -> int | None:
    """The index of the "neither" that the "nor" at ``index`` closes, a few words back."""
    for back in range(index - 1, max(-1, index - 7), -1):
        word = words[back][2]
        if word.lower() == "neither":
            return back
        if word in (",", ";", ":") or word.lower() in STOP_WORDS:
            return None
    return None


def _nominal_conjunct(words: list[tuple[int, int, str]], index: int) -> bool:
    """Whether the words before the "and" at ``index`` are a noun phrase of their own, so the
    "and" joins two subjects: "Right-wing politicians and average citizens said"."""
    first = index
    while first > 0 and words[first - 1][2] not in (",", ";", ":", *quotes.DOUBLE):
        if words[first - 1][2].lower() in STOP_WORDS:
            break
        first -= 1
    conjunct = [w[2] for w in words[first:index]]
    if not 1 <= len(conjunct) <= 5:
        return False
    if len(conjunct) == 1 and conjunct[0].lower() in _SUBJECT_PRONOUNS:
        return True  # "he and election-law experts agree"
    seen_lower = False
    for word in conjunct:
        lower = word.lower()
        if lower in CLAUSE_WORDS or lower in AUX or (lower in FORMS and word.islower()):
            return False
        if word.islower() and lower.endswith(("ed", "ing", "ly")):
            return False
        if word[:1].isupper() and seen_lower:
            return False  # "Trump beat Democrats": a verb between the names
        seen_lower = seen_lower or word.islower()
    last = conjunct[-1]
    plural = len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is"))
    determined = conjunct[0].lower() in DETERMINERS and len(conjunct) > 1
    return last[:1].isupper() or plural or determined


def _closes_a_list_of_names(words: list[tuple[int, int, str]], index: int) -> bool:
    """ ", and" ending a list of names: "Jo Li, Bo Chan, and other members said"."""
    if words[index - 1][2] != ",":
        return False
    after = words[index + 1][2]
    if not (after[:1].isupper() or after.lower() in DETERMINERS):
        return False
    start = index - 1
    while start > 0 and words[start - 1][2] not in (",", ";", ":", "(", ")"):
        start -= 1
    return (
        start > 0
        and words[start - 1][2] == ","
        and is_name([w[2] for w in words[start : index - 1]])
    )


def _past_sentence_adverbs(words: list[tuple[int, int, str]], start_index: int) -> int:
    """The phrase start moved past a sentence adverb and its comma ("Meanwhile the lines",
    "Separately, the board"): they open the sentence, not the name of whoever speaks."""
    while start_index < len(words) and _sentence_adverb(words[start_index][2]):
        if approximation([w[2] for w in words[start_index : start_index + 3]]):
            break  # "About three in 10 said": the approximation is part of the count
        start_index += 1
        if start_index < len(words) - 1 and words[start_index][2] == ",":
            start_index += 1
    return start_index


def _sentence_adverb(word: str) -> bool:
    """An introductory word ("Meanwhile") or a capitalised derived adverb ("Separately")."""
    lower = word.lower()
    if lower in INTRO:
        return True
    return (
        word[:1].isupper()
        and word[1:].islower()
        and len(word) > 6
        and lower.endswith(tuple(ADVERB_SUFFIXES))
        and lower not in NOT_ADVERBS
    )


def _relative_start(
    words: list[tuple[int, int, str]], index: int, reach: int, pronouns: frozenset[str]
) -> int | None:
    """Where the relative clause holding ``words[index]`` opens (its pronoun), looking back at
    most ``reach`` words with no comma or quotation mark between; None outside one."""
    for back in range(index - 1, max(-1, index - reach), -1):
        word = words[back][2].lower()
        if word in (",", ";", ":") or word in quotes.DOUBLE:
            return None
        if word in pronouns:
            return back
    return None


def _in_relative(words: list[tuple[int, int, str]], index: int) -> bool:
    """Whether ``words[index]`` sits in a relative clause ("which fights hunger and ...")."""
    return _relative_start(words, index, 12, _RELATIVE_PRONOUNS) is not None


def _in_appositive_relative(words: list[tuple[int, int, str]], index: int) -> bool:
    """Whether ``words[index]`` sits in a relative clause set off by a comma after a noun
    phrase ("Jo Li, who never said so, said"), which belongs to the source phrase."""
    opening = _relative_start(words, index, 16, _PERSONAL_RELATIVES)
    return opening is not None and opening > 0 and words[opening - 1][2] == ","


def verb_like(words: list[tuple[int, int, str]], index: int) -> bool:
    """Whether a lexicon word inside a would-be source phrase is a verb, not a noun."""
    word = words[index][2].lower()
    if lemma_of(word) not in NOUN_LIKE:
        return True
    before = words[index - 1][2].lower() if index > 0 else ""
    if before in DETERMINERS or before[:1].isupper() or before.endswith(("'s", "\u2019s")):
        return False
    return not before.isalpha() or before in PERSONAL_PRONOUNS or before in AUX


def _relative_ok(text: str, s0: int, position: int) -> bool:
    """``..., who said`` or ``officials who said``: not ``said that`` complementisers."""
    before = text[max(s0, position - 3) : position]
    return bool(before.strip()) and (before.rstrip().endswith(",") or before[-1:].isspace())


# Nouns a cue word's form can modify: "a think tank".
_NOUN_AFTER_VERB_FORM = frozenset(("tank", "tanks"))

# Nouns that name a group without a plural -s: "police said", "staff say".
_COLLECTIVE = frozenset("people police staff personnel clergy".split())
_STOP_BUT_THAT = STOP_WORDS - {"that"}


def plausible_source(phrase: str, *, loose: bool, long_ok: bool = False) -> bool:
    words = phrase.split()
    if not words:
        return False
    if skip := approximation(words):
        words = words[skip:]  # "about 4 in 10 voters": judged as the count
        phrase = " ".join(words)
    limit = 40 if long_ok else (25 if loose else 14)
    if len(words) > limit:
        return False
    first = words[0]
    lower = [w.lower().strip(",") for w in words]
    if lower[0] in _STOP_BUT_THAT:
        return False
    if lower[0] in PERSONAL_PRONOUNS or (lower[0] in RELATIVES and len(words) == 1):
        return True
    relative = next((i for i, w in enumerate(lower) if w in {"who", "which", "that"}), None)
    head = lower if relative is None else lower[:relative]
    if any(w in CLAUSE_WORDS for w in head):
        return False
    if any(
        w in FORMS and lemma_of(w) not in NOUN_LIKE and after not in _NOUN_AFTER_VERB_FORM
        for w, after in pairwise(head)
        if not w.endswith("ed")
    ):
        return False
    if first[:1].isupper() or first[:1].isdigit() or lower[0] in DETERMINERS or counts(first):
        return True
    if is_vague(phrase):
        return True
    if loose and any(w[:1].isupper() for w in words[:4]):
        return True
    if len(words) <= 6 and words[-1][:1].isupper() and words[-1][1:2].islower():
        return True  # a name with a lowercase title before it: "board chair Rosa Lindqvist"
    # Bare plural noun phrases: "party leaders", "recent polls", "unpublished notes of X".
    chunk = []
    for word in lower:
        if word in PREPOSITIONS or word in RELATIVES or word == "and":
            break
        chunk.append(word)
    plural = [
        w for w in chunk[:2] if (len(w) > 3 and w.endswith("s") and w.isalpha()) or w in _COLLECTIVE
    ]
    return 0 < len(chunk) <= 4 and (chunk[-1].endswith("s") or bool(plural))


def phrase_range(text: str, start: int, end: int) -> Range | None:
    start, end = trim_range(text, start, end)
    while end > start and text[end - 1] in ",;:":
        end -= 1
    return (start, end) if start < end else None
