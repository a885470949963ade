"""Fetching over HTTP(S): redirects, timeouts, a size limit enforced while streaming, ETags.

Every failure a user can cause (bad scheme, unreachable host, HTTP error, timeout, too large)
becomes a one-line ``InputError`` that names the URL; no httpx exception escapes.

``timeout`` bounds the whole fetch (connection, redirects, headers and the whole body), not
each socket operation: httpx's own timeouts restart at every read, so a server that trickles a
byte at a time would otherwise hold a fetch open for as long as it likes.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from briefer._version import __version__
from briefer.config import DEFAULT_MAX_BYTES
from briefer.errors import InputError

DEFAULT_TIMEOUT = 20.0

_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_USER_AGENT = f"briefer/{__version__} (+https://pypi.org/project/briefer/)"
_ACCEPT = (
    "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,"
    "application/rss+xml;q=0.8,application/atom+xml;q=0.8,*/*;q=0.1"
)


Clock = Callable[[], float]


class Deadline:
    """The time left of one fetch's budget, read from an injectable monotonic clock."""

    def __init__(self, seconds: float, clock: Clock = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - self._clock())

    @property
    def expired(self) -> bool:
        return self._clock() >= self._end


class _Expired(Exception):
    """The deadline passed between two steps of a fetch (raised from our own hooks)."""


class _Watchdog:
    """Shuts down the fetch's sockets when the deadline passes.

    A read blocked on a server that never answers, or on one that sends a header byte every
    second, only returns when its socket is shut down; the deadline checks between steps cannot
    reach it. The sockets come from httpcore's ``trace`` extension, as each one is connected.
    """

    def __init__(self, deadline: Deadline) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(deadline.remaining(), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        # A shutdown under way finishes before the client closes these sockets and the system
        # can hand their numbers to new ones.
        self._timer.join()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:  # connected after the deadline: do not let it start talking
            _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


def hop_limits(deadline: Deadline) -> Callable[[httpx.Request], None]:
    """An httpx request hook: each redirect hop's connect and read timeouts are what is left."""

    def start_hop(request: httpx.Request) -> None:
        if deadline.expired:
            raise _Expired
        request.extensions["timeout"] = httpx.Timeout(deadline.remaining()).as_dict()

    return start_hop


def _shutdown(sock: socket.socket) -> None:
    # OSError: already closed, because the fetch finished just as the deadline passed.
    with contextlib.suppress(OSError):
        # The base-class method on the raw descriptor: SSLSocket.shutdown would also drop the
        # TLS state that the fetching thread is still reading through.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


@dataclass(frozen=True)
class FetchResult:
    """One HTTP response, read into memory; ``url`` is the final URL after redirects."""

    url: str
    status: int
    content: bytes
    content_type: str | None
    charset: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool = False


def is_url(source: str) -> bool:
    """True for anything shaped like ``scheme://...`` (whether or not briefer supports it)."""
    return bool(_URL_LIKE.match(source))


def check_url(url: str) -> None:
    """Refuse anything but an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InputError(f"{url} is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        hint = "; for a local file pass its path" if scheme == "file" else ""
        raise InputError(f"cannot fetch {url}: only http:// and https:// URLs are supported{hint}")
    if not parts.hostname:
        raise InputError(f"{url} has no host name; check the URL")


def too_large(name: str, size: int, limit: int) -> InputError:
    return InputError(
        f"{name} is {size:,} bytes, over the {limit:,}-byte limit; raise it with --max-bytes"
    )


def too_large_streaming(name: str, limit: int) -> InputError:
    return InputError(
        f"{name} is over the {limit:,}-byte limit (stopped reading there); "
        "raise it with --max-bytes"
    )


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """``text/html; charset=ISO-8859-1`` -> (``text/html``, ``iso-8859-1``)."""
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def fetch_url(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    etag: str | None = None,
    last_modified: str | None = None,
    client: httpx.Client | None = None,
    clock: Clock = time.monotonic,
) -> FetchResult:
    """GET ``url`` (following redirects) into memory, refusing bodies over ``max_bytes``.

    ``timeout`` seconds (measured on ``clock``) bound the whole fetch, redirects and body
    included. With ``etag``/``last_modified`` from an earlier fetch the request is conditional;
    a 304 comes back as ``not_modified=True`` with empty content (feeds polled by the digest
    use it). A caller's ``client`` gets the same overall bound, but its own per-hop timeouts.
    """
    check_url(url)
    deadline = Deadline(timeout, clock)
    headers = {"User-Agent": _USER_AGENT, "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    owned = client is None
    http = client or httpx.Client(
        follow_redirects=True, timeout=timeout, event_hooks={"request": [hop_limits(deadline)]}
    )
    try:
        with _Watchdog(deadline) as watchdog:
            try:
                with http.stream(
                    "GET",
                    url,
                    headers=headers,
                    follow_redirects=True,
                    timeout=deadline.remaining(),
                    extensions={"trace": watchdog.trace},
                ) as response:
                    result = _read(url, response, max_bytes, deadline)
            except (_Expired, httpx.HTTPError):
                if watchdog.fired or deadline.expired:
                    raise _Expired from None
                raise
            # A body that ends with the connection can look complete when the watchdog cut it.
            if watchdog.fired:
                raise _Expired
            return result
    except (_Expired, httpx.TimeoutException):
        raise InputError(
            f"{url} did not answer within {timeout:g} seconds; check the URL, try again later "
            "or raise --timeout"
        ) from None
    except httpx.ConnectError as exc:
        raise InputError(
            f"cannot connect to {url} ({_reason(exc)}); check the URL and your network"
        ) from None
    except httpx.TooManyRedirects:
        raise InputError(f"{url} redirects too many times; check the URL") from None
    except httpx.UnsupportedProtocol:
        raise InputError(
            f"{url} redirects to an address that is not http(s); briefer will not follow it"
        ) from None
    except (httpx.InvalidURL, ValueError) as exc:
        raise InputError(f"{url} is not a valid URL ({_reason(exc)})") from None
    except httpx.HTTPError as exc:
        raise InputError(f"cannot fetch {url}: {_reason(exc)}") from None
    finally:
        if owned:
            http.close()


def _read(url: str, response: httpx.Response, max_bytes: int, deadline: Deadline) -> FetchResult:
    media, charset = parse_content_type(response.headers.get("content-type"))
    common = {
        "url": str(response.url),
        "status": response.status_code,
        "content_type": media,
        "charset": charset,
        "etag": response.headers.get("etag"),
        "last_modified": response.headers.get("last-modified"),
    }
    if response.status_code == 304:
        return FetchResult(content=b"", not_modified=True, **common)  # type: ignore[arg-type]
    if response.status_code >= 400:
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        raise InputError(
            f"{url} returned HTTP {response.status_code}{reason}; check the URL"
            + (" or try again later" if response.status_code >= 500 else "")
        )
    declared = response.headers.get("content-length", "")
    # Refuse early when the server says it is too big; the decoded body of a compressed
    # response can still grow past Content-Length, so the limit is checked while streaming too.
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large(url, int(declared), max_bytes)
    chunks: list[bytes] = []
    received = 0
    for chunk in response.iter_bytes():
        received += len(chunk)
        if received > max_bytes:
            raise too_large_streaming(url, max_bytes)
        if deadline.expired:
            raise _Expired
        chunks.append(chunk)
    return FetchResult(content=b"".join(chunks), **common)  # type: ignore[arg-type]


def _reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    # "[Errno 111] Connection refused" -> "Connection refused": the number helps nobody
    return re.sub(r"^\[Errno -?\d+\]\s*", "", lines[0]) if lines else type(exc).__name__
