"""Quotation marks: where a quotation opens and closes, for straight, curly and '' quotes."""

from __future__ import annotations

import re
from bisect import bisect_left

OPENERS = '"\u201c\u201e\u00ab'
CLOSERS = '"\u201d\u00bb'
DOUBLE = OPENERS + CLOSERS
# A quotation mark that opens a quoted passage: after a space, bracket or dash (or at the
# start), before a non-space; wire copy also opens quotations with two backticks or ''.
_OPEN_RE = re.compile(r"(?:(?<=[\s(\[\u2014-])|^)(?:``|''|[\"\u201c\u201e\u00ab])(?=\S)")


def starts_with_quote(text: str, position: int) -> bool:
    """Whether an opening quotation mark starts at ``position``."""
    return _OPEN_RE.match(text, position) is not None or text.startswith(("\u201c", "``"), position)


def opening_before(text: str, close: int, floor: int) -> int:
    """Offset of the mark opening the quotation closed at ``close``; -1 when there is none."""
    curly = text.rfind("\u201c", floor, close)
    straight = text.rfind('"', floor, close)
    doubled = text.rfind("''", floor, close - 1) if text.startswith("''", close) else -1
    ticks = text.rfind("``", floor, close)
    if text[close] == "\u201d":
        return max(curly, straight)
    if text.startswith("''", close):
        return max(doubled, ticks)
    return max(straight, curly)


def closing_at_end(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A closing mark ending ``text[start:end]`` (ignoring spaces), as (start, end)."""
    stop = end
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    if stop - 2 >= start and text[stop - 2 : stop] == "''":
        return stop - 2, stop
    if stop - 1 >= start and text[stop - 1] in CLOSERS:
        return stop - 1, stop
    if stop - 2 >= start and text[stop - 1] == "\u201c" and text[stop - 2] in ",.?!":
        return stop - 1, stop  # an opening mark typed for the closing one: \u201cQ,\u201c
    return None


def unclosed(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` opens a quotation it does not close."""
    return _scan(text, start, end)[1] is not None


def close_of(text: str, start: int, end: int, limit: int) -> int:
    """Extend ``end`` past the mark closing a quotation left open in ``text[start:end]``."""
    chunk = text[start:end]
    if chunk.count("\u201c") > chunk.count("\u201d"):
        found = text.find("\u201d", end, limit)
        return found + 1 if found != -1 else end
    if chunk.count("``") > chunk.count("''") or (
        "''" in chunk and chunk.count("''") % 2 == 1 and '"' not in chunk
    ):
        found = text.find("''", end, limit)
        return found + 2 if found != -1 else end
    if chunk.count('"') % 2 == 1:
        found = text.find('"', end, limit)
        return found + 1 if found != -1 else end
    return end


_ANY_MARK = re.compile(r"\u201c|\u201d|``|''|\"")


def regions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted passages in ``text[start:end]`` as ranges including their marks.

    Curly and ``\u0060\u0060...''`` marks pair by direction; straight double quotes alternate.
    An unclosed quotation runs to ``end`` (paragraph-final quotations often stay open).
    """
    found, open_at = _scan(text, start, end)
    if open_at is not None:
        found.append((open_at, end))
    return found


def _scan(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """The closed quotations in ``text[start:end]``, and where one left open opens."""
    found: list[tuple[int, int]] = []
    open_at: int | None = None
    open_mark = ""
    for match in _ANY_MARK.finditer(text, start, end):
        mark = match.group()
        if open_at is None:
            if mark in ("\u201c", "``", '"') or (mark == "''" and _opens(text, match.start())):
                open_at, open_mark = match.start(), mark
            continue
        closes = (
            (open_mark == "\u201c" and mark == "\u201d")
            or (open_mark == '"' and mark == '"')
            or (open_mark in ("``", "''") and mark == "''")
            or (open_mark in ("\u201c", '"') and mark in _DOUBLE_MARKS and _closing_at(text, match))
        )
        if closes:
            found.append((open_at, match.end()))
            open_at = None
    return found, open_at


_DOUBLE_MARKS = ("\u201c", "\u201d", '"')
_AFTER_CLOSE = frozenset(".,;:!?)]\u2014\u2013-")


def _closing_at(text: str, match: re.Match[str]) -> bool:
    """Whether a double mark sits where a quotation closes (after a word, before a space or
    punctuation), so that mixed marks pair: "Q," and \u201cQ," and \u201cQ,\u201c in copy that
    mixes straight and curly quotes."""
    before = text[match.start() - 1 : match.start()]
    after = text[match.end() : match.end() + 1]
    return (
        bool(before)
        and not before.isspace()
        and (not after or after.isspace() or after in _AFTER_CLOSE)
    )


class Quoted:
    """A paragraph's quoted passages from ``regions``, looked up by bisection.

    The passages are sorted and disjoint, so only the last one opening before a position can
    hold it; scanning them all for every cue made a long paragraph quadratic.
    """

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self._starts = [start for start, _ in spans]
        self.end_at = dict(spans)

    def encloses(self, span: tuple[int, int]) -> bool:
        """Whether a passage holds ``span`` strictly inside (so not its own marks)."""
        index = bisect_left(self._starts, span[0]) - 1
        return index >= 0 and span[1] < self.spans[index][1]


def _opens(text: str, position: int) -> bool:
    return position == 0 or text[position - 1].isspace() or text[position - 1] in "([\u2014-"
