"""Fetching over HTTP(S): redirects, timeouts, a size limit enforced while streaming, ETags.

Every failure a user can cause (bad scheme, unreachable host, HTTP error, timeout, too large)
becomes a one-line ``InputError`` that names the URL; no httpx exception escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from briefer import __version__
from briefer.errors import InputError

DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_TIMEOUT = 20.0

_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_USER_AGENT = f"briefer/{__version__} (+https://pypi.org/project/briefer/)"
_ACCEPT = (
    "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,"
    "application/rss+xml;q=0.8,application/atom+xml;q=0.8,*/*;q=0.1"
)


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
) -> FetchResult:
    """GET ``url`` (following redirects) into memory, refusing bodies over ``max_bytes``.

    With ``etag``/``last_modified`` from an earlier fetch the request is conditional; a 304
    comes back as ``not_modified=True`` with empty content (feeds polled by the digest use it).
    """
    check_url(url)
    headers = {"User-Agent": _USER_AGENT, "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    owned = client is None
    http = client or httpx.Client(follow_redirects=True, timeout=timeout)
    try:
        with http.stream("GET", url, headers=headers, follow_redirects=True) as response:
            return _read(url, response, max_bytes)
    except httpx.TimeoutException:
        raise InputError(
            f"{url} did not answer within {timeout:g} seconds; check the URL or try again later"
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


def _read(url: str, response: httpx.Response, max_bytes: int) -> FetchResult:
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
        chunks.append(chunk)
    return FetchResult(content=b"".join(chunks), **common)  # type: ignore[arg-type]


def _reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    # "[Errno 111] Connection refused" -> "Connection refused": the number helps nobody
    return re.sub(r"^\[Errno -?\d+\]\s*", "", lines[0]) if lines else type(exc).__name__
