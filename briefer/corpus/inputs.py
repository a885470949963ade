"""A corpus's INPUTs -- JSONL of articles, folders, files of URLs, feeds, article files or URLs --
expanded into items, each with a stable id and a way to load its Article.

Items keep the order of the INPUTs and, inside one, the order of its lines, files (sorted by
path) or feed entries. An id must be unique over the whole corpus: resuming relies on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefer.contract import Article
from briefer.digest.feeds import FEED_SUFFIXES
from briefer.digest.sources import ARTICLE_SUFFIXES, expand_sources
from briefer.errors import InputError
from briefer.ingest import load_article, read_file
from briefer.ingest.fetch import is_url

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
# Optional article fields of a JSONL line; a ``meta`` object may carry them instead, under
# these names or the second ones (PolNeAR-style records: meta.publisher, meta.publication_date).
_FIELDS = {
    "title": ("title",),
    "outlet": ("outlet", "publisher"),
    "url": ("url",),
    "author": ("author",),
    "published": ("published", "publication_date"),
}


@dataclass(frozen=True)
class FileArticle:
    """Loads an article file; a plain dataclass, so a worker process can receive it."""

    path: str
    max_bytes: int

    def __call__(self) -> Article:
        return load_article(self.path, max_bytes=self.max_bytes)


@dataclass(frozen=True)
class UrlArticle:
    """Fetches an article URL; picklable like ``FileArticle``."""

    url: str
    max_bytes: int
    timeout: float

    def __call__(self) -> Article:
        return load_article(self.url, max_bytes=self.max_bytes, timeout=self.timeout)


@dataclass(frozen=True)
class CorpusItem:
    """One article to brief: its id, where it came from, and its Article or a loader.

    ``article`` is set when the text is known without work (a JSONL line); ``load`` otherwise.
    ``portable`` says whether ``load`` may travel to another process (a feed entry's loader is
    a closure over the fetched feed: the driver runs it).
    """

    id: str
    source: str
    article: Article | None = None
    load: Callable[[], Article] | None = None
    portable: bool = True
    # Whether the text can be had again without the network, to compare SHA-256 on resume.
    local: bool = True

    def resolve(self) -> Article:
        """The Article, with this item's id."""
        if self.article is not None:
            article = self.article
        elif self.load is not None:
            article = self.load()
        else:  # pragma: no cover - every constructor sets one
            raise InputError(f"{self.source}: nothing to load")
        return article if article.id == self.id else article.model_copy(update={"id": self.id})


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    timeout: float


def read_inputs(inputs: Sequence[str], limits: Limits) -> list[CorpusItem]:
    """Every item of every INPUT, in order; a bad INPUT (missing, unreadable, a JSONL line
    without text, a repeated id) is an ``InputError`` naming it."""
    items: list[CorpusItem] = []
    for source in inputs:
        items.extend(_expand(source, limits))
    _refuse_repeated_ids(items)
    return items


def _expand(source: str, limits: Limits) -> Iterator[CorpusItem]:
    if is_url(source):
        yield from _fetched(source, limits)
        return
    path = Path(source).expanduser()
    if not path.exists():
        raise InputError(f"{source} does not exist; check the path")
    if path.is_dir():
        yield from _folder(path, limits)
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from jsonl_items(path, limits)
    elif suffix in FEED_SUFFIXES:
        yield from _fetched(str(path), limits)
    else:
        urls = _url_list(path, limits)
        if urls is not None:
            yield from (_url_item(url, limits) for url in urls)
        else:
            yield CorpusItem(
                id=str(path), source=str(path), load=FileArticle(str(path), limits.max_bytes)
            )


def _folder(folder: Path, limits: Limits) -> Iterator[CorpusItem]:
    found = [
        child
        for child in sorted(folder.rglob("*"))
        if child.is_file()
        and not child.name.startswith(".")
        and child.suffix.lower() in ARTICLE_SUFFIXES
    ]
    if not found:
        raise InputError(f"folder {folder} has no .txt/.md/.html files")
    for child in found:
        yield CorpusItem(
            id=str(child), source=str(child), load=FileArticle(str(child), limits.max_bytes)
        )


def _url_list(path: Path, limits: Limits) -> list[str] | None:
    """The URLs of a file that holds only http(s) URLs (one a line, ``#`` comments), or None
    for any other file: a text article is never a list of bare URLs."""
    raw = read_file(path, limits.max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = [line.strip() for line in text.splitlines()]
    urls = [line for line in lines if line and not line.startswith("#")]
    if urls and all(is_url(url) and " " not in url for url in urls):
        return urls
    return None


def _url_item(url: str, limits: Limits) -> CorpusItem:
    return CorpusItem(
        id=url, source=url, load=UrlArticle(url, limits.max_bytes, limits.timeout), local=False
    )


def _fetched(source: str, limits: Limits) -> Iterator[CorpusItem]:
    """A feed (file or URL) or an article URL, through the digest's source expansion: the same
    rules for following entry links (http(s) only, never a path on disk)."""
    expansion = expand_sources([source], max_bytes=limits.max_bytes, timeout=limits.timeout)
    if expansion.failures and not expansion.candidates:
        raise InputError(expansion.failures[0].reason)
    for candidate in expansion.candidates:
        if candidate.feed_id is None and is_url(source):
            # An article URL: its id is the URL, as in a file of URLs.
            yield CorpusItem(
                id=source, source=source, load=candidate.load, portable=False, local=False
            )
            continue
        yield CorpusItem(
            id=candidate.link or candidate.item_id,
            source=candidate.source,
            load=candidate.load,
            portable=False,
            local=False,
        )


def jsonl_items(path: Path, limits: Limits) -> Iterator[CorpusItem]:
    """One item per line of a JSONL file of articles; a line without an ``id`` gets
    ``FILE:LINE`` (stable while the file is only appended to)."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    with stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            if len(raw) > limits.max_bytes:
                raise InputError(f"{where}: line is larger than --max-bytes ({limits.max_bytes:,})")
            record = _record(raw, where)
            item_id = record.get("id")
            if item_id is None:
                item_id = where
            elif not isinstance(item_id, str | int) or isinstance(item_id, bool):
                raise InputError(f"{where}: 'id' must be a string or a number")
            article = _article(record, where, str(item_id))
            yield CorpusItem(id=article.id or where, source=where, article=article)


def _record(raw: bytes, where: str) -> dict[str, Any]:
    try:
        record = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{where}: not a JSON object ({exc.__class__.__name__})") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: not a JSON object")
    return record


def _article(record: dict[str, Any], where: str, item_id: str) -> Article:
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: no 'text' string; each line needs the article's text")
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    fields: dict[str, str] = {}
    for field, names in _FIELDS.items():
        value = record.get(field)
        if value is None:
            value = next((meta[name] for name in names if meta.get(name) is not None), None)
        if value is not None:
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise InputError(f"{where}: '{field}' must be a string")
            fields[field] = str(value)
    return Article(text=text, id=item_id, **fields)


def _refuse_repeated_ids(items: list[CorpusItem]) -> None:
    seen: dict[str, str] = {}
    for item in items:
        if item.id in seen:
            raise InputError(
                f"id {item.id!r} is used by {seen[item.id]} and {item.source}; "
                "ids must be unique for resuming to work"
            )
        seen[item.id] = item.source
