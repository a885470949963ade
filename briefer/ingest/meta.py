"""Metadata values as briefings show them: whitespace-collapsed text, outlets named by host."""

from __future__ import annotations

from urllib.parse import urlsplit


def clean_text(value: object) -> str | None:
    """``value`` with every whitespace run as one space, stripped; None if empty or not a str."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def host_outlet(url: str) -> str | None:
    """The URL's host, lower-cased, without a leading ``www.``; None when it has none.

    Any scheme is accepted; a URL that does not parse (e.g. a bad IPv6 literal) has no host.
    """
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.") or None
