"""What a digest run is asked to do (the request, and the delivery it names, checked) and what it
reports back; also how a run ends early (``RunAborted``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from briefer.config import DEFAULT_MAX_ENTRIES, SmtpSettings
from briefer.deliver.mail import parse_address
from briefer.errors import BrieferError, ConfigError
from briefer.ingest.fetch import DEFAULT_MAX_BYTES

Mode = Literal["send", "eml", "output", "stdout"]


class RunAborted(BrieferError):
    """A stop was requested mid-run; everything recorded so far is kept, nothing was sent."""

    exit_code = 130


@dataclass
class DigestRequest:
    """A run as the command line (or a caller) gives it; ``delivery_for`` checks the mode's
    fields and turns them into a ``Delivery``."""

    sources: list[str]
    since: timedelta | None
    subject: str
    engine: str = "auto"
    engine_options: dict[str, Any] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 20.0
    resend: bool = False
    mode: Mode = "stdout"
    output: Path | None = None
    recipients: list[str] = field(default_factory=list)
    sender: str | None = None
    smtp: SmtpSettings | None = None
    mark_sent: bool = False
    templates_dir: Path | None = None
    # Articles briefed at once (model engines; the rules engine runs one at a time anyway).
    concurrency: int = 4
    max_entries: int = DEFAULT_MAX_ENTRIES


@dataclass(frozen=True)
class SendMail:
    """``send``: by SMTP; items are reserved in a pending digest before sending."""

    smtp: SmtpSettings
    sender: str
    recipients: list[str]


@dataclass(frozen=True)
class WriteEml:
    """``eml``: the message written to a file; items marked sent only with ``mark_sent``."""

    path: Path
    sender: str
    recipients: list[str]
    mark_sent: bool


@dataclass(frozen=True)
class WriteFile:
    """``output``: the HTML (or, for a .txt file, the text) written to a file."""

    path: Path
    mark_sent: bool


@dataclass(frozen=True)
class PrintText:
    """``stdout``: the text digest printed; nothing is marked."""


Delivery = SendMail | WriteEml | WriteFile | PrintText


def delivery_for(request: DigestRequest) -> Delivery:
    """The request's delivery with everything it needs, checked before any fetching or
    briefing (which can take a while)."""
    delivery = _delivery(request)
    if not request.sources:
        raise BrieferError(
            "no sources: pass SOURCE arguments or set digest.feeds in the config file"
        )
    return delivery


def _delivery(request: DigestRequest) -> Delivery:
    if request.mode == "send":
        if request.smtp is None or not request.smtp.host:
            raise ConfigError(
                "--send needs an SMTP server: set smtp.host in the config file or BRIEFER_SMTP_HOST"
            )
        sender, recipients = _addresses(request)
        return SendMail(smtp=request.smtp, sender=sender, recipients=recipients)
    if request.mode == "eml":
        sender, recipients = _addresses(request)
        return WriteEml(_output(request), sender, recipients, mark_sent=request.mark_sent)
    if request.mode == "output":
        return WriteFile(_output(request), mark_sent=request.mark_sent)
    return PrintText()


def _addresses(request: DigestRequest) -> tuple[str, list[str]]:
    if not request.sender:
        raise ConfigError("the digest needs a sender address: set smtp.sender or BRIEFER_SMTP_FROM")
    if not request.recipients:
        raise ConfigError("the digest has no recipients: pass --to ADDR or set digest.to")
    parse_address(request.sender, what="sender")
    for address in request.recipients:
        parse_address(address, what="recipient")
    return request.sender, list(request.recipients)


def _output(request: DigestRequest) -> Path:
    if request.output is None:
        raise BrieferError("no output file given")
    return request.output


@dataclass
class RunReport:
    articles: int = 0
    failures: int = 0
    resent_pending: list[str] = field(default_factory=list)
    pending_left: int = 0
    message_id: str | None = None
    delivered: bool = False
    html_bytes: int = 0
    detailed_articles: int = 0
    warnings: list[str] = field(default_factory=list)
    # Failures when no digest was made (otherwise they are in its appendix).
    problems: list[str] = field(default_factory=list)
    # Why there was nothing (or this little) to send: items of the sources read this run.
    seen: int = 0
    already_sent: int = 0
    outside: int = 0
    over_cap: int = 0
    unchanged_feeds: int = 0

    def summary(self, request: DigestRequest) -> str:
        parts = []
        if self.resent_pending:
            parts.append(f"re-sent {len(self.resent_pending)} unconfirmed digest(s)")
        if self.articles == 0:
            parts.append(f"nothing new to send ({self._why(request)})")
        elif request.mode == "send":
            parts.append(
                f"sent a digest of {self.articles} article(s) to "
                f"{', '.join(request.recipients)} ({self.message_id})"
            )
        elif request.mode in ("eml", "output"):
            marked = "; items marked sent" if request.mark_sent else ""
            parts.append(
                f"wrote a digest of {self.articles} article(s) to {request.output}{marked}"
            )
        else:
            parts.append(f"digest of {self.articles} article(s)")
        if self.articles and self.outside:
            parts.append(f"{self.outside} item(s) published before {since_label(request.since)}")
        if self.failures and self.articles:
            parts.append(f"{self.failures} failure(s) listed in the appendix")
        elif self.failures:
            parts.append(f"{self.failures} failure(s), see above")
        if self.pending_left:
            parts.append(f"{self.pending_left} unconfirmed digest(s) wait for the next --send")
        return "; ".join(parts)

    def _why(self, request: DigestRequest) -> str:
        counts = [f"{self.seen} item(s) seen"]
        if self.already_sent:
            counts.append(f"{self.already_sent} already sent")
        if self.outside:
            counts.append(
                f"{self.outside} published before {since_label(request.since)} "
                "(a wider --since, e.g. --since all, brings them in)"
            )
        if self.over_cap:
            counts.append(f"{self.over_cap} left out by --max-entries")
        if self.unchanged_feeds:
            counts.append(f"{self.unchanged_feeds} feed(s) unchanged since the last run")
        return ", ".join(counts)


def since_label(since: timedelta | None) -> str:
    """``--since 24h`` as the reader gave it (whole weeks, days, hours or minutes)."""
    if since is None:
        return "the window"
    seconds = int(since.total_seconds())
    # 24h reads as "24h", not "1d": days only from two on.
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds % size == 0 and (unit != "d" or seconds >= 2 * size):
            return f"the --since {seconds // size}{unit} window"
    return "the --since window"


def parse_since(value: str | None) -> timedelta | None:
    """``24h``, ``90m``, ``2d``, ``1w``, ``30s``; ``0``/``all``/empty means no window."""
    if value is None:
        return None
    text = value.strip().lower()
    if text in ("", "0", "all", "none"):
        return None
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    number, unit = text[:-1], text[-1]
    if unit.isdigit():
        number, unit = text, "h"
    try:
        amount = float(number)
    except ValueError:
        amount = -1.0
    if unit not in units or amount <= 0:
        raise BrieferError(
            f"--since {value!r} is not a duration; use e.g. 24h, 90m, 2d or 1w (or 'all')"
        )
    return timedelta(seconds=amount * units[unit])
