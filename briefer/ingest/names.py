"""File-name stems for briefings written to a folder, one per article source."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefer.ingest.fetch import is_url
from briefer.ingest.meta import host_outlet

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}
_MAX_STEM = 80


def output_stem(source: str) -> str:
    """A safe file-name stem for ``source``'s briefing (``-o FOLDER`` with several articles)."""
    if source == "-":
        return "stdin"
    if is_url(source):
        parts = urlsplit(source)
        pieces = [host_outlet(source) or "url"]
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


def _slug(value: str) -> str:
    stem = _UNSAFE.sub("-", value).strip("-.")
    stem = re.sub(r"-{2,}", "-", stem)
    if len(stem) > _MAX_STEM:
        stem = stem[:_MAX_STEM].rstrip("-.")
    return stem
