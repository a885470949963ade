"""HTML: escaping, safe links, a self-contained page, anchors both ways, legend, paragraphs."""

from __future__ import annotations

from render_fixtures import TEXT, make_briefing, parse

from briefer.contract import Article
from briefer.render import render
from briefer.render.templates import inline_script


def test_html_escapes_markup_from_article_and_briefing() -> None:
    output = render(make_briefing(), "html")
    assert "<script>alert" not in output
    assert "<img src=x" not in output
    assert "&lt;script&gt;alert(1)" in output  # the article's markup, shown as text
    assert "&lt;script&gt;alert(3)" in output  # a framing note
    assert "&lt;script&gt;alert(4)" in output  # the title
    # The one script is the shipped source filter, allowed by its hash and nothing else.
    assert output.lower().count("<script") == 1
    script = inline_script()
    assert f"<script>{script.text}</script>" in output
    assert f"script-src {script.csp};" in output
    assert "unsafe-inline'; img-src" in output and "script-src 'unsafe" not in output


def test_html_links_only_web_urls() -> None:
    article = Article(text=TEXT, title="T", url="javascript:alert(1)")
    output = render(make_briefing(article=article), "html")
    assert 'href="javascript' not in output


def test_html_is_self_contained() -> None:
    output = render(make_briefing(), "html")
    assert output.startswith("<!DOCTYPE html>")
    assert "<style>" in output and "stylesheet" not in output
    for external in ('src="http', "src='http", "@import", "url(http"):
        assert external not in output
    assert "Content-Security-Policy" in output


def test_html_paragraphs_are_preserved() -> None:
    output = render(make_briefing(), "html")
    body = output[output.index('id="article-text"') :]
    assert body.count("<p>") == 3
    assert "<br>" in body  # the lone newline inside the second paragraph


def test_html_anchors_link_items_and_highlights_both_ways() -> None:
    briefing = make_briefing()
    page = parse(render(briefing, "html"))
    for item in [*briefing.claims, *briefing.framing]:
        assert item.id in page.ids
        assert f"text-{item.id}" in page.ids
        assert f"#{item.id}" in page.hrefs
        assert f"#text-{item.id}" in page.hrefs
    targets = {href[1:] for href in page.hrefs if href.startswith("#")}
    assert targets <= page.ids


def test_html_has_legend_and_text_labels() -> None:
    output = render(make_briefing(), "html")
    legend = output[output.index('class="legend"') :]
    for label in ("claim content", "attribution cue", "source phrase", "outlet framing"):
        assert label in legend
    assert 'title="f2: outlet framing, loaded language; c2: letter (claim content)"' in output


def test_html_marks_fuzzy_claims() -> None:
    output = render(make_briefing(), "html")
    c3 = output[output.index('id="c3"') : output.index("</li>", output.index('id="c3"'))]
    assert "fuzzy match" in c3
