"""Feeds: RSS and Atom parsing, bozo feeds as warnings, conditional GET, source expansion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import digest_fixtures as fx
import pytest

from briefer.digest.feeds import FeedEntry, feed_id_for, parse_feed
from briefer.digest.sources import expand_sources, newest, web_link
from briefer.errors import InputError
from briefer.ingest import looks_like_feed

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def stories() -> list[tuple[fx.Story, str]]:
    return [
        (fx.STORIES["gazette-desal"], "http://h/a"),
        (fx.STORIES["gazette-quota"], "http://h/b"),
    ]


def test_rss_and_atom_entries_with_dates_and_stable_keys() -> None:
    for build in (fx.rss, fx.atom):
        document = build("Harbor Gazette", "http://h/", stories(), NOW).encode()
        assert looks_like_feed(document)
        feed = parse_feed(document, source="f.xml")
        assert feed.title == "Harbor Gazette" and feed.warnings == []
        assert [e.link for e in feed.entries] == ["http://h/a", "http://h/b"]
        assert feed.entries[0].published == NOW - timedelta(hours=3)
        again = parse_feed(document, source="f.xml")
        assert [e.key for e in again.entries] == [e.key for e in feed.entries]


def test_a_bozo_feed_with_entries_is_a_warning_and_without_is_an_error() -> None:
    cut = fx.rss("G", "http://h/", stories(), NOW)[:-30].encode()
    feed = parse_feed(cut, source="cut.xml")
    assert feed.entries and "malformed" in feed.warnings[0]
    with pytest.raises(InputError, match="could not be parsed"):
        parse_feed(b"<?xml version='1.0'?><rss><<<", source="junk.xml")
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        parse_feed(b"just some words", source="words.txt")


def test_html_is_not_mistaken_for_a_feed() -> None:
    assert not looks_like_feed(b"<!DOCTYPE html><html><body>hi</body></html>", "text/html")
    assert looks_like_feed(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<feed/>")


def test_feed_urls_are_fetched_conditionally(http_server: object) -> None:
    body = fx.rss("G", "http://h/", stories(), NOW)
    url = http_server.add("/f.xml", body, content_type="application/rss+xml", etag='"v1"')  # type: ignore[attr-defined]
    first = expand_sources([url], max_bytes=1_000_000, timeout=5)
    [status] = first.feeds
    assert status.feed.etag == '"v1"' and len(first.candidates) == 2
    known = {status.feed.feed_id: (status.feed.etag, status.feed.last_modified)}
    second = expand_sources([url], max_bytes=1_000_000, timeout=5, validators=known.get)
    assert second.unchanged == 1 and second.candidates == [] and second.feeds == []
    assert second.feed_ids == [status.feed.feed_id]  # its stored items are still candidates
    assert http_server.requests[-1].headers["if-none-match"] == '"v1"'  # type: ignore[attr-defined]


def test_sources_expand_files_folders_globs_and_report_failures(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("First article.\n\nIt has text.", encoding="utf-8")
    (folder / "two.md").write_text("# Second\n\nMore text.", encoding="utf-8")
    (folder / "skip.png").write_bytes(b"\x89PNG")
    feed = tmp_path / "local.xml"
    feed.write_text(fx.rss("Local", "http://h/", stories(), NOW), encoding="utf-8")
    out = expand_sources(
        [str(folder), str(tmp_path / "articles" / "*.txt"), str(feed), str(tmp_path / "nope")],
        max_bytes=1_000_000,
        timeout=5,
    )
    names = sorted(Path(c.source).name for c in out.candidates if c.feed_id is None)
    assert names == ["one.txt", "two.md"]  # the glob's match is the same item, listed once
    assert [c.link for c in out.candidates if c.feed_id] == ["http://h/a", "http://h/b"]
    assert out.feed_ids == [feed_id_for(str(feed))]
    [failure] = out.failures
    assert "does not exist" in failure.reason
    article = next(c for c in out.candidates if c.source.endswith("one.txt")).load()
    assert article.text.startswith("First article.")


def test_entries_older_than_since_are_not_fetched(tmp_path: Path) -> None:
    feed = tmp_path / "local.xml"
    feed.write_text(fx.rss("Local", "http://h/", stories(), NOW), encoding="utf-8")
    out = expand_sources(
        [str(feed)], max_bytes=1_000_000, timeout=5, since=NOW - timedelta(hours=4)
    )
    assert [c.link for c in out.candidates] == ["http://h/a"]  # 3 h old; the 6 h one skipped
    # ... but kept aside, so that the run records it and a wider window brings it in.
    assert [c.link for c in out.outside] == ["http://h/b"]


def test_only_the_newest_entries_are_kept_undated_ones_counting_as_new() -> None:
    def entry(key: str, hours: float | None) -> FeedEntry:
        when = None if hours is None else NOW - timedelta(hours=hours)
        return FeedEntry(key=key, title=key, link=None, published=when, summary=None, content=None)

    entries = [entry("old", 9), entry("undated", None), entry("new", 1), entry("mid", 5)]
    assert [e.key for e in newest(entries, 2)] == ["undated", "new"]  # in feed order
    assert [e.key for e in newest(entries, 3)] == ["undated", "new", "mid"]
    assert newest(entries, 10) == entries


def test_only_http_links_are_followed() -> None:
    assert web_link("https://h/a") == "https://h/a"
    assert web_link("b.html", "http://h/news/rss.xml") == "http://h/news/b.html"
    assert web_link("/b.html", "https://h/news/rss.xml") == "https://h/b.html"
    for hostile in ("/etc/passwd", "file:///etc/passwd", "~/x", "../x", "x.txt", "ftp://h/x"):
        assert web_link(hostile) is None
    assert web_link("file:///etc/passwd", "http://h/rss.xml") is None


def test_a_guid_that_is_not_a_url_is_not_taken_for_a_link() -> None:
    document = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><guid>a-17</guid></item>"
        b"<item><title>B</title><guid>/etc/passwd</guid></item>"
        b"<item><title>C</title><guid>http://h/c</guid></item></channel></rss>"
    )
    assert [e.link for e in parse_feed(document, source="t.xml").entries] == [
        None,
        None,
        "http://h/c",
    ]
