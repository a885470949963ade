"""Paragraphs, headings and sentences of an article, as character offsets into its text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace
# and an opening quote (including wire copy's '' and ``), bracket or capital/digit.
_SENTENCE_END = re.compile(
    r"""[.!?]+["'\u201d\u2019)\]]*(?=\s+(?:''|``|["'\u201c\u2018(\[])?[A-Z0-9\u00C0-\u024F])"""
)
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt maj adm cmdr st jr sr vs no inc corp
    co ltd u.s u.k u.n e.g i.e jan feb mar apr jun jul aug sep sept oct nov dec mt ft rev pres
    dept est approx fig al""".split()
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n(?=\S)")


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    kind: str  # "sentence" | "heading" | "paragraph"

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def paragraphs(text: str) -> list[Unit]:
    """Non-empty lines/blocks, trimmed; a single newline also separates paragraphs."""
    units: list[Unit] = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        start, stop = _trim(text, position, end)
        if start < stop:
            kind = "heading" if is_heading(text[start:stop]) else "paragraph"
            units.append(Unit(start, stop, kind))
        if match:
            position = match.end()
    return units


def is_heading(line: str) -> bool:
    """A short line without sentence-final punctuation, e.g. a section title."""
    stripped = line.strip()
    if not stripped or "\n" in stripped:
        return False
    words = stripped.split()
    if len(words) > 12 or len(stripped) > 90:
        return False
    if stripped[-1] in ".!?,;:\"\u201d'\u2019)":
        return False
    return stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in '"\u201c'


def sentences(text: str, paragraph: Unit | None = None) -> list[Unit]:
    """Sentences of ``text`` (or of one paragraph); headings come back as one unit."""
    blocks = [paragraph] if paragraph is not None else paragraphs(text)
    units: list[Unit] = []
    for block in blocks:
        if block.kind == "heading":
            units.append(block)
            continue
        position = block.start
        for match in _SENTENCE_END.finditer(text, block.start, block.end):
            if _is_abbreviation(text, block.start, match.start()):
                continue
            end = match.end()
            start, stop = _trim(text, position, end)
            if start < stop:
                units.append(Unit(start, stop, "sentence"))
            position = end
        start, stop = _trim(text, position, block.end)
        if start < stop:
            units.append(Unit(start, stop, "sentence"))
    return units


def _is_abbreviation(text: str, floor: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > floor and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lower().lstrip("(\"'\u201c")
    if word in _ABBREVIATIONS:
        return True
    # Initials such as "J." or "U.S."
    return len(word.replace(".", "")) <= 1 or (len(word) <= 4 and "." in word)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
