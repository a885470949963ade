"""Offsets and words: trimming ranges, the words before a position, quotation marks nearby."""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from briefer.engines.rules import quotes
from briefer.engines.rules.grammar import INTRO
from briefer.engines.rules.relation import Range

WORD = re.compile(r"[\w'\u2019.&/@-]+|[^\w\s]")
# A word on its own, no punctuation token: for counting and looking up words.
BARE_WORD = re.compile(r"[\w'\u2019-]+")

TERMINAL = ".!?;:,"

QUOTE_CHARS = "\"\u201c\u201d'\u2018\u2019`"


def words_before(text: str, s0: int, end: int, limit: int) -> list[tuple[int, int, str]]:
    """The last ``limit`` tokens of ``text[s0:end]`` as (start, end, token)."""
    floor = max(s0, end - 12 * limit)
    if end - s0 > _CACHED_SPAN or limit < 1:
        return _words_scanned(text, s0, floor, end, limit)
    cache = _CACHE
    entry = cache.spans.get(s0) if cache.text is text else None
    if entry is None or end > entry.reach:
        entry = _tokens_from(text, s0, end)
    starts, ends, tokens = entry.starts, entry.ends, entry.tokens
    # The same tokens as scanning ``floor:end``: a token ``floor`` cuts (and otherwise the
    # first token from there) is dropped, and the last one is cut at ``end``.
    first = bisect_left(starts, floor)
    if floor > s0 and not (first > 0 and ends[first - 1] > floor):
        first += 1
    stop = bisect_left(starts, end)
    out = tokens[max(first, stop - limit) : stop]
    if out and ends[stop - 1] > end:
        out[-1] = _token(starts[stop - 1], end, text[starts[stop - 1] : end])
    return out


def _token(start: int, end: int, word: str) -> tuple[int, int, str]:
    # Most tokens have no final dot: only those go through _strip_token.
    return _strip_token(start, end, word) if word[-1] == "." else (start, end, word)


# The tokens of a sentence are read again for every cue in it (up to 540 characters before
# each): they are scanned once per (text, s0) and sliced. Far-apart ranges scan directly.
_CACHED_SPAN = 4096
_MAX_STARTS = 8


@dataclass
class _Tokens:
    """The tokens of ``text[s0:reach]``: their starts, ends and (start, end, token) tuples."""

    starts: list[int]
    ends: list[int]
    tokens: list[tuple[int, int, str]]
    reach: int


class _TokenCache(threading.local):
    """Per thread: the text last tokenised and, per ``s0``, its tokens' starts and ends."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.spans: dict[int, _Tokens] = {}


_CACHE = _TokenCache()


def _tokens_from(text: str, s0: int, end: int) -> _Tokens:
    """The tokens of ``text[s0:reach]`` for some ``reach >= end``."""
    cache = _CACHE
    if cache.text is not text:
        cache.text, cache.spans = text, {}
    entry = cache.spans.get(s0)
    if entry is None:
        if len(cache.spans) >= _MAX_STARTS:
            cache.spans.clear()
        entry = cache.spans[s0] = _Tokens([], [], [], s0)
    if end > entry.reach:
        resume = entry.reach
        if entry.ends and entry.ends[-1] == resume:  # the last token may be cut at the reach
            resume = entry.starts.pop()
            entry.ends.pop()
            entry.tokens.pop()
        matches = list(WORD.finditer(text, resume, end))
        entry.starts.extend([match.start() for match in matches])
        entry.ends.extend([match.end() for match in matches])
        entry.tokens.extend(
            [
                (m.start(), m.end(), word) if word[-1] != "." else _token(m.start(), m.end(), word)
                for m in matches
                for word in (m.group(),)
            ]
        )
        entry.reach = end
    return entry


def _words_scanned(
    text: str, s0: int, floor: int, end: int, limit: int
) -> list[tuple[int, int, str]]:
    # Keep the match objects and build tuples for the last ``limit`` only: the window holds
    # several times that many tokens.
    matches = list(WORD.finditer(text, floor, end))
    if floor > s0 and matches:
        del matches[0]  # the first token may be cut
    # Most tokens have no final dot: only those go through _strip_token.
    return [
        _strip_token(m.start(), m.end(), word) if word[-1] == "." else (m.start(), m.end(), word)
        for m in matches[-limit:]
        for word in (m.group(),)
    ]


def _strip_token(start: int, end: int, word: str) -> tuple[int, int, str]:
    # "Trump." at an abbreviation boundary keeps its dot; a trailing dot after a word does not.
    if len(word) > 1 and word.endswith(".") and word[:-1].isalpha() and word[0].islower():
        return start, end - 1, word[:-1]
    return start, end, word


def next_word(text: str, position: int, limit: int) -> str:
    found = WORD.search(text, position, limit)
    return found.group() if found else ""


def just_after_comma(text: str, s0: int, position: int) -> bool:
    before = text[s0:position].rstrip()
    return before.endswith(",")


def quote_before(text: str, s0: int, position: int) -> bool:
    before = text[s0:position].rstrip()
    return before.endswith(tuple(quotes.CLOSERS)) or before.endswith("''")


# A closing quotation mark right after the quotation's own punctuation ('..., she said,"').
_CLOSE_AFTER_PUNCT = re.compile(r"(?:[,.?!\u2014-]['\u2019]?\s*)(?:''|[\"\u201d]|\u201c(?=\s|$))")


def closing_quote_before(text: str, s0: int, end: int) -> tuple[int, int] | None:
    """A closing quotation mark ending the text before the cue, perhaps followed by a source."""
    chunk = text[s0:end]
    found = None
    for match in _CLOSE_AFTER_PUNCT.finditer(chunk):
        found = match
    if found is None:
        return None
    mark_start = s0 + found.end() - (2 if found.group().endswith("''") else 1)
    tail = text[s0 + found.end() : end]
    # "Q," Jane Roe, a nurse, said: appositive commas may follow, not another clause or quote.
    if any(ch in tail for ch in ";:" + quotes.DOUBLE) or len(tail.split()) > 14:
        return None
    return mark_start, s0 + found.end()


_INTRO_SEGMENT = re.compile(r"\s*([^,]{0,80}),\s*")


def skip_intro(text: str, s0: int, limit: int) -> int:
    """Past an opening phrase ("On Monday,"), and the place and time going on with it ("At a
    rally in Ames, Iowa, on Sunday,")."""
    position = s0
    found = _INTRO_SEGMENT.match(text, s0, limit)
    while found is not None and _continues_intro(found.group(1), first=position == s0):
        position = found.end()
        found = _INTRO_SEGMENT.match(text, position, limit)
    return skip_space(text, position, limit)


def _continues_intro(segment: str, *, first: bool) -> bool:
    words = segment.split()
    if not words:
        return False
    if words[0].lower() in INTRO:
        # An opening phrase, not a long clause: "On Thursday," "after remaining neutral ...,".
        return len(segment) <= 40 or not first
    # A state or country after a town: "in Ames, Iowa,", "in Tampa, Fla.,".
    return not first and len(words) == 1 and (len(words[0]) <= 5 or words[0].endswith("."))


def skip_space(text: str, position: int, limit: int) -> int:
    while position < limit and text[position].isspace():
        position += 1
    return position


def rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def trim_range(text: str, start: int, end: int) -> Range:
    start = skip_space(text, start, end)
    end = rstrip_end(text, start, end)
    while (
        end > start and text[end - 1] in ".;:,!?" and not (quotes.closing_at_end(text, start, end))
    ):
        end = rstrip_end(text, start, end - 1)
    return start, end


def inside(inner: Range, outer: Range) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def overlaps(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class RangeIndex:
    """Whether a range overlaps any of many, in logarithmic time.

    Sorted by start with the running maximum of the ends, the ranges starting before a query
    ends are a prefix, and one of them reaches into it exactly when that prefix's maximum does.
    """

    def __init__(self, ranges: list[Range]) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        self._reach = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, span: Range) -> bool:
        count = bisect_left(self._starts, span[1])
        return count > 0 and self._reach[count - 1] > span[0]
