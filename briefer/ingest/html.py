"""HTML -> Article through trafilatura: the main text as blocks, plus the page's metadata.

``Article.text`` is the main content (no navigation, footers, comments, tables or scripts),
one block per paragraph/heading separated by a blank line, starting with the headline
(prepended when the extractor left it out, so text and HTML articles look alike).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from briefer.contract import Article
from briefer.errors import InputError
from briefer.ingest.meta import clean_text, host_outlet

if TYPE_CHECKING:
    # Only for hints: lxml comes in with trafilatura, which only HTML inputs import.
    from lxml.etree import _Element


def article_from_html(html: str, *, url: str | None = None, name: str | None = None) -> Article:
    """HTML -> Article through trafilatura: main text plus title, author, date, site name."""
    import trafilatura  # slow to import; only HTML inputs pay for it

    options = {
        "url": url,
        "with_metadata": True,
        "include_comments": False,
        "include_tables": False,
        "include_images": False,
        "include_links": False,
        "include_formatting": False,
        # No guessing a date from the body: a briefing must not invent a publication date.
        "date_extraction_params": {"extensive_search": False, "original_date": True},
    }
    document = trafilatura.bare_extraction(html, **options)
    if document is None or document.body is None or not _blocks(document.body):
        document = trafilatura.bare_extraction(html, favor_recall=True, **options)
    blocks = _blocks(document.body) if document is not None and document.body is not None else []
    if not blocks:
        raise InputError(
            f"no article text found in {name or url or 'the HTML'}; "
            "pass the article page itself (or its text as .txt)"
        )
    title = clean_text(document.title)
    if title and _squash(title) not in _squash(blocks[0]):
        blocks.insert(0, title)
    page_url = url or clean_text(document.url)
    outlet = clean_text(document.sitename) or (host_outlet(page_url) if page_url else None)
    return Article(
        text="\n\n".join(blocks),
        title=title,
        outlet=outlet,
        url=page_url,
        author=clean_text(document.author),
        published=clean_text(document.date),
    )


def _blocks(body: _Element) -> list[str]:
    """trafilatura's element tree -> one string per paragraph, heading, list or quote."""
    blocks: list[str] = []
    for element in body:
        if element.tag == "list":
            items = [_inline(item).strip() for item in element.iter("item")]
            text = "\n".join(item for item in items if item)
        else:
            text = _inline(element).strip()
        if text:
            blocks.append(text)
    return blocks


def _inline(element: _Element) -> str:
    """An element's text with its children's, ``<lb>`` as a newline."""
    parts: list[str] = []

    def walk(node: _Element) -> None:
        if node.tag == "lb":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(parts)).replace("\r", "")


def _squash(value: str) -> str:
    return " ".join(value.split()).casefold()
