"""RSS and Atom feeds parsed by feedparser, from a file's bytes or a fetched document.

A feed that parses with problems (feedparser's ``bozo``) still yields whatever entries it has;
the problem becomes a warning. Only a feed with a problem *and* no entries is an error.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from briefer.errors import InputError
from briefer.ingest import FetchResult, clean_text, looks_like_feed

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml", ".rdf"})


@dataclass
class FeedEntry:
    """One entry: ``key`` is stable across fetches (guid, else link, else title+date)."""

    key: str
    title: str | None
    link: str | None
    published: datetime | None
    summary: str | None
    content: str | None


@dataclass
class Feed:
    feed_id: str
    source: str
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None


def feed_id_for(source: str) -> str:
    """A stable id for a feed source (URL as given, or a file's resolved path)."""
    key = source if "://" in source else str(Path(source).resolve())
    return "feed:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def parse_feed(
    content: bytes, *, source: str, feed_id: str | None = None, charset: str | None = None
) -> Feed:
    """Entries of a feed document; raises ``InputError`` only if nothing usable is in it."""
    headers = {"content-type": f"application/xml; charset={charset}"} if charset else None
    parsed = feedparser.parse(content, response_headers=headers)
    feed = Feed(
        feed_id=feed_id or feed_id_for(source),
        source=source,
        title=clean_text(parsed.feed.get("title")),
    )
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        reason = " ".join(str(problem).split()) if problem is not None else "malformed feed"
        if not parsed.entries:
            if not looks_like_feed(content):
                raise InputError(f"{source} is not an RSS or Atom feed")
            raise InputError(f"feed {source} could not be parsed ({reason}); no entries read")
        feed.warnings.append(f"feed {source} is malformed ({reason}); read what could be read")
    if not parsed.entries and not parsed.get("version"):
        raise InputError(f"{source} is not an RSS or Atom feed")
    for index, raw in enumerate(parsed.entries):
        feed.entries.append(_entry(raw, index, feed.feed_id))
    return feed


def feed_from_fetch(result: FetchResult, *, source: str, feed_id: str) -> Feed:
    """A fetched feed document, carrying its validators for the next conditional fetch."""
    feed = parse_feed(result.content, source=source, feed_id=feed_id, charset=result.charset)
    feed.etag, feed.last_modified = result.etag, result.last_modified
    return feed


def _entry(raw: Any, index: int, feed_id: str) -> FeedEntry:
    link = clean_text(raw.get("link"))
    if link and raw.get("guidislink") and "://" not in link:
        # feedparser offers an RSS <guid> as the link when there is none; an id such as
        # "g17" (or "/etc/passwd") is not a link the feed gave.
        link = None
    title = clean_text(raw.get("title"))
    published = _when(raw.get("published_parsed") or raw.get("updated_parsed"))
    guid = clean_text(raw.get("id"))
    key_basis = guid or link or f"{title}|{published}|{index}"
    content = None
    for part in raw.get("content") or []:
        value = part.get("value")
        if value and (content is None or len(value) > len(content)):
            content = value
    return FeedEntry(
        key=hashlib.sha256(f"{feed_id}|{key_basis}".encode()).hexdigest()[:24],
        title=title,
        link=link,
        published=published,
        summary=clean_text(raw.get("summary")),
        content=content,
    )


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        # feedparser normalises every date to a UTC struct_time.
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (TypeError, ValueError, OverflowError):
        return None
