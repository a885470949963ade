"""Ingest: a path, ``-`` (stdin) or an http(s) URL -> ``Article``.

What ends up in ``Article.text`` (the string every offset points into):

* plain text / Markdown: the file as written, newlines normalised to ``\\n``, minus an outlet
  trailer on the last line (``Source » Outlet``, ``Source: Outlet``, ``— Outlet``), which becomes
  ``Article.outlet``. A first-line headline becomes ``Article.title`` and *stays* in the text:
  headlines carry framing too, and leaving it in keeps every offset equal to the file's.
* HTML: the main content as extracted by trafilatura (no navigation, footers, comments, tables or
  scripts), one block per paragraph/heading separated by a blank line, starting with the
  headline (prepended when the extractor left it out, so text and HTML articles look alike).

Article text is untrusted data: it is never used as a path, a URL or an instruction.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal
from urllib.parse import unquote, urlsplit

from briefer.contract import Article
from briefer.errors import InputError
from briefer.ingest.fetch import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    FetchResult,
    fetch_url,
    is_url,
    too_large,
    too_large_streaming,
)

if TYPE_CHECKING:
    # Only for hints: lxml comes in with trafilatura, which only HTML inputs import.
    from lxml.etree import _Element

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FetchResult",
    "article_from_bytes",
    "article_from_fetch",
    "article_from_html",
    "article_from_text",
    "fetch_url",
    "load_article",
    "output_stem",
    "unique_stems",
]

Kind = Literal["text", "html"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}

# Leading bytes of formats people pass by mistake; checked before any decoding.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", "extract its text first (e.g. pdftotext) and pass the .txt"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.epub/.odt)", "save the article as .txt or .html"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file", "save the article as .txt or .html"),
    (b"{\\rtf", "an RTF document", "save the article as .txt"),
    (b"\x89PNG", "a PNG image", "pass the article's text or HTML"),
    (b"\xff\xd8\xff", "a JPEG image", "pass the article's text or HTML"),
    (b"GIF8", "a GIF image", "pass the article's text or HTML"),
    (b"\x1f\x8b", "a gzip archive", "decompress it first"),
    (b"BZh", "a bzip2 archive", "decompress it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive", "extract it first"),
    (b"Rar!", "a RAR archive", "extract it first"),
    (b"\x7fELF", "a program", "pass the article's text or HTML"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

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
# A charset declared in the first bytes of an HTML page (HTML's "prescan", simplified).
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)

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
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}
_MAX_STEM = 80


# ---- public API --------------------------------------------------------------------------------


def load_article(
    source: str, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT
) -> Article:
    """Read an article from a path, ``-`` (stdin) or an http(s) URL."""
    if source == "-":
        data = _read_limited(sys.stdin.buffer, "stdin", max_bytes)
        return article_from_bytes(data, name="stdin")
    if is_url(source):
        return article_from_fetch(fetch_url(source, max_bytes=max_bytes, timeout=timeout))
    path = Path(source)
    return article_from_bytes(read_file(path, max_bytes), name=source, kind=kind_for_path(path))


def kind_for_path(path: Path) -> Kind | None:
    """What a file's extension says it is; None means sniff the content."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    return "html" if suffix in HTML_SUFFIXES else None


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
    _refuse_binary(data, name, content_type)
    if kind is None and content_type in _HTML_TYPES:
        kind = "html"
    elif kind is None and content_type in _TEXT_TYPES:
        kind = "text"
    meta_charset = _meta_charset(data) if kind != "text" else None
    text = decode(data, name=name, charset=charset or meta_charset, lenient=lenient)
    require_text(text, name=name)
    if kind is None:
        if _FEED_START.match(text[:4096]) or content_type in _FEED_TYPES:
            raise InputError(
                f"{name} is an RSS/Atom feed, not an article; brief its entries with "
                "'briefer digest' or pass one article's URL"
            )
        kind = "html" if _HTML_START.match(text[:4096]) else "text"
    if kind == "html":
        return article_from_html(text, url=url, name=name)
    return article_from_text(text, url=url)


def require_text(text: str, *, name: str) -> None:
    """The one check for empty input, shared by the CLI and ``briefer.brief()``."""
    if not text.strip():
        what = "empty" if not text else "only whitespace"
        raise InputError(f"{name} is {what}; there is no article text to brief")


def decode(data: bytes, *, name: str, charset: str | None = None, lenient: bool = False) -> str:
    """Bytes -> str: a BOM wins, then a declared charset, then strict UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom) :], encoding, name)
    declared = _known_codec(charset)
    if declared:
        return _decode_strict(data, declared, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if lenient:
            return data.decode("windows-1252", errors="replace")
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            f"{name} is not valid UTF-8 (byte 0x{bad} at offset {exc.start:,}); convert it to "
            f"UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8"
        ) from None


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
    title = _clean(document.title)
    if title and _squash(title) not in _squash(blocks[0]):
        blocks.insert(0, title)
    page_url = url or _clean(document.url)
    outlet = _clean(document.sitename) or (_host(page_url) if page_url else None)
    return Article(
        text="\n\n".join(blocks),
        title=title,
        outlet=outlet,
        url=page_url,
        author=_clean(document.author),
        published=_clean(document.date),
    )


def output_stem(source: str) -> str:
    """A safe file-name stem for ``source``'s briefing (``-o FOLDER`` with several articles)."""
    if source == "-":
        return "stdin"
    if is_url(source):
        parts = urlsplit(source)
        pieces = [_host(source) or "url"]
        path = [unquote(p) for p in parts.path.split("/") if p]
        if path:
            path[-1] = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", path[-1], flags=re.I)
        pieces += path
        if parts.query:
            pieces.append(unquote(parts.query))
        stem = _slug("-".join(pieces)).lower()
    else:
        stem = _slug(Path(source).stem)
    if not stem:
        stem = "article"
    if stem.lower().split(".")[0] in _WINDOWS_RESERVED:
        stem += "-article"
    return stem


def unique_stems(sources: list[str]) -> list[str]:
    """``output_stem`` for each source, made unique (ignoring case) with ``-2``, ``-3``..."""
    taken: set[str] = set()
    stems: list[str] = []
    for source in sources:
        base = output_stem(source)
        stem, counter = base, 1
        while stem.casefold() in taken:
            counter += 1
            stem = f"{base}-{counter}"
        taken.add(stem.casefold())
        stems.append(stem)
    return stems


# ---- reading -----------------------------------------------------------------------------------


def read_file(path: Path, max_bytes: int) -> bytes:
    """A file's bytes under the size limit; every problem is a one-line InputError."""
    name = str(path)
    try:
        if path.is_dir():
            raise InputError(
                f"{name} is a folder, not a file; pass the article files in it "
                f"(e.g. {os.path.join(name, '*.txt')})"
            )
        size = path.stat().st_size
        if path.is_file() and size > max_bytes:
            raise too_large(name, size, max_bytes)
        with path.open("rb") as stream:
            return _read_limited(stream, name, max_bytes)
    except FileNotFoundError:
        hint = ""
        if re.match(r"^(?:www\.|[\w-]+\.[a-z]{2,}/)", name):
            hint = f"; for a web page use its full URL (https://{name})"
        raise InputError(f"{name} does not exist; check the path{hint}") from None
    except PermissionError:
        raise InputError(f"cannot read {name}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a folder, not a file; pass the article files in it") from None
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None


def _read_limited(stream: BinaryIO, name: str, max_bytes: int) -> bytes:
    # One byte past the limit tells "exactly at the limit" from "over it" without reading more.
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large_streaming(name, max_bytes)
    return data


def _refuse_binary(data: bytes, name: str, content_type: str | None) -> None:
    for magic, what, fix in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} looks like {what}, not an article; {fix}")
    if content_type and content_type.startswith(("image/", "audio/", "video/", "font/")):
        raise InputError(f"{name} is {content_type}, not an article; pass a text or HTML page")
    if content_type == "application/pdf":
        raise InputError(f"{name} is a PDF document, not an article; extract its text first")
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return  # UTF-16/32 text legitimately contains NUL bytes
    if b"\x00" in data[:65536]:
        raise InputError(
            f"{name} is a binary file (it contains NUL bytes), not text or HTML; "
            "pass the article as .txt, .md or .html (UTF-16 text needs a byte-order mark)"
        )


def _meta_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:4096])
    if not found:
        return None
    charset = found.group(1).decode("ascii", "replace").lower()
    # A page that says UTF-16 in ASCII-compatible bytes is lying; HTML treats it as UTF-8.
    return "utf-8" if charset.startswith(("utf-16", "utf-32")) else charset


def _known_codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def _decode_strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not valid {encoding} (bad bytes at offset {exc.start:,}); convert it "
            "to UTF-8, e.g. with iconv"
        ) from None


# ---- plain text --------------------------------------------------------------------------------


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
        url, outlet = outlet, _host(outlet) or outlet
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
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(line, fmt).date().isoformat()
        except ValueError:
            continue
    return None


# ---- HTML --------------------------------------------------------------------------------------


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


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None


def _squash(value: str) -> str:
    return " ".join(value.split()).casefold()


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _slug(value: str) -> str:
    stem = _UNSAFE.sub("-", value).strip("-.")
    stem = re.sub(r"-{2,}", "-", stem)
    if len(stem) > _MAX_STEM:
        stem = stem[:_MAX_STEM].rstrip("-.")
    return stem
