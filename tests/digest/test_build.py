"""Building and rendering the digest: merging, grouping, corroboration, escaping, size cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import digest_fixtures as fx
import pytest

from briefer.contract import Article
from briefer.digest.build import build_digest
from briefer.digest.model import DigestFailure, DigestItem
from briefer.digest.render import render_digest, truncated
from briefer.pipeline import brief

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def items() -> list[DigestItem]:
    engine = fx.SaidEngine()
    out = []
    for slug, story in fx.STORIES.items():
        article = Article(
            text=f"{story.title}\n\n{story.text}", title=story.title, outlet=story.outlet
        )
        out.append(
            DigestItem(
                item_id=slug,
                briefing=brief(article, engine=engine),
                url=f"https://news.example/{slug}",
                outlet=story.outlet,
                title=story.title,
                published=story.published(NOW),
            )
        )
    return out


def story_of(digest: object, item_id: str) -> object:
    for story in digest.stories:  # type: ignore[attr-defined]
        if any(a.item_id == item_id for a in story.articles):
            return story
    raise AssertionError(item_id)


def test_syndicated_copies_merge_and_the_same_event_groups(items: list[DigestItem]) -> None:
    digest = build_digest(items, title="T", window_start=NOW - timedelta(days=1), now=NOW)
    assert digest.counts.articles == 8
    assert digest.counts.outlets == 3
    assert digest.counts.duplicates_merged == 2
    airline = [a for s in digest.stories for a in s.articles if "Northwind" in a.bluf]
    assert len(airline) == 1
    assert sorted(s.outlet for s in airline[0].also_in) == sorted(
        {"Harbor Gazette", "Valley Courier", "Coastal Wire"} - {airline[0].outlet}
    )
    desal = story_of(digest, "gazette-desal")
    assert {a.item_id for a in desal.articles} == {"gazette-desal", "courier-desal"}  # type: ignore[attr-defined]
    # Side by side framing for each outlet, and a claim both outlets carry, corroborated.
    assert [f.outlet for f in desal.framing_by_outlet] != []  # type: ignore[attr-defined]
    assert {f.outlet for f in desal.framing_by_outlet} == {"Harbor Gazette", "Valley Courier"}  # type: ignore[attr-defined]
    sources = {c.source for c in desal.corroborated}  # type: ignore[attr-defined]
    assert "Mayor Elena Ruiz" in sources
    assert all(len(c.outlets) >= 2 for c in desal.corroborated)  # type: ignore[attr-defined]
    # Key points come first and lead with the multi-outlet story.
    assert digest.key_points[0].story_id == desal.id  # type: ignore[attr-defined]
    # Unrelated stories stay apart.
    assert story_of(digest, "gazette-quota") is not story_of(digest, "courier-library")
    # Inventory: sources named by more than one outlet first.
    assert len(digest.inventory[0].outlets) >= 2


def test_syndicated_copies_do_not_corroborate_each_other(items: list[DigestItem]) -> None:
    wire_only = [i for i in items if "airline" in i.item_id]
    digest = build_digest(wire_only, title="T", window_start=None, now=NOW)
    assert digest.counts.duplicates_merged == 2
    assert digest.counts.corroborated == 0


def test_rendered_html_is_inlined_escaped_and_has_both_parts(items: list[DigestItem]) -> None:
    failures = [DigestFailure(source="http://x/feed", reason="HTTP 404 <b>gone</b>")]
    digest = build_digest(items, title="Digest & co", window_start=None, failures=failures, now=NOW)
    rendered = render_digest(digest)
    html, text = rendered.html, rendered.text
    assert "<style" not in html.split("<body", 1)[1]  # rules moved into style attributes
    assert 'style="' in html and "<table" in html and 'role="presentation"' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "HTTP 404 &lt;b&gt;gone&lt;/b&gt;" in html and "Digest &amp; co" in html
    assert 'href="https://news.example/gazette-desal"' in html
    assert "APPENDIX: FAILURES AND WARNINGS" in text and "HTTP 404 <b>gone</b>" in text
    assert text.index("KEY POINTS") < text.index("== ")
    assert rendered.detailed_articles == rendered.total_articles == 6


def test_the_html_is_capped_by_dropping_detail_from_the_end(items: list[DigestItem]) -> None:
    many = [
        item.model_copy(update={"item_id": f"{item.item_id}-{n}", "outlet": f"Outlet {n}"})
        for n in range(40)
        for item in items
    ]
    digest = build_digest(many, title="Big", window_start=None, now=NOW)
    full = render_digest(digest, max_bytes=10_000_000)
    capped = render_digest(digest, max_bytes=60_000)
    assert full.html_bytes > 60_000 >= capped.html_bytes
    assert 0 < capped.detailed_articles < capped.total_articles
    assert "Not shown in detail" in capped.html and "NOT SHOWN IN DETAIL" in capped.text
    cut = truncated(digest, capped.detailed_articles)
    assert cut.omitted is not None
    shown = sum(len(s.articles) for s in cut.stories)
    assert shown == capped.detailed_articles


def test_an_empty_appendix_and_no_failures_render(items: list[DigestItem]) -> None:
    digest = build_digest(items[:1], title="One", window_start=None, now=NOW)
    rendered = render_digest(digest)
    assert "Appendix" not in rendered.html
    assert "1 article from 1 outlet" in rendered.text
