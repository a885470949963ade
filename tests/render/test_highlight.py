"""Highlight segments: they tile the article, keep every overlapping layer, split at breaks."""

from __future__ import annotations

import html
import re

from render_fixtures import TEXT, make_briefing, parse

from briefer.contract import Article, Briefing, Claim, ClaimSource, Provenance, SourceEntry, Span
from briefer.render import render, segment
from briefer.segment import blocks, paragraphs


def test_html_segments_tile_the_article_text() -> None:
    page = parse(render(make_briefing(), "html"))
    assert "".join(page.text) == TEXT


def test_html_overlapping_spans_keep_every_layer() -> None:
    page = parse(render(make_briefing(), "html"))
    layers = {text: found for text, found in page.segments}
    # framing f2 lies inside claim c2's content: both layers on the same words.
    assert layers["ignored the warning, a reckless gamble, critics say"] == {"content", "framing"}
    # c3's cue "warned" is inside its own content.
    assert layers["warned"] == {"content", "cue"}
    assert layers[" | twice"] == {"content"}
    assert layers["the mayor had "] == {"content"}
    assert layers["a letter"] == {"source"}
    assert layers["LANTERN BRIDGE WILL COLLAPSE, TOWN IS TOLD"] == {"framing"}


def test_segment_tiles_nested_spans() -> None:
    from briefer.render import Mark

    text = "abcdefghij"
    marks = [
        Mark("framing", "f1", "", 0, 10),
        Mark("content", "c1", "", 2, 8),
        Mark("cue", "c1", "", 4, 6),
    ]
    pieces = segment(text, marks)
    assert [(s, e) for s, e, _ in pieces] == [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
    assert [[m.layer for m in covering] for _, _, covering in pieces] == [
        ["framing"],
        ["content", "framing"],
        ["cue", "content", "framing"],
        ["content", "framing"],
        ["framing"],
    ]


def test_html_span_crossing_a_paragraph_break_is_split() -> None:
    text = "First part of it.\n\nSecond part follows."
    claim = Claim(
        id="c1",
        statement="Two parts.",
        source=ClaimSource(name="Someone", kind="person"),
        cue=Span.of(text, 0, 5),
        content=Span.of(text, 6, 30),
        quote="indirect",
    )
    briefing = Briefing(
        article=Article(text=text),
        bluf="Two parts.",
        claims=[claim],
        sources=[SourceEntry(name="Someone", kind="person", claim_ids=["c1"])],
        provenance=Provenance(engine="rules", created_at="2026-01-01T00:00:00Z"),
    )
    page = parse(render(briefing, "html"))
    assert "".join(page.text) == text
    assert ("part of it.", {"content"}) in page.segments
    assert ("Second part", {"content"}) in page.segments


def test_html_paragraphs_are_the_segmenters_blocks() -> None:
    # A lone newline ends a paragraph for the engines (segment.paragraphs) but not the page's
    # <p>: the page shows segment.blocks, each lone newline in one as a <br>. The page used to
    # cut paragraphs with its own pattern, which could drift from the engines'.
    text = (
        "Harbour to close for repairs\n"
        "By Ana Lind\n"
        "The port authority said the harbour would close on Monday.\n"
        " \n"
        "Ferries will stop for a week,\n"
        "    officials said.\n"
    )
    briefing = Briefing(
        article=Article(text=text),
        bluf="The harbour closes.",
        provenance=Provenance(engine="rules", created_at="2026-01-01T00:00:00Z"),
    )
    page = render(briefing, "html")
    body = page[
        page.index('id="article-text"') : page.index("</div>", page.index('id="article-text"'))
    ]
    shown = [
        html.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", body, re.S)
    ]
    assert shown == [text[run.start : run.end] for run in blocks(text)]
    assert len(shown) == 2 and len(paragraphs(text)) == 4
    assert body.count("<br>") == 3  # two between paragraphs, one inside the wrapped one
    assert "".join(parse(page).text) == text


def test_a_piece_takes_the_narrowest_source_phrases_key_and_lists_every_source() -> None:
    from briefer.render import Mark, Piece

    marks = (
        Mark("source", "c2", "", 4, 6, "s2", "sk1"),
        Mark("content", "c1", "", 0, 10),
        Mark("source", "c1", "", 0, 8, "s1", "sk0"),
    )
    piece = Piece("text", "ab", marks)
    assert piece.classes == "hl content source sk1"
    assert piece.sources == "s2 s1"
    assert Piece("text", "ab", (Mark("content", "c1", "", 0, 2),)).sources == ""
