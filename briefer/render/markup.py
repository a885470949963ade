"""Template filters: article-derived text made safe for Markdown, wrapped for terminals, linked.

Article text is untrusted: in Markdown it goes through ``md_inline``/``md_quote`` so it cannot
open markup of its own, and only http(s) URLs are ever linked.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from typing import Any

from briefer.console import plain
from briefer.contract import Span

TEXT_WIDTH = 88

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# Block markers Markdown would read at the start of a line: headings and bullets need a space
# after them, ordered lists "1." or "1)" too, setext underlines fill the line. A backslash only
# escapes punctuation, so "1. x" becomes "1\. x" and "0.1.0" or "127.0.0.1" stay as they are.
_MD_HEADING_OR_BULLET = re.compile(r"^(#{1,6}|[+-])(?=\s|$)")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_MD_UNDERLINE = re.compile(r"^([=-])(?=[=-]*$)")


def md_inline(value: object) -> str:
    """Article-derived text as one line of Markdown that cannot open markup of its own."""
    text = " ".join(plain(value).split())
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_HEADING_OR_BULLET.sub(r"\\\1", text)
    text = _MD_ORDERED.sub(r"\1\\\2", text)
    return _MD_UNDERLINE.sub(r"\\\1", text)


def md_quote(value: object) -> str:
    """Text as the body of a Markdown blockquote, one quoted line per line of text."""
    lines = (md_inline(line) for line in plain(value).strip("\n").split("\n"))
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def md_url(value: object) -> str:
    """An http(s) URL as a Markdown autolink; anything else as escaped text."""
    url = plain(value).strip()
    if _is_web_url(url) and not re.search(r"[\s<>]", url):
        return f"<{url}>"
    return md_inline(url)


def wrap(value: object, width: int = TEXT_WIDTH, indent: str = "", first: str | None = None) -> str:
    """Wrap text for a terminal, line by line; ``first`` prefixes the first line."""
    first = indent if first is None else first
    out: list[str] = []
    for number, line in enumerate(plain(value).split("\n")):
        words = " ".join(line.split())
        lead = first if number == 0 else indent
        if not words:
            out.append(lead.rstrip())
            continue
        out.append(
            textwrap.fill(
                words,
                width=width,
                initial_indent=lead,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def web_url(value: object) -> str | None:
    """The URL when it is safe to link (http or https), else None."""
    url = plain(value).strip()
    return url if _is_web_url(url) else None


def _is_web_url(url: str) -> bool:
    return re.match(r"https?://[^\s/]", url, flags=re.IGNORECASE) is not None


def offsets(span: Span | None) -> str:
    """``[start–end]`` for a span, nothing for none."""
    return "" if span is None else f"[{span.start}\u2013{span.end}]"


def chain(via: Iterable[str]) -> str:
    """An attribution chain as ``A → B``."""
    return " \u2192 ".join(via)


FILTERS: dict[str, Any] = {
    "plain": plain,
    "md": md_inline,
    "md_quote": md_quote,
    "md_url": md_url,
    "wrap": wrap,
    "web_url": web_url,
    "offsets": offsets,
    "chain": chain,
}
