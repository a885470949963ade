"""Appositives and asides: whether a source phrase walked left from its cue goes on past a
comma ("Jane Roe, the party's treasurer, said") or stops there ("In March, officials said")."""

from __future__ import annotations

import re

from briefer.engines.rules import quotes
from briefer.engines.rules.grammar import (
    ADVERB_SUFFIXES,
    AUX,
    CLAUSE_WORDS,
    DETERMINERS,
    INTRO,
    PARTY,
    WEEKDAY,
)
from briefer.engines.rules.relation import Range
from briefer.engines.rules.sources import RELATIVES, speaks
from briefer.engines.rules.text_ranges import WORD, rstrip_end, skip_space

PARENTHETICAL = re.compile(
    r"^(?:for\s+example|for\s+instance|however|too|though|meanwhile|in\s+turn|"
    r"(?:in|on|at|during|after|before|earlier|later|last|this)\b[^,]{0,40}|"
    r"by\s+contrast|in\s+contrast|in\s+fact|of\s+course|at\s+least|"
    r"" + WEEKDAY + r"|yesterday|today|"
    r"in\s+(?:a|an|the|his|her|their)\s+\w+(?:\s+\w+)?|for\s+(?:his|her|their|its)\s+part|"
    r"\d{1,3}|\w+ly)$",
    re.IGNORECASE,
)

_HARD_BOUNDARY = frozenset((";", ":", "(", *quotes.DOUBLE))

# Conjunctions opening a sentence before its subject: "But Jo Li, the treasurer, said".
_OPENING_CONJUNCTIONS = frozenset("but and so yet still".split())


def across_comma(words: list[tuple[int, int, str]], comma: int, start: int) -> int | None:
    """Where the source phrase starts if it continues left past the comma at ``comma``."""
    segment = " ".join(w[2] for w in words[start:])
    first = words[start][2] if start < len(words) else ""
    # The comma segment before this one, back to another comma or a hard boundary.
    prev_end = comma
    prev_start = comma
    while prev_start - 1 >= 0 and words[prev_start - 1][2] not in (",", ";", ":", "(", ")"):
        if words[prev_start - 1][2] in quotes.DOUBLE:
            break
        prev_start -= 1
    if prev_start == prev_end:
        return None
    at_boundary = prev_start == 0 or words[prev_start - 1][2] in _HARD_BOUNDARY
    if (
        at_boundary
        and prev_end - prev_start > 1
        and words[prev_start][2].lower() in _OPENING_CONJUNCTIONS
        and is_name([w[2] for w in words[prev_start + 1 : prev_end]])
    ):
        prev_start += 1
    previous = [w[2] for w in words[prev_start:prev_end]]
    if first.lower() in {"and", "or", "who", "which", "whose"} and first.islower():
        # "the report, prepared by X, and presented to Y, reveals": a trailing modifier.
        return prev_start if looks_nominal(previous) else None
    if PARENTHETICAL.match(segment) and not looks_nominal(segment.split()):
        return None
    if (
        is_name(previous)
        and at_boundary
        and (first.lower() in DETERMINERS or first[:1].isupper() or first[:1].isdigit())
    ):
        return prev_start  # "Jane Roe, the party's treasurer, said"
    current = [w[2] for w in words[start:]]
    if (
        is_name(previous)
        and at_boundary
        and len(current) <= 12
        and not CLAUSE_WORDS & {w.lower() for w in current}
    ):
        return prev_start  # "Jo Li, executive director of the union, said"
    if (
        is_name(current)
        and at_boundary
        and previous
        and previous[0].lower() in DETERMINERS
        and len(previous) <= 5
    ):
        return prev_start  # "a spokeswoman, Anna White, said"
    if (
        at_boundary
        and previous[0].lower() in {"a", "an", "the"}
        and len(previous) <= 8
        and first.lower() in {"a", "an", "the"}
        and len(current) <= 12
        and not CLAUSE_WORDS & {w.lower() for w in current}
        and speaks(" ".join(previous))
    ):
        # "A spokesman for the firm, the larger of the two bidders, said": the segment after
        # the comma is an appositive; the speaker is the noun phrase it describes.
        return prev_start
    if prev_start > 0 and words[prev_start - 1][2] == ",":
        # "Jane Roe, 52, a retired nurse, said"
        before = prev_start - 1
        outer = before
        while outer - 1 >= 0 and words[outer - 1][2] not in (",", ";", ":", "(", ")"):
            outer -= 1
        if is_name([w[2] for w in words[outer:before]]) and (
            outer == 0 or words[outer - 1][2] in (";", ":", "(")
        ):
            return outer
    return None


def looks_nominal(words: list[str]) -> bool:
    if not words:
        return False
    first = words[0]
    return first.lower() in DETERMINERS or first[:1].isupper()


def is_name(words: list[str]) -> bool:
    if not 1 <= len(words) <= 5:
        return False
    if words[0].lower() in INTRO:
        return False
    return all(
        w[:1].isupper() or w in {"de", "van", "von", "al", "bin", "der", "la"} for w in words
    )


def joins_names(before: str, after: str) -> bool:
    if before[:1].isupper() and after[:1].isupper():
        return True
    return before.islower() and after.islower() and before.endswith("s") and after.endswith("s")


# Where a clause stops when walking back to its opening: a name-led source never spans one.
_CLAUSE_BOUNDARY = frozenset((";", ":", "(", ")", "\u2014", "\u2013", "--", *quotes.DOUBLE))

# Asides that set the scene ("Jo Li, in a statement, said", "Jo Li, speaking to reporters,
# said") rather than describe the name; PolNeAR leaves them out of the source.
_SCENE_OPENERS = INTRO | frozenset("as if when while though although because once".split())


def name_led_start(words: list[tuple[int, int, str]], at_sentence_start: bool) -> int | None:
    """ "Kevin Brady, chairman of the committee, said" and "Jo Li, a nurse who ..., said": the
    index where a source opening with a name and running on through the asides describing it to
    the comma before the cue starts; None when the clause does not open that way."""
    last = len(words) - 1  # the comma before the cue
    start = next(
        (
            i + 1
            for i in range(last - 1, -1, -1)
            if words[i][2] in _CLAUSE_BOUNDARY and not _in_party_tag(words, i)
        ),
        None,
    )
    if start is None:
        if not at_sentence_start:
            return None
        start = 0
    commas = [i for i in range(start, last) if words[i][2] == ","]
    index = start
    if index < last and words[index][2].lower() in _OPENING_CONJUNCTIONS:
        index += 1
    # Past one or two scene-setting openers: "And on Tuesday, Kevin Brady, ..., said".
    for _ in range(2):
        comma = next((c for c in commas if c > index), None)
        first = words[index][2]
        adverb = first.lower().endswith(tuple(ADVERB_SUFFIXES)) and comma == index + 1
        if comma is None or not (first.lower() in INTRO or adverb or first.lower() == "every"):
            break  # "Similarly, Jo Li, ..."; "Every December, Time, the magazine, ..."
        index = comma + 1
    name_end = next((c for c in commas if c > index), None)
    if name_end is None:
        return None
    name = [w[2] for i, w in enumerate(words[index:name_end], index) if not _in_party_tag(words, i)]
    if not is_name(name):
        return None
    if last - index > 40:
        return None
    asides = [name_end, *(c for c in commas if c > name_end)]
    for comma in asides:
        if not describes(words[comma + 1][2]):
            return None
    return index


_PARTY_TAG = re.compile(PARTY + r"(?:[-\u2013][\w.-]+)?$")


def _in_party_tag(words: list[tuple[int, int, str]], index: int) -> bool:
    """Whether ``words[index]`` is part of a party tag after a name: "Jo Li (D-Ore.)"."""
    for opening in (index, index - 1, index - 2):
        if (
            opening >= 0
            and opening + 2 < len(words)
            and words[opening][2] == "("
            and _PARTY_TAG.match(words[opening + 1][2])
            and words[opening + 2][2] == ")"
        ):
            return True
    return False


def describes(first: str) -> bool:
    """Whether an aside opening with ``first`` can describe a person or body ("a nurse", "52",
    "who ...", "Fla.", "chairman of ..."), not set a scene or open a clause."""
    lower = first.lower()
    if lower in _SCENE_OPENERS or lower in CLAUSE_WORDS or not first[:1].isalnum():
        return False
    if (
        lower in DETERMINERS
        or lower in {"who", "whose", "whom", "including"}
        or lower in _TITLE_ING
    ):
        return True
    return not lower.endswith(("ing", *ADVERB_SUFFIXES))


# -ing words that open a title, not a participle: "acting director", "ranking member".
_TITLE_ING = frozenset(
    "acting managing ranking founding outgoing incoming visiting presiding reigning".split()
)


# A name with an aside after it: "Sen. Jo Li, R-Ore., who faces ..., rescinded".
_NAME_BEFORE_COMMA = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Pres)\.?\s+)?"
    r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019.-]+){0,3}(?=,\s)"
)

# The main verb after the subject's asides: a lowercase finite-looking word.
_MAIN_VERB = re.compile(r"(?:[a-z]+(?:ed|s)|" + "|".join(sorted(AUX)) + r")\b")


def appositive_subject(text: str, start: int, limit: int) -> Range | None:
    """ "Sen. Jo Li, R-Ore., who faces a hard race, rescinded ...": the name and the asides
    describing it, through the comma before the main verb (as PolNeAR marks sources)."""
    name = _NAME_BEFORE_COMMA.match(text, start, limit)
    if name is None or not is_name(name.group().split()):
        return None
    limit = rstrip_end(text, start, limit)
    if text[limit - 1 : limit] == ",":
        limit -= 1  # the participle's own comma: "left the room, saying"
    comma = name.end()
    while comma < limit and text[comma] == ",":
        segment = skip_space(text, comma + 1, limit)
        if _MAIN_VERB.match(text, segment, limit):
            return (start, comma + 1) if comma > name.end() else None
        first = WORD.match(text, segment, limit)
        if first is None:
            return None
        found = text.find(",", segment, limit)
        if found == -1:
            # The last stretch before the cue is the main clause ("left the room, saying").
            verb = first.group()
            main = verb.islower() and verb not in DETERMINERS and verb not in RELATIVES
            return (start, comma + 1) if main and comma > name.end() else None
        if quotes.unclosed(text, segment, found):
            return None
        if not describes(first.group()):
            # "Mr. Li, in an interview on Friday, dwelled on ..., saying": a scene set after
            # the name; the name alone is the subject.
            return name.span() if comma == name.end() else None
        comma = found
    return None
