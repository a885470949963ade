"""Plain text and Markdown -> Article: headline, byline, date line and outlet trailer.

What ends up in ``Article.text`` is the file as written, newlines normalised to ``\\n``, minus
an outlet trailer on the last line (``Source » Outlet``, ``Source: Outlet``, ``— Outlet``),
which becomes ``Article.outlet``. A first-line headline becomes ``Article.title`` and *stays*
in the text: headlines carry framing too, and leaving it in keeps every offset equal to the
file's.
"""

from __future__ import annotations

import re
from datetime import datetime

from briefer.contract import Article
from briefer.ingest.fetch import is_url
from briefer.ingest.meta import host_outlet

_MD_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_SETEXT_RULE = re.compile(r"^=+\s*$")
_BYLINE = re.compile(r"^[*_]*by\s+(?P<author>[^*_\n]{2,100}?)[*_]*\s*$", re.IGNORECASE)
_TRAILER = re.compile(
    r"""^\s*(?:
        (?:sources?|via|published\s+by|originally\s+published\s+(?:by|in|on|at))
        \s*(?:»|>>|:|-|–|—)\s*
      | [—–]\s*
    )(?P<outlet>\S.{0,118}?)\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Lower-case words a name may contain ("Ana de la Cruz", "Jane Roe and Li Wei").
_NAME_PARTICLES = {
    "and",
    "de",
    "del",
    "der",
    "di",
    "da",
    "du",
    "la",
    "le",
    "van",
    "von",
    "bin",
    "al",
}
_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%A, %B %d, %Y")


def article_from_text(raw: str, *, url: str | None = None) -> Article:
    """Plain text or Markdown -> Article (see the module docstring for what stays in ``text``)."""
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text, outlet, trailer_url = _split_trailer(text)
    lines = text.split("\n")
    title, after = _title(lines)
    author, published = _byline(lines, after) if title else (None, None)
    return Article(
        text=text,
        title=title,
        outlet=outlet,
        url=url or trailer_url,
        author=author,
        published=published,
    )


def _split_trailer(text: str) -> tuple[str, str | None, str | None]:
    """Cut a last-line outlet trailer (``Source » X``) off the body: (body, outlet, url)."""
    body = text.rstrip()
    start = body.rfind("\n") + 1
    if start == 0:
        return text, None, None  # a one-line article has no trailer, only a body
    line = body[start:]
    found = _TRAILER.match(line)
    if not found or not body[:start].strip():
        return text, None, None
    outlet = found.group("outlet").strip()
    dash_only = not re.match(r"^\s*[^\W\d_]", line)
    if dash_only and (len(outlet.split()) > 8 or outlet[-1] in ".?!\"”'’"):
        return text, None, None  # an em-dash sentence, not a sign-off
    url = None
    if is_url(outlet):
        url, outlet = outlet, host_outlet(outlet) or outlet
    return body[:start].rstrip(), outlet, url


def _title(lines: list[str]) -> tuple[str | None, int]:
    """A first-line headline and the index of the line after it (0 when there is none)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None, 0
    line = lines[first].strip()
    rest = lines[first + 1 :]
    heading = _MD_HEADING.match(line)
    if heading:
        return heading.group("title"), first + 1
    if rest and _SETEXT_RULE.match(rest[0]):
        return line, first + 2
    following = next((r.strip() for r in rest if r.strip()), "")
    if not following or len(line) > 200 or line[-1] in ".,;:":
        return None, 0
    below = rest[0].strip().strip("*_ ")
    if below and not _author(below) and not _parse_date(below):
        return None, 0  # a wrapped first paragraph, not a headline
    return line, first + 1


def _byline(lines: list[str], after: int) -> tuple[str | None, str | None]:
    """``By Name`` and a date line among the few lines under the headline."""
    author = published = None
    for line in [line.strip() for line in lines[after : after + 6] if line.strip()][:3]:
        name = _author(line)
        if name and author is None:
            author = name
            continue
        date = _parse_date(line.strip("*_ "))
        if date and published is None:
            published = date
    return author, published


def _author(line: str) -> str | None:
    """The name in a ``By Jane Roe, Staff Writer`` line; None for prose such as ``By noon...``."""
    found = _BYLINE.match(line)
    if not found:
        return None
    name = found.group("author").split(",")[0].strip()
    words = name.split()
    if not words or len(words) > 8 or name[-1] in ".!?;:":
        return None
    if not all(word[0].isupper() or word in _NAME_PARTICLES for word in words):
        return None
    return name


def _parse_date(line: str) -> str | None:
    """An ISO date for a line that is only a date in one of ``_DATE_FORMATS``."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(line, fmt).date().isoformat()
        except ValueError:
            continue
    return None
