"""Split an article that exceeds the token budget into chunks at paragraph (then sentence, then
word) boundaries. Units are numbered once for the whole article and keep absolute offsets, so a
chunk's citations ground straight into the original text and merging needs no offset shifting.
Nothing is ever truncated: every character of every unit is in exactly one chunk.
"""

from __future__ import annotations

from collections.abc import Callable

from briefer.engines.openai.prompting import Paragraph, number_paragraphs
from briefer.segment import Unit, paragraphs, sentences


def split(
    text: str, budget: int, count: Callable[[str], int], *, tokens: int | None = None
) -> list[list[Paragraph]]:
    """The article's numbered paragraphs in one group when ``text`` (``tokens`` long, if the
    caller counted it already) fits the budget, else in chunks that each fit it."""
    if (count(text) if tokens is None else tokens) <= budget:
        return [number_paragraphs(text)]  # the common case: no per-paragraph counting
    return chunks(units(text, budget, count), budget, count)


def units(text: str, budget: int, count: Callable[[str], int]) -> list[Paragraph]:
    """Numbered units of ``text``: paragraphs, or smaller pieces of a paragraph over budget."""
    pieces: list[tuple[int, int]] = []
    for paragraph in paragraphs(text):
        if count(paragraph.text(text)) <= budget:
            pieces.append((paragraph.start, paragraph.end))
            continue
        for group in _pack(text, sentences(text, paragraph), budget, count):
            pieces.extend(group)
    return [
        Paragraph(number, start, end, text[start:end])
        for number, (start, end) in enumerate(pieces, start=1)
    ]


def _pack(
    text: str, parts: list[Unit], budget: int, count: Callable[[str], int]
) -> list[list[tuple[int, int]]]:
    """Consecutive sentences joined into pieces under budget; a long sentence split at words."""
    groups: list[list[tuple[int, int]]] = []
    current: tuple[int, int] | None = None
    for part in parts:
        for start, end in _words(text, part.start, part.end, budget, count):
            if current is not None and count(text[current[0] : end]) <= budget:
                current = (current[0], end)
                continue
            if current is not None:
                groups.append([current])
            current = (start, end)
    if current is not None:
        groups.append([current])
    return groups


def _words(
    text: str, start: int, end: int, budget: int, count: Callable[[str], int]
) -> list[tuple[int, int]]:
    if count(text[start:end]) <= budget:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    position = start
    while position < end:
        stop = position
        cursor = position
        while cursor < end:
            following = text.find(" ", cursor + 1, end)
            following = end if following == -1 else following
            if stop > position and count(text[position:following]) > budget:
                break
            stop = following
            cursor = following
        pieces.append((position, stop))
        position = stop
        while position < end and text[position].isspace():
            position += 1
    return pieces


def chunks(
    units: list[Paragraph], budget: int, count: Callable[[str], int]
) -> list[list[Paragraph]]:
    """Consecutive units grouped so each group's text stays within ``budget`` tokens."""
    groups: list[list[Paragraph]] = []
    current: list[Paragraph] = []
    used = 0
    for unit in units:
        # "[P12] " and the newline cost a few tokens per unit.
        size = count(unit.text) + 4
        if current and used + size > budget:
            groups.append(current)
            current, used = [], 0
        current.append(unit)
        used += size
    if current:
        groups.append(current)
    return groups
