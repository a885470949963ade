"""Expanding digest SOURCEs -- files, folders, globs, feeds (file or URL), article URLs -- into
items, each with a stable id and a loader that produces its Article when (and only if) needed.

A source that cannot be read becomes a ``Failure`` for the digest's appendix, never an exception.
"""

from __future__ import annotations

import glob
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from briefer.errors import BrieferError, InputError
from briefer.feeds import (
    FEED_SUFFIXES,
    Feed,
    FeedEntry,
    feed_from_fetch,
    feed_id_for,
    looks_like_feed,
    parse_feed,
)
from briefer.fetch import fetch_url, is_url
from briefer.ingest import (
    article_from_bytes,
    article_from_fetch,
    article_from_html,
    kind_for_path,
    load_article,
    read_file,
)
from briefer.models import Article

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
_GLOB_CHARS = frozenset("*?[")


@dataclass
class Failure:
    """Something that could not go into the digest, and why (one line)."""

    source: str
    reason: str
    item: str | None = None


@dataclass
class Candidate:
    item_id: str
    source: str
    feed_id: str | None
    link: str | None
    title: str | None
    published: datetime | None
    load: Callable[[], Article]
    outlet_hint: str | None = None


@dataclass
class FeedStatus:
    """A feed read this run; its validators are saved once all its entries are recorded."""

    feed: Feed
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class Expansion:
    candidates: list[Candidate] = field(default_factory=list)
    feeds: list[FeedStatus] = field(default_factory=list)
    # Every feed of the source list, read or not (a 304 still counts): its stored, unsent items
    # are digest candidates.
    feed_ids: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


ValidatorLookup = Callable[[str], tuple[str | None, str | None] | None]


def expand_sources(
    sources: Sequence[str],
    *,
    max_bytes: int,
    timeout: float,
    validators: ValidatorLookup | None = None,
    since: datetime | None = None,
) -> Expansion:
    """Items of every source, in order; entries dated before ``since`` are skipped unfetched."""
    out = Expansion()
    seen: set[str] = set()
    for source in sources:
        try:
            if is_url(source):
                _expand_url(source, out, max_bytes, timeout, validators, since)
            else:
                for path in _paths(source):
                    _expand_path(path, source, out, max_bytes, timeout, since)
        except BrieferError as exc:
            out.failures.append(Failure(source=source, reason=str(exc)))
    unique = []
    for candidate in out.candidates:
        if candidate.item_id not in seen:
            seen.add(candidate.item_id)
            unique.append(candidate)
    out.candidates = unique
    return out


def _paths(source: str) -> list[Path]:
    path = Path(source).expanduser()
    if path.exists():
        if path.is_dir():
            found = [
                child
                for child in sorted(path.rglob("*"))
                if child.is_file()
                and not child.name.startswith(".")
                and child.suffix.lower() in ARTICLE_SUFFIXES | FEED_SUFFIXES
            ]
            if not found:
                raise InputError(f"folder {source} has no .txt/.md/.html/.xml files")
            return found
        return [path]
    if _GLOB_CHARS & set(source):
        matches = sorted(Path(match) for match in glob.glob(source, recursive=True))
        files = [match for match in matches if match.is_file()]
        if not files:
            raise InputError(f"no files match {source}")
        return files
    raise InputError(f"{source} does not exist; check the path")


def _expand_path(
    path: Path, source: str, out: Expansion, max_bytes: int, timeout: float, since: datetime | None
) -> None:
    name = str(path)
    try:
        raw = read_file(path, max_bytes)
    except InputError as exc:
        out.failures.append(Failure(source=source, item=name, reason=str(exc)))
        return
    if path.suffix.lower() in FEED_SUFFIXES or looks_like_feed(raw):
        feed_id = feed_id_for(name)
        try:
            feed = parse_feed(raw, source=name, feed_id=feed_id)
        except BrieferError as exc:
            out.feed_ids.append(feed_id)
            out.failures.append(Failure(source=name, reason=str(exc)))
            return
        _add_feed(feed, out, max_bytes, timeout, since, base=path.parent)
        return
    digest = hashlib.sha256(raw).hexdigest()
    item_id = "file:" + hashlib.sha256(f"{path.resolve()}|{digest}".encode()).hexdigest()[:24]

    def load() -> Article:
        return article_from_bytes(raw, name=name, kind=kind_for_path(path))

    out.candidates.append(
        Candidate(
            item_id=item_id,
            source=name,
            feed_id=None,
            link=None,
            title=None,
            published=None,
            load=load,
        )
    )


def _expand_url(
    url: str,
    out: Expansion,
    max_bytes: int,
    timeout: float,
    validators: ValidatorLookup | None,
    since: datetime | None,
) -> None:
    feed_id = feed_id_for(url)
    known = validators(feed_id) if validators else None
    etag, modified = known if known else (None, None)
    try:
        result = fetch_url(
            url, max_bytes=max_bytes, timeout=timeout, etag=etag, last_modified=modified
        )
    except BrieferError as exc:
        if known is not None:
            out.feed_ids.append(feed_id)
        raise exc
    if result.not_modified:
        out.feed_ids.append(feed_id)
        log.info("feed %s not modified since the last run", url)
        return
    if looks_like_feed(result.content, result.content_type):
        try:
            feed = feed_from_fetch(result, source=url, feed_id=feed_id)
        except BrieferError:
            out.feed_ids.append(feed_id)
            raise
        _add_feed(feed, out, max_bytes, timeout, since, base=None)
        return
    out.candidates.append(
        Candidate(
            item_id=url_item_id(url),
            source=url,
            feed_id=None,
            link=url,
            title=None,
            published=None,
            load=lambda: article_from_fetch(result),
        )
    )


def url_item_id(url: str) -> str:
    return "url:" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]


def _add_feed(
    feed: Feed,
    out: Expansion,
    max_bytes: int,
    timeout: float,
    since: datetime | None,
    *,
    base: Path | None,
) -> None:
    out.feed_ids.append(feed.feed_id)
    out.warnings.extend(feed.warnings)
    status = FeedStatus(feed=feed)
    out.feeds.append(status)
    for entry in feed.entries:
        if since is not None and entry.published is not None and entry.published < since:
            continue
        candidate = Candidate(
            item_id=entry.key,
            source=feed.source,
            feed_id=feed.feed_id,
            link=entry.link,
            title=entry.title,
            published=entry.published,
            load=_entry_loader(entry, feed, max_bytes, timeout, base),
            outlet_hint=feed.title,
        )
        status.candidates.append(candidate)
        out.candidates.append(candidate)


def _entry_loader(
    entry: FeedEntry, feed: Feed, max_bytes: int, timeout: float, base: Path | None
) -> Callable[[], Article]:
    def load() -> Article:
        link = entry.link
        embedded = entry.content or entry.summary
        if link and is_url(link):
            try:
                return article_from_fetch(fetch_url(link, max_bytes=max_bytes, timeout=timeout))
            except BrieferError:
                # A feed that carries the full text (content:encoded) is still usable when the
                # page itself is unreachable; a mere summary is not an article.
                if entry.content and len(entry.content) > 500:
                    return article_from_html(entry.content, url=link)
                raise
        if link and base is not None and (base / link).is_file():
            return load_article(str(base / link), max_bytes=max_bytes, timeout=timeout)
        if embedded:
            return article_from_html(embedded, url=link)
        raise InputError(f"feed entry {entry.title or entry.key!r} has no link and no content")

    return load


def outlet_from_url(url: str | None) -> str | None:
    if not url or not is_url(url):
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None
