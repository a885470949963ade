"""Building and rendering the digest: merging, grouping, corroboration, escaping, size cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import digest_fixtures as fx
import pytest

from briefer.contract import Article, Briefing, Claim, ClaimSource, Provenance, Span
from briefer.digest.build import build_digest
from briefer.digest.model import DigestFailure, DigestItem
from briefer.digest.render import render_digest, truncated
from briefer.pipeline import brief
from briefer.pipeline.entities import source_entities

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


def _profiled_item(item_id: str, outlet: str, kinds: list[tuple[str, bool]]) -> DigestItem:
    """An item whose claims have the given (source kind, relayed) and known word counts: each
    claim is a sentence of 5 words, all attributed, and the outlet adds 5 words of its own."""
    sentences = [f"Source{n} said point {n} happened." for n in range(len(kinds))]
    text = " ".join([*sentences, f"The {item_id} outlet adds views."])
    claims = []
    for n, (kind, relayed) in enumerate(kinds):
        start = text.index(f"Source{n} ")
        claims.append(
            Claim(
                id=f"c{n + 1}",
                statement=f"Point {n} happened.",
                source=ClaimSource(
                    name=f"Source{n}", kind=kind, span=Span.of(text, start, start + 7)
                ),
                cue=Span.of(text, start + 8, start + 12),
                content=Span.of(text, start + 13, start + 28 + len(str(n)) - 1),
                quote="indirect",
                via=["Wire"] if relayed else [],
            )
        )
    briefing = Briefing(
        article=Article(text=text, title=f"Story {item_id}", outlet=outlet),
        bluf="b",
        claims=claims,
        sources=source_entities(text, claims)[1],
        # No stored profile, as for a briefing saved before profiles: the digest computes it.
        provenance=Provenance(engine="test", created_at="2026-01-01T00:00:00+00:00"),
    )
    return DigestItem(item_id=item_id, briefing=briefing, outlet=outlet)


HOSTILE = 'Evil <b>"Wire"</b> & Co'


def test_each_outlet_gets_a_sourcing_line_summed_over_its_articles() -> None:
    items = [
        _profiled_item(
            "a1", "Outlet A", [("person", False), ("official", True), ("person", False)]
        ),
        _profiled_item("a2", "Outlet A", [("vague", False)]),
        _profiled_item("b1", HOSTILE, [("anonymous", False)]),
        _profiled_item("b2", HOSTILE, []),
        _profiled_item("c1", "Outlet C", []),
    ]
    digest = build_digest(items, title="T", window_start=None, now=NOW)
    by_outlet = {line.outlet: line for line in digest.sourcing}
    a = by_outlet["Outlet A"]
    assert (a.articles, a.profile.claims, a.profile.named, a.profile.vague) == (2, 4, 3, 1)
    # Counts summed, then shares: 3 of 4 named (the mean of the two articles' shares is 50%).
    assert a.profile.named_share == 0.75 and a.profile.relayed_share == 0.25
    assert a.profile.attributed_words == 20 and a.profile.words == 30
    assert [line.outlet for line in digest.sourcing] == ["Outlet A", HOSTILE, "Outlet C"]

    rendered = render_digest(digest)
    text, html = rendered.text, rendered.html
    line_a = (
        "Outlet A: 75% of claims from named sources, 0% anonymous, 25% vague; 25% relayed; "
        "67% of words attributed (4 claims in 2 articles)"
    )
    assert f"\nSOURCING BY OUTLET\n  {line_a}\n" in text
    assert (
        f"  {HOSTILE}: 0% of claims from named sources, 100% anonymous, 0% vague; 0% relayed; "
        "33% of words attributed (1 claim in 2 articles)\n"
    ) in text
    assert "  Outlet C: no attributed claims (1 article)\n" in text
    assert "Sourcing by outlet" in html
    # Escaped (the CSS inliner writes quotes in text back as plain '"', which is safe there).
    assert '<b>Evil &lt;b&gt;"Wire"&lt;/b&gt; &amp; Co</b>: 0% of claims' in html
    assert '<b>"Wire"</b>' not in html
