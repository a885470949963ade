"""Bytes to text: a byte-order mark wins, then a declared charset, then strict UTF-8."""

from __future__ import annotations

import codecs
import re

from briefer.errors import InputError

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A charset declared in the first bytes of an HTML page (HTML's "prescan", simplified).
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)


def decode(data: bytes, *, name: str, charset: str | None = None, lenient: bool = False) -> str:
    """Bytes -> str: a BOM wins, then a declared charset, then strict UTF-8.

    ``lenient`` (for web pages) reads undeclared non-UTF-8 bytes as windows-1252, as browsers
    do; files get an error that says how to convert them instead.
    """
    for bom, encoding in BOMS:
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


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its start, if any."""
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
