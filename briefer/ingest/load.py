"""Where ingest's steps meet: a source -> bytes -> refusals -> text -> Article.

Article text is untrusted data: it is never used as a path, a URL or an instruction.
"""

from __future__ import annotations

import sys
from pathlib import Path

from briefer.contract import Article
from briefer.errors import InputError
from briefer.ingest.decode import decode, meta_charset
from briefer.ingest.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, FetchResult, fetch_url, is_url
from briefer.ingest.html import article_from_html
from briefer.ingest.read import read_file, read_limited, refuse_binary, require_text
from briefer.ingest.sniff import (
    Kind,
    kind_for_path,
    kind_for_type,
    looks_like_feed,
    looks_like_html,
)
from briefer.ingest.text import article_from_text


def load_article(
    source: str, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT
) -> Article:
    """Read an article from a path, ``-`` (stdin) or an http(s) URL."""
    if source == "-":
        data = read_limited(sys.stdin.buffer, "stdin", max_bytes)
        return article_from_bytes(data, name="stdin")
    if is_url(source):
        return article_from_fetch(fetch_url(source, max_bytes=max_bytes, timeout=timeout))
    path = Path(source)
    return article_from_bytes(read_file(path, max_bytes), name=source, kind=kind_for_path(path))


def article_from_fetch(result: FetchResult) -> Article:
    """An Article from a ``fetch_url`` result (e.g. a feed entry's page)."""
    return article_from_bytes(
        result.content,
        name=result.url,
        content_type=result.content_type,
        charset=result.charset,
        url=result.url,
        lenient=True,
    )


def article_from_bytes(
    data: bytes,
    *,
    name: str,
    kind: Kind | None = None,
    content_type: str | None = None,
    charset: str | None = None,
    url: str | None = None,
    lenient: bool = False,
) -> Article:
    """Bytes -> Article: refuse binaries, decode, pick text or HTML, extract.

    ``name`` is what error messages call the input; ``lenient`` (for web pages) falls back to
    windows-1252 for undeclared, non-UTF-8 bytes as browsers do, where files get an error.
    """
    refuse_binary(data, name, content_type)
    kind = kind or kind_for_type(content_type)
    declared = charset or (meta_charset(data) if kind != "text" else None)
    text = decode(data, name=name, charset=declared, lenient=lenient)
    require_text(text, name=name)
    if kind is None:
        if looks_like_feed(text, content_type):
            raise InputError(
                f"{name} is an RSS/Atom feed, not an article; brief its entries with "
                "'briefer digest' or pass one article's URL"
            )
        kind = "html" if looks_like_html(text) else "text"
    if kind == "html":
        return article_from_html(text, url=url, name=name)
    return article_from_text(text, url=url)
