"""What an input is (text, HTML or a feed) from its file name, media type or first characters."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Literal

Kind = Literal["text", "html"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Media types that say "feed" on their own; generic XML types are sniffed like any document.
FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+xml",
}
# How much of a document's start the patterns look at.
_HEAD = 4096

# Comments are atomic groups: a lazy ".*?" inside a repeated group backtracks exponentially on
# pages that open with many comments (22 took seconds).
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?>(?><!--.*?-->)\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_FEED_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?>(?><!--.*?-->)\s*|<\?[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b",
    re.IGNORECASE | re.DOTALL,
)


def kind_for_path(path: Path) -> Kind | None:
    """What a file's extension says it is; None means sniff the content."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    return "html" if suffix in HTML_SUFFIXES else None


def kind_for_type(content_type: str | None) -> Kind | None:
    """What a media type (without parameters) says it is; None means sniff the content."""
    if content_type in HTML_TYPES:
        return "html"
    return "text" if content_type in TEXT_TYPES else None


def looks_like_feed(head: str | bytes, content_type: str | None = None) -> bool:
    """An RSS/Atom/RDF feed: by media type, or a ``<rss``/``<feed``/``<rdf:RDF`` root element.

    ``head`` is the document's start, decoded or as bytes; bytes are read as Latin-1 after a
    UTF-8 BOM, so any ASCII-compatible encoding sniffs alike. The root may follow an XML
    declaration, comments and processing instructions.
    """
    if content_type in FEED_TYPES:
        return True
    if isinstance(head, bytes):
        head = head[:_HEAD].removeprefix(codecs.BOM_UTF8).decode("latin-1")
    return _FEED_START.match(head[:_HEAD]) is not None


def looks_like_html(head: str) -> bool:
    """An HTML page: a doctype or an html/head/body/meta/title tag first (comments aside)."""
    return _HTML_START.match(head[:_HEAD]) is not None
