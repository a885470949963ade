"""Metadata values: whitespace-collapsed text, and an outlet named by a URL's host."""

from __future__ import annotations

import pytest

from briefer.ingest import clean_text, host_outlet


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("  Valley\n\tPost  ", "Valley Post"),
        (" \n ", None),
        ("", None),
        (None, None),
        (42, None),  # feed libraries hand over what the document held, not always a str
    ],
)
def test_clean_text(value: object, cleaned: str | None) -> None:
    assert clean_text(value) == cleaned


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.Valley.example/mill", "valley.example"),
        ("http://news.valley.example:8080/a?b=c", "news.valley.example"),
        ("ftp://files.example/a.txt", "files.example"),  # any scheme; callers check it
        ("https://www./", None),
        ("not a url", None),
        ("http://[::1/", None),  # does not parse
    ],
)
def test_host_outlet(url: str, outlet: str | None) -> None:
    assert host_outlet(url) == outlet
