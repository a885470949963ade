"""The article text cut into highlighted pieces for the HTML view, tiling it exactly.

Paragraph breaks are ``briefer.segment``'s: a block (paragraphs with no blank line between
them) becomes a ``<p>``, and a newline inside it a ``<br>``. Whitespace between blocks is kept
in gaps and every newline in its break piece, so the page's text still equals the article's.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from briefer.render.labels import LAYER_LABELS
from briefer.segment import blocks as text_blocks


@dataclass(frozen=True)
class Mark:
    """One highlight covering a segment: which layer, which item, and a readable label.

    A source phrase also names its source entity (``source_id``) and that entity's colour key
    (``key``, a CSS class), so every mention of one source is tinted alike.
    """

    layer: str
    item_id: str
    label: str
    start: int
    end: int
    source_id: str = ""
    key: str = ""


@dataclass(frozen=True)
class Ref:
    """A small link to an item, shown where its main span starts."""

    offset: int
    end: int
    item_id: str
    title: str


@dataclass(frozen=True)
class Piece:
    """A run of article text in the HTML view.

    ``kind`` is "text" (plain or highlighted, per ``marks``), "br" (a line break; ``text`` is the
    newline itself, kept so the page's text still equals the article's), or "ref" (a small link
    to an item, placed where that item's main span starts).
    """

    kind: str
    text: str = ""
    marks: tuple[Mark, ...] = ()
    href: str | None = None
    title: str = ""

    @property
    def classes(self) -> str:
        layers = sorted({mark.layer for mark in self.marks}, key=list(LAYER_LABELS).index)
        # The narrowest source phrase gives the tint (marks are narrowest first).
        keys = [mark.key for mark in self.marks if mark.layer == "source" and mark.key][:1]
        return " ".join(["hl", *layers, *keys])

    @property
    def items(self) -> str:
        return " ".join(dict.fromkeys(mark.item_id for mark in self.marks))

    @property
    def sources(self) -> str:
        """The source entities this text mentions (space-separated ids), for the filter."""
        ids = (m.source_id for m in self.marks if m.layer == "source" and m.source_id)
        return " ".join(dict.fromkeys(ids))


@dataclass(frozen=True)
class Block:
    """A paragraph of pieces, or ("gap") the whitespace between two paragraphs."""

    kind: str
    pieces: tuple[Piece, ...] = ()
    text: str = ""


# Precedence when one segment could link to several items: the narrowest span wins, and at
# equal width a claim's cue, then its content, then its source phrase, then framing.
_LAYER_RANK = {"cue": 0, "content": 1, "source": 2, "framing": 3}


def segment(text: str, marks: Iterable[Mark]) -> list[tuple[int, int, tuple[Mark, ...]]]:
    """Cut ``text`` at every mark boundary: ``(start, end, marks covering it)``, in order.

    The segments tile the text exactly, so overlapping and nested highlights lose nothing and
    repeat nothing.
    """
    by_start = sorted(marks, key=lambda m: m.start)
    cuts = sorted({0, len(text), *(m.start for m in by_start), *(m.end for m in by_start)})
    pieces: list[tuple[int, int, tuple[Mark, ...]]] = []
    active: list[Mark] = []
    waiting = 0
    for start, end in itertools.pairwise(cuts):
        # Every mark boundary is a cut, so a mark active at ``start`` covers the whole segment.
        active = [m for m in active if m.end > start]
        while waiting < len(by_start) and by_start[waiting].start <= start:
            if by_start[waiting].end > start:
                active.append(by_start[waiting])
            waiting += 1
        covering = sorted(active, key=lambda m: (m.end - m.start, _LAYER_RANK[m.layer]))
        pieces.append((start, end, tuple(covering)))
    return pieces


def tiles(text: str) -> list[tuple[str, int, int]]:
    """``("paragraph" | "gap", start, end)`` ranges tiling the text, one paragraph per block."""
    ranges: list[tuple[str, int, int]] = []
    position = 0
    for block in text_blocks(text):
        if block.start > position:
            ranges.append(("gap", position, block.start))
        ranges.append(("paragraph", block.start, block.end))
        position = block.end
    if position < len(text):
        ranges.append(("gap", position, len(text)))
    return ranges


def article_blocks(text: str, marks: list[Mark], refs: list[Ref]) -> list[Block]:
    """The article as paragraphs of pieces for the HTML template (``refs`` sorted by offset)."""
    segments = segment(text, marks)
    blocks: list[Block] = []
    first = 0  # the first segment that can still reach the current paragraph
    next_ref = 0
    for kind, start, end in tiles(text):
        if kind == "gap":
            blocks.append(Block("gap", text=text[start:end]))
            continue
        pieces: list[Piece] = []
        while first < len(segments) and segments[first][1] <= start:
            first += 1
        index = first
        while index < len(segments) and segments[index][0] < end:
            seg_start, seg_end, covering = segments[index]
            low, high = max(seg_start, start), min(seg_end, end)
            # Refs inside a gap (a span starting on whitespace) surface at the next paragraph.
            while next_ref < len(refs) and refs[next_ref].offset <= low:
                ref = refs[next_ref]
                pieces.append(Piece("ref", ref.item_id, href=f"#{ref.item_id}", title=ref.title))
                next_ref += 1
            pieces += _text_pieces(text[low:high], covering)
            index += 1
        blocks.append(Block("paragraph", tuple(pieces)))
    return blocks


def _text_pieces(text: str, covering: tuple[Mark, ...]) -> list[Piece]:
    """One segment's text as pieces, each newline a line break of its own."""
    href = f"#{covering[0].item_id}" if covering else None
    title = "; ".join(mark.label for mark in covering)
    pieces: list[Piece] = []
    for part in re.split(r"(\n)", text):
        if part == "\n":
            pieces.append(Piece("br", "\n"))
        elif part:
            pieces.append(Piece("text", part, covering, href, title))
    return pieces
