"""HTML: escaping, safe links, a self-contained page, anchors both ways, legend, paragraphs,
the one script and its CSP hash, source keys on every mention."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from render_fixtures import TEXT, entity_briefing, make_briefing, parse

from briefer.contract import Article, SourceEntry
from briefer.errors import BrieferError
from briefer.render import render
from briefer.render.templates import inline_script
from briefer.render.view import build_view


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


def test_the_csp_hash_is_the_sha256_of_the_script_in_the_page() -> None:
    output = render(make_briefing(), "html")
    body = output[output.index("<script>") + len("<script>") : output.index("</script>")]
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in output
    assert "source filter" in body  # the shipped briefing.js


def test_an_overridden_script_is_hashed_as_written(tmp_path: Path) -> None:
    (tmp_path / "briefing.js").write_text("document.title = 'mine';\n", encoding="utf-8")
    output = render(make_briefing(), "html", templates_dir=tmp_path)
    digest = base64.b64encode(hashlib.sha256(b"document.title = 'mine';\n").digest()).decode()
    assert "<script>document.title = 'mine';\n</script>" in output
    assert f"script-src 'sha256-{digest}';" in output


def test_a_script_that_would_end_its_element_is_refused(tmp_path: Path) -> None:
    (tmp_path / "briefing.js").write_text("x = '</SCRIPT><b>';\n", encoding="utf-8")
    with pytest.raises(BrieferError, match=r"briefing\.js contains '</script'"):
        render(make_briefing(), "html", templates_dir=tmp_path)


def test_every_mention_of_a_source_carries_its_key_and_id() -> None:
    output = render(entity_briefing(), "html")
    page = parse(output)
    assert "".join(page.text) == TEXT  # the extra mention adds no text
    marks = re.findall(
        r'<a class="([^"]+)" href="(#[^"]+)"[^>]*data-source="([^"]+)">([^<]+)</a>', output
    )
    found = {(text, classes, source, href) for classes, href, source, text in marks}
    assert ("Engineers from the Vell Institute", "hl source sk0", "s1", "#c1") in found
    assert ("a letter", "hl source sk1", "s2", "#c2") in found
    # "the engineers" is a mention with no claim of its own: it links to the entity's first
    # claim, inside c2's content, and says both.
    assert ("the engineers", "hl content source sk0", "s1", "#c1") in found
    assert 'title="s1: Vell Institute (mention); c2: letter (claim content)"' in output
    # The key is shown, with the id in words, beside the name in the table and the heading.
    assert (
        '<span class="hl source key sk0">s1</span> <span class="src-name">Vell Institute' in output
    )
    assert '<li class="item claim" id="c2" data-source="s2">' in output
    sources = output[output.index('<section id="sec-sources">') :]
    assert "“Engineers from the Vell Institute” · “the engineers”" in sources


def test_an_older_briefing_gets_ids_and_keys_for_its_sources() -> None:
    output = render(make_briefing(), "html")  # entries without ids, claims without source_id
    assert '<tr id="src-s1"><td data-source="s1">' in output
    assert '<li class="item claim" id="c3" data-source="s1">' in output
    assert 'data-source="s2">a letter</a>' in output


def test_a_made_up_source_id_never_takes_another_entrys() -> None:
    sources = [
        SourceEntry(name="Vell Institute", kind="institution", claim_ids=["c1", "c3"]),
        SourceEntry(id="s1", name="letter", kind="document", claim_ids=["c2"]),
    ]
    rows = build_view(make_briefing(sources=sources)).sources
    assert [row.id for row in rows] == ["s1x", "s1"]
