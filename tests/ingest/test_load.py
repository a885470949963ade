"""Loading the bundled examples end to end: outlet, byline, date, no boilerplate."""

from __future__ import annotations

from pathlib import Path

from briefer.ingest import load_article

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_examples_load() -> None:
    harbor = load_article(str(EXAMPLES / "harbor-report.txt"))
    assert harbor.outlet == "Coastline Daily"
    assert "Source »" not in harbor.text
    opinion = load_article(str(EXAMPLES / "opinionated-outlet.txt"))
    assert opinion.outlet == "The Bayside Sentinel"
    council = load_article(str(EXAMPLES / "council-vote.html"))
    assert council.outlet == "The Harwick Courier"
    assert council.author == "Daniel Osei"
    assert council.published == "2026-02-18"
    assert "Accept all" not in council.text and "All rights reserved" not in council.text
    assert "Typical. They never test" not in council.text  # reader comments dropped
    # the escaped code in the story is text; the real <script> element is gone
    assert council.text.count("<script>alert(1)</script>") == 1
    for article in (harbor, opinion, council):
        assert 400 <= len(article.text.split()) <= 900
