"""Ingest: a path, ``-`` (stdin) or an http(s) URL in, an ``Article`` out (see ``load``)."""

from __future__ import annotations

from briefer.ingest.decode import decode
from briefer.ingest.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, FetchResult, fetch_url, is_url
from briefer.ingest.html import article_from_html
from briefer.ingest.load import article_from_bytes, article_from_fetch, load_article
from briefer.ingest.meta import clean_text, host_outlet
from briefer.ingest.names import output_stem, unique_stems
from briefer.ingest.read import read_file, require_text
from briefer.ingest.sniff import (
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    Kind,
    kind_for_path,
    looks_like_feed,
    looks_like_html,
)
from briefer.ingest.text import article_from_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "HTML_SUFFIXES",
    "TEXT_SUFFIXES",
    "FetchResult",
    "Kind",
    "article_from_bytes",
    "article_from_fetch",
    "article_from_html",
    "article_from_text",
    "clean_text",
    "decode",
    "fetch_url",
    "host_outlet",
    "is_url",
    "kind_for_path",
    "load_article",
    "looks_like_feed",
    "looks_like_html",
    "output_stem",
    "read_file",
    "require_text",
    "unique_stems",
]
