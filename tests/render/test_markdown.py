"""Markdown: claims grouped by source with evidence, labels, escaping, safe links."""

from __future__ import annotations

from render_fixtures import TEXT, make_briefing

from briefer.contract import Article, SourceEntry
from briefer.render import render


def test_markdown_groups_claims_by_source_with_evidence() -> None:
    output = render(make_briefing(), "md")
    vell = output.index("### Vell Institute (institution)")
    letter = output.index("### letter (document)")
    c1, c2, c3 = (output.index(f"**c{n}.**") for n in (1, 2, 3))
    # c1 and c3 share a source, so both sit under it, before the letter's group.
    assert vell < c1 < c3 < letter < c2
    assert '> the bridge "cannot carry buses" after the spring floods' in output
    assert "`[99–154]`" in output
    assert "*via Courier*" in output
    assert "Mixed (partial quote)" in output
    assert "cue: “said” [78–82]" in output


def test_markdown_marks_fuzzy_claims_and_labels_devices() -> None:
    output = render(make_briefing(), "md")
    c3 = output[output.index("**c3.**") :]
    assert "fuzzy match" in c3.split("\n\n")[0]
    assert "**f2. Loaded language**" in output
    bluf = output[output.index("\n## Bottom line up front\n\nSourcing: 3 claims") :]
    assert bluf.split("\n\n")[2].startswith("Engineers say the Lantern bridge")
    assert "*Extractive" in output


def test_markdown_escapes_article_text() -> None:
    output = render(make_briefing(), "md")
    assert "<script>" not in output
    assert "> \\# Some residents" in output  # not a heading inside the quote
    assert "| Vell Institute | institution | 1 | — | 2 (c1, c3) |" in output
    briefing = make_briefing(
        sources=[
            SourceEntry(name="Vell | Institute", kind="institution", claim_ids=["c1", "c3"]),
            SourceEntry(name="letter", kind="document", claim_ids=["c2"]),
        ]
    )
    table_row = next(
        line for line in render(briefing, "md").splitlines() if line.startswith("| Vell")
    )
    assert table_row.count("|") - table_row.count("\\|") == 6


def test_markdown_links_only_web_urls() -> None:
    article = Article(text=TEXT, title="T", url="javascript:alert(1)")
    output = render(make_briefing(article=article), "md")
    assert "<javascript:" not in output
    assert "](javascript" not in output
