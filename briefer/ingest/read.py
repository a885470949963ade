"""Bounded reads of files and stdin, and the refusals that come before decoding."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import BinaryIO

from briefer.errors import InputError
from briefer.ingest.decode import BOMS
from briefer.ingest.fetch import too_large, too_large_streaming

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
            return read_limited(stream, name, max_bytes)
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


def read_limited(stream: BinaryIO, name: str, max_bytes: int) -> bytes:
    """At most ``max_bytes`` from ``stream`` (e.g. stdin); more is an InputError."""
    # One byte past the limit tells "exactly at the limit" from "over it" without reading more.
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large_streaming(name, max_bytes)
    return data


def refuse_binary(data: bytes, name: str, content_type: str | None) -> None:
    """Raise InputError for a document, image, archive or program passed as an article."""
    for magic, what, fix in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} looks like {what}, not an article; {fix}")
    if content_type and content_type.startswith(("image/", "audio/", "video/", "font/")):
        raise InputError(f"{name} is {content_type}, not an article; pass a text or HTML page")
    if content_type == "application/pdf":
        raise InputError(f"{name} is a PDF document, not an article; extract its text first")
    if any(data.startswith(bom) for bom, _ in BOMS):
        return  # UTF-16/32 text legitimately contains NUL bytes
    if b"\x00" in data[:65536]:
        raise InputError(
            f"{name} is a binary file (it contains NUL bytes), not text or HTML; "
            "pass the article as .txt, .md or .html (UTF-16 text needs a byte-order mark)"
        )


def require_text(text: str, *, name: str) -> None:
    """The one check for empty input, shared by the CLI and ``briefer.brief()``."""
    if not text.strip():
        what = "empty" if not text else "only whitespace"
        raise InputError(f"{name} is {what}; there is no article text to brief")
