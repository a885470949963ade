"""The subject of a clause: the noun phrase opening a sentence, past its openers."""

from __future__ import annotations

import re

from briefer.engines.rules import quotes
from briefer.engines.rules.appositives import appositive_subject
from briefer.engines.rules.grammar import ADVERBS, AUX, DETERMINERS, INTRO, PREPOSITIONS
from briefer.engines.rules.lexicon import FORMS
from briefer.engines.rules.phrases import plausible_source, verb_like
from briefer.engines.rules.relation import Range
from briefer.engines.rules.sources import RELATIVES
from briefer.engines.rules.text_ranges import WORD, rstrip_end, skip_intro, skip_space

# Words that open a sentence before its subject ("But", "Instead", "Meanwhile").
_OPENERS = (INTRO - PREPOSITIONS) | frozenset(("instead",))

# Capitalised words that open a phrase before the subject, not the subject itself.
_LONG_OPENER = re.compile(
    "|".join(
        sorted(
            word.capitalize()
            for word in PREPOSITIONS
            | frozenset(
                """as when while although though because once whereas unless since until if
                even asked speaking addressing writing appearing responding talking""".split()
            )
        )
    )
)
_LONG_OPENER_SPAN = 160

SUBJECT = re.compile(
    r"(?:(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I)\b|(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Pres)\.?\s+)?"
    r"[A-Z][\w'\u2019.-]+(?:\s+[A-Z][\w'\u2019.-]+){0,5})(?=\s+[a-z])"
)


def sentence_subject(text: str, s0: int, limit: int) -> Range | None:
    """The noun phrase opening the sentence (after an introductory phrase), up to its verb."""
    start = skip_intro(text, s0, limit)
    first = WORD.match(text, start, limit)
    if first is not None and _LONG_OPENER.fullmatch(first.group()):
        # "In an interview with The Wall Street Journal, Trump ...", "Speaking to reporters on
        # Monday, Bush ...": an opener too long for ``skip_intro``, whose comma ends it.
        comma = text.find(",", first.end(), min(limit, start + _LONG_OPENER_SPAN))
        if comma > 0 and not any(mark in text[start:comma] for mark in quotes.DOUBLE):
            after = _subject_from(text, skip_space(text, comma + 1, limit), limit)
            if after is not None:
                return after
    return _subject_from(text, start, limit)


def _subject_from(text: str, start: int, limit: int) -> Range | None:
    first = WORD.match(text, start, limit)
    if first is not None and first.group().lower() in _OPENERS and first.group()[:1].isupper():
        # "But the former president ...", "Instead, the board ...": not the subject.
        start = skip_space(text, first.end(), limit)
        start = skip_space(text, start + 1, limit) if text.startswith(",", start) else start
    name = SUBJECT.match(text, start, limit)
    if name is None and (described := appositive_subject(text, start, limit)) is not None:
        return described
    head = text[start:limit].split(maxsplit=1)
    if name is not None and (not head or head[0].lower() not in DETERMINERS):
        return name.span()
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text, start, limit)]
    for index, (w0, _, word) in enumerate(words):
        lower = word.lower()
        verb = (
            lower in AUX
            or lower in ADVERBS
            or (lower in FORMS and verb_like(words, index))
            or (word.islower() and lower.endswith("ed") and index > 0)
        )
        # A relative pronoun ends the head noun phrase: "the lines that actually use it".
        relative = lower in RELATIVES and index > 0
        if verb or relative or word in (",", ";", ":") or word in quotes.DOUBLE:
            if index == 0:
                return None
            end = rstrip_end(text, start, w0)
            phrase = text[start:end]
            return (start, end) if plausible_source(phrase, loose=False) else None
    return None
