"""Paragraphs, headings and sentences of an article, as character offsets into its text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace
# and an opening quote (including wire copy's '' and ``), bracket or capital/digit.
# Possessive quantifiers and the look-behind keep a long run of "!!!" or spaces linear: giving
# back part of a run, or starting inside one, never lets the look-ahead match, so those retries
# were quadratic work for nothing.
# The look-behind comes after the first mark (it checks the character before that mark), so
# the regex engine skips straight to the marks instead of trying every position.
_SENTENCE_END = re.compile(
    r"""[.!?](?<![.!?].)[.!?]*+["'\u201d\u2019)\]]*+"""
    r"""(?=\s++(?:''|``|["'\u201c\u2018(\[])?[A-Z0-9\u00C0-\u024F])"""
)
# Longest sentence: a longer one is cut at a space before the limit. Real sentences are a
# fraction of it, but a text with no sentence punctuation would be one "sentence" of megabytes,
# and the engines' per-sentence work (every cue against the others) would grow with its square.
MAX_SENTENCE = 3000
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
    kind: str  # "sentence" | "heading" | "paragraph" | "block"

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def paragraphs(text: str) -> list[Unit]:
    """The article's paragraphs and headings, trimmed: text between paragraph breaks.

    A paragraph ends at a blank line, and also at a single newline followed by text: in news
    copy a line of its own is a paragraph far more often than a wrapped one (headline, byline,
    dateline, one paragraph per line as pasted from a page, list items and ``<br>`` lines from
    HTML), and a heading is only recognisable as a line of its own. A newline followed by
    spaces (an indented continuation) does not end one.
    """
    units: list[Unit] = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        start, stop = trim(text, position, end)
        if start < stop:
            kind = "heading" if is_heading(text[start:stop]) else "paragraph"
            units.append(Unit(start, stop, kind))
        if match:
            position = match.end()
    return units


def blocks(text: str) -> list[Unit]:
    """Runs of paragraphs with no blank line between them, as ``"block"`` units.

    The article as laid out: a blank line starts a block, a single newline only starts a line
    in it. The HTML view shows a block as one ``<p>`` with a line break between its
    paragraphs, so the page keeps the article's own spacing.
    """
    runs: list[Unit] = []
    for unit in paragraphs(text):
        # Paragraphs are trimmed, so what lies between two is whitespace: two newlines in it
        # mean a blank (or whitespace-only) line.
        if runs and text.count("\n", runs[-1].end, unit.start) < 2:
            runs[-1] = Unit(runs[-1].start, unit.end, "block")
        else:
            runs.append(Unit(unit.start, unit.end, "block"))
    return runs


def is_heading(line: str) -> bool:
    """A short line without sentence-final punctuation, e.g. a section title."""
    stripped = line.strip()
    # Length first: splitting a one-line article of megabytes into words just to count them
    # would cost ten times its size in memory.
    if not stripped or len(stripped) > 90 or "\n" in stripped:
        return False
    words = stripped.split()
    if len(words) > 12:
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
            _add_sentence(units, text, position, end)
            position = end
        _add_sentence(units, text, position, block.end)
    return units


def _add_sentence(units: list[Unit], text: str, start: int, end: int) -> None:
    start, end = trim(text, start, end)
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + 1, start + MAX_SENTENCE)
        if cut == -1:
            cut = start + MAX_SENTENCE  # no space at all: cut mid-word rather than not at all
        piece_start, piece_end = trim(text, start, cut)
        units.append(Unit(piece_start, piece_end, "sentence"))
        start, end = trim(text, cut, end)
    if start < end:
        units.append(Unit(start, end, "sentence"))


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


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inwards past whitespace (equal when the range is all spaces)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
