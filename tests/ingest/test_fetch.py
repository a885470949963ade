"""Fetching URLs over a real loopback server: schemes, redirects, HTTP errors, limits, ETags."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

from briefer.errors import InputError
from briefer.ingest import load_article
from briefer.ingest.fetch import fetch_url

if TYPE_CHECKING:
    from conftest import LoopbackServer


@pytest.mark.parametrize("url", ["ftp://example.com/a.txt", "file:///etc/passwd", "http://"])
def test_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(InputError, match=r"http|host"):
        load_article(url)


def test_redirect_to_other_scheme_is_refused(http_server: LoopbackServer) -> None:
    url = http_server.add("/jump", status=302, headers={"Location": "ftp://127.0.0.1/a.txt"})
    with pytest.raises(InputError, match="not http"):
        load_article(url)


@pytest.mark.parametrize("status", [404, 500])
def test_url_http_errors(http_server: LoopbackServer, status: int) -> None:
    url = http_server.add("/gone", "nope", status=status)
    with pytest.raises(InputError, match=f"{url} returned HTTP {status}"):
        load_article(url)


def test_url_unreachable(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/story"
    with pytest.raises(InputError, match=r"cannot connect to http://127\.0\.0\.1"):
        load_article(url)


def test_url_timeout(http_server: LoopbackServer) -> None:
    # The handler answers only once the test is over, so the timeout is the only way out (a
    # server that answers late instead races the client on a busy machine).
    over = threading.Event()
    url = http_server.add("/slow", handler=lambda request: over.wait())
    try:
        with pytest.raises(InputError, match=r"did not answer within 0\.3 seconds"):
            load_article(url, timeout=0.3)
    finally:
        over.set()


def test_size_limit_while_streaming(http_server: LoopbackServer) -> None:
    url = http_server.add("/big", b"a" * 300_000, chunked=True)
    with pytest.raises(InputError, match=r"over the 100,000-byte limit.*--max-bytes"):
        fetch_url(url, max_bytes=100_000)
    assert len(fetch_url(url, max_bytes=300_000).content) == 300_000


def test_size_limit_from_content_length(http_server: LoopbackServer) -> None:
    url = http_server.add("/big", b"a" * 5000)
    with pytest.raises(InputError, match=r"is 5,000 bytes, over the 1,000-byte limit"):
        fetch_url(url, max_bytes=1000)


def test_fetch_etag_and_304(http_server: LoopbackServer) -> None:
    url = http_server.add(
        "/feed.xml",
        "<rss/>",
        content_type="application/rss+xml; charset=utf-8",
        etag='"v1"',
        headers={"Last-Modified": "Mon, 02 Jun 2025 08:00:00 GMT"},
    )
    first = fetch_url(url)
    assert (first.status, first.etag, first.not_modified) == (200, '"v1"', False)
    assert first.content_type == "application/rss+xml" and first.charset == "utf-8"
    assert first.last_modified == "Mon, 02 Jun 2025 08:00:00 GMT"
    second = fetch_url(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.status == 304 and second.content == b""
    sent = http_server.requests[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 02 Jun 2025 08:00:00 GMT"
