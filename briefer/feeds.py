"""RSS and Atom feeds, from a file or a URL, parsed by feedparser.

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
from briefer.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, fetch_url
from briefer.ingest import read_file

FEED_MEDIA_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+xml",
    }
)
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
    not_modified: bool = False


def feed_id_for(source: str) -> str:
    """A stable id for a feed source (URL as given, or a file's resolved path)."""
    key = source if "://" in source else str(Path(source).resolve())
    return "feed:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def looks_like_feed(content: bytes, content_type: str | None = None) -> bool:
    """Sniff a document: a feed media type, or an ``<rss``/``<feed``/``<rdf:RDF`` root."""
    if content_type in ("application/rss+xml", "application/atom+xml", "application/feed+xml"):
        return True
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2 :].lstrip()
        while head.startswith(b"<!--") or head.startswith(b"<?"):
            end = head.find(b"-->") + 3 if head.startswith(b"<!--") else head.find(b"?>") + 2
            if end < 3:
                break
            head = head[end:].lstrip()
        return head.startswith((b"<rss", b"<feed", b"<rdf:rdf", b"<rdf"))
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def parse_feed(
    content: bytes, *, source: str, feed_id: str | None = None, charset: str | None = None
) -> Feed:
    """Entries of a feed document; raises ``InputError`` only if nothing usable is in it."""
    headers = {"content-type": f"application/xml; charset={charset}"} if charset else None
    parsed = feedparser.parse(content, response_headers=headers)
    feed = Feed(
        feed_id=feed_id or feed_id_for(source),
        source=source,
        title=_clean(parsed.feed.get("title")),
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


def load_feed(
    source: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Feed:
    """A feed from a path or an http(s) URL; URLs are fetched conditionally when validators
    from an earlier fetch are given (a 304 gives a Feed with ``not_modified`` and no entries)."""
    feed_id = feed_id_for(source)
    if "://" in source:
        result = fetch_url(
            source, max_bytes=max_bytes, timeout=timeout, etag=etag, last_modified=last_modified
        )
        if result.not_modified:
            return Feed(
                feed_id=feed_id,
                source=source,
                title=None,
                etag=result.etag or etag,
                last_modified=result.last_modified or last_modified,
                not_modified=True,
            )
        feed = parse_feed(result.content, source=source, feed_id=feed_id, charset=result.charset)
        feed.etag, feed.last_modified = result.etag, result.last_modified
        return feed
    content = read_file(Path(source), max_bytes)
    return parse_feed(content, source=source, feed_id=feed_id)


def _entry(raw: Any, index: int, feed_id: str) -> FeedEntry:
    link = _clean(raw.get("link"))
    title = _clean(raw.get("title"))
    published = _when(raw.get("published_parsed") or raw.get("updated_parsed"))
    guid = _clean(raw.get("id"))
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
        summary=_clean(raw.get("summary")),
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


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
