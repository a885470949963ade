"""Reading inputs: missing paths and folders, size limits, stdin, refusing what is no article."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from briefer.config import max_bytes_from_env
from briefer.errors import InputError
from briefer.ingest import DEFAULT_MAX_BYTES, article_from_bytes, load_article


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "is empty"),
        (b"  \n\t\n", "only whitespace"),
        (b"%PDF-1.7\n...", "looks like a PDF document"),
        (b"PK\x03\x04rest", "looks like a ZIP archive"),
        (b"\x89PNG\r\n\x1a\n", "looks like a PNG image"),
        (b"text\x00with nul", "binary file"),
        (b"caf\xe9 au lait", "not valid UTF-8 (byte 0xe9 at offset 3); convert it to UTF-8"),
    ],
)
def test_bad_bytes_are_refused(data: bytes, expected: str) -> None:
    with pytest.raises(InputError, match=re.escape(expected)):
        article_from_bytes(data, name="in.txt")


def test_missing_path_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_article(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a folder"):
        load_article(str(tmp_path))


def test_size_limit_on_files(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000)
    with pytest.raises(InputError, match=r"is 2,000 bytes, over the 1,000-byte limit.*--max-bytes"):
        load_article(str(path), max_bytes=1000)
    assert load_article(str(path), max_bytes=2000).text == "x" * 2000


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"Headline\n\nFrom a pipe.\n"))
    monkeypatch.setattr(sys, "stdin", stream)
    assert load_article("-").text == "Headline\n\nFrom a pipe.\n"


def test_max_bytes_from_env() -> None:
    assert max_bytes_from_env({}) == DEFAULT_MAX_BYTES
    assert max_bytes_from_env({"BRIEFER_MAX_BYTES": "20_000_000"}) == 20_000_000
    with pytest.raises(InputError, match="BRIEFER_MAX_BYTES"):
        max_bytes_from_env({"BRIEFER_MAX_BYTES": "lots"})
