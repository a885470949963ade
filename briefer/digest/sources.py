"""Expanding digest SOURCEs -- files, folders, globs, feeds (file or URL), article URLs -- into
items, each with a stable id and a loader that produces its Article when (and only if) needed.

A source that cannot be read becomes a ``Failure`` for the digest's appendix, never an exception.

Only the SOURCEs themselves are read from disk. A link inside a feed is followed only when it
is an http(s) URL (a relative link in a fetched feed is resolved against the feed's URL first):
a feed is somebody else's text, and a ``<link>`` naming ``~/.config/briefer/config.toml`` or
``file:///etc/passwd`` must not put that file into a digest. Such an entry is read from the
feed's own text (its content or summary) if it has any, else listed as a failure.
"""

from __future__ import annotations

import glob
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

from briefer.config import DEFAULT_MAX_ENTRIES
from briefer.contract import Article
from briefer.digest.feeds import (
    FEED_SUFFIXES,
    Feed,
    FeedEntry,
    feed_from_fetch,
    feed_id_for,
    parse_feed,
)
from briefer.errors import BrieferError, InputError
from briefer.ingest import (
    article_from_bytes,
    article_from_fetch,
    article_from_html,
    host_outlet,
    kind_for_path,
    looks_like_feed,
    read_file,
)
from briefer.ingest.fetch import check_url, fetch_url, is_url

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
    # Feed entries published before the window: recorded, not fetched.
    outside: list[Candidate] = field(default_factory=list)
    # Entries left out by the per-feed cap, over all feeds.
    over_cap: int = 0
    # Feeds that answered 304 Not Modified.
    unchanged: int = 0
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
    max_entries: int = DEFAULT_MAX_ENTRIES,
) -> Expansion:
    """Items of every source, in order; feed entries dated before ``since`` go to ``outside``
    unfetched, and only the newest ``max_entries`` of each feed are looked at."""
    out = Expansion()
    seen: set[str] = set()
    limits = _Limits(max_bytes, timeout, since, max_entries)
    for source in sources:
        try:
            if is_url(source):
                _expand_url(source, out, limits, validators)
            else:
                for path in _paths(source):
                    _expand_path(path, source, out, limits)
        except BrieferError as exc:
            out.failures.append(Failure(source=source, reason=str(exc)))
    unique = []
    for candidate in out.candidates:
        if candidate.item_id not in seen:
            seen.add(candidate.item_id)
            unique.append(candidate)
    out.candidates = unique
    return out


@dataclass(frozen=True)
class _Limits:
    max_bytes: int
    timeout: float
    since: datetime | None
    max_entries: int


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


def _expand_path(path: Path, source: str, out: Expansion, limits: _Limits) -> None:
    name = str(path)
    try:
        raw = read_file(path, limits.max_bytes)
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
        _add_feed(feed, out, limits)
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
    url: str, out: Expansion, limits: _Limits, validators: ValidatorLookup | None
) -> None:
    feed_id = feed_id_for(url)
    known = validators(feed_id) if validators else None
    etag, modified = known if known else (None, None)
    try:
        result = fetch_url(
            url,
            max_bytes=limits.max_bytes,
            timeout=limits.timeout,
            etag=etag,
            last_modified=modified,
        )
    except BrieferError as exc:
        if known is not None:
            out.feed_ids.append(feed_id)
        raise exc
    if result.not_modified:
        out.unchanged += 1
        out.feed_ids.append(feed_id)
        log.info("feed %s not modified since the last run", url)
        return
    if looks_like_feed(result.content, result.content_type):
        try:
            feed = feed_from_fetch(result, source=url, feed_id=feed_id)
        except BrieferError:
            out.feed_ids.append(feed_id)
            raise
        _add_feed(feed, out, limits)
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


def _add_feed(feed: Feed, out: Expansion, limits: _Limits) -> None:
    out.feed_ids.append(feed.feed_id)
    out.warnings.extend(feed.warnings)
    status = FeedStatus(feed=feed)
    out.feeds.append(status)
    entries = newest(feed.entries, limits.max_entries)
    if len(entries) < len(feed.entries):
        left = len(feed.entries) - len(entries)
        out.over_cap += left
        out.warnings.append(
            f"feed {feed.source} lists {len(feed.entries):,} entries; read the newest "
            f"{len(entries):,} and left out {left:,} older ones (raise --max-entries to read more)"
        )
    # A fetched feed's relative links are relative to its URL; a file's are not followed.
    base_url = feed.source if is_url(feed.source) else None
    refused: list[str] = []
    for entry in entries:
        link = web_link(entry.link, base_url)
        if entry.link and link is None:
            refused.append(entry.link)
        candidate = Candidate(
            item_id=entry.key,
            source=feed.source,
            feed_id=feed.feed_id,
            link=link,
            title=entry.title,
            published=entry.published,
            load=_entry_loader(entry, link, limits),
            outlet_hint=feed.title,
        )
        if (
            limits.since is not None
            and entry.published is not None
            and entry.published < limits.since
        ):
            out.outside.append(candidate)
            continue
        status.candidates.append(candidate)
        out.candidates.append(candidate)
    if refused:
        out.warnings.append(
            f"feed {feed.source}: {len(refused)} entry link(s) are not http(s) URLs (e.g. "
            f"{refused[0]!r}); not followed, the entries' own text is used where they have any"
        )


def newest(entries: Sequence[FeedEntry], limit: int) -> list[FeedEntry]:
    """The ``limit`` newest entries, in feed order. Undated entries count as new (feeds list
    newest first, so their place in the feed is the best guess left)."""
    if len(entries) <= limit:
        return list(entries)
    ranked = sorted(
        range(len(entries)),
        key=lambda i: (entries[i].published is not None, -(_stamp(entries[i].published)), i),
    )
    keep = set(ranked[:limit])
    return [entry for index, entry in enumerate(entries) if index in keep]


def _stamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else 0.0


def web_link(link: str | None, base_url: str | None = None) -> str | None:
    """``link`` (resolved against ``base_url``) if it is an http(s) URL briefer may fetch."""
    if not link:
        return None
    resolved = urljoin(base_url, link) if base_url else link
    try:
        check_url(resolved)
    except InputError:
        return None
    return resolved


def _entry_loader(entry: FeedEntry, link: str | None, limits: _Limits) -> Callable[[], Article]:
    def load() -> Article:
        embedded = entry.content or entry.summary
        if link is not None:
            try:
                return article_from_fetch(
                    fetch_url(link, max_bytes=limits.max_bytes, timeout=limits.timeout)
                )
            except BrieferError:
                # A feed that carries the full text (content:encoded) is still usable when the
                # page itself is unreachable; a mere summary is not an article.
                if entry.content and len(entry.content) > 500:
                    return article_from_html(entry.content, url=link)
                raise
        if embedded:
            return article_from_html(embedded, url=link)
        name = entry.title or entry.key
        if entry.link:
            raise InputError(
                f"feed entry {name!r} links to {entry.link!r}, not an http(s) URL, and has no "
                "text of its own; only SOURCEs you name are read from disk"
            )
        raise InputError(f"feed entry {name!r} has no link and no content")

    return load


def outlet_from_url(url: str | None) -> str | None:
    """The outlet a web link names (its host without ``www.``); none for other links."""
    return host_outlet(url) if url and is_url(url) else None
