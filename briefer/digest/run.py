"""One digest run: collect items, brief what is new, build, render, and deliver exactly once
per item (see ``briefer.digest.state`` for the delivery protocol and its at-least-once trade-off).

Delivery modes:

- ``send``: SMTP. Items are reserved in a pending digest before sending, confirmed after.
- ``eml`` / ``output``: write the message or the HTML/text to a file. Items are *not* marked
  sent unless ``mark_sent`` is set, because a file on disk is not a delivered digest: the next
  ``--send`` still includes them. With ``mark_sent`` the file is written first (atomically)
  and then the items are recorded as sent, so a crash between the two re-writes the same items.
- ``stdout``: print the text digest; nothing is marked.
"""

from __future__ import annotations

import asyncio
import email
import logging
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Literal

from briefer.config import SmtpSettings
from briefer.console import one_line
from briefer.contract import Article, Briefing
from briefer.deliver.files import write_atomic, write_stdout
from briefer.digest.build import DigestFailure, DigestItem, build_digest
from briefer.digest.render import Rendered, render_digest
from briefer.digest.sources import (
    DEFAULT_MAX_ENTRIES,
    Candidate,
    Expansion,
    expand_sources,
    outlet_from_url,
)
from briefer.digest.state import OUTSIDE, RunLock, State, lock_path, state_error
from briefer.engines import get_engine, resolve_engine_name
from briefer.errors import BrieferError, ConfigError
from briefer.ingest.fetch import DEFAULT_MAX_BYTES
from briefer.pipeline import brief_async

log = logging.getLogger(__name__)

Mode = Literal["send", "eml", "output", "stdout"]
# Feeds' article pages fetched at once.
FETCH_WORKERS = 8
# Items loaded and briefed per step: each step's items are saved before the next is loaded, so
# an interrupted run keeps its work and memory stays bounded on a huge feed.
BATCH = 32
# Called with (items done, items to do) as new items are briefed.
Progress = Callable[[int, int], None]


class RunAborted(BrieferError):
    """A stop was requested mid-run; everything recorded so far is kept, nothing was sent."""

    exit_code = 130


@dataclass
class DigestRequest:
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


def _one_line(failure: DigestFailure) -> str:
    where = failure.item or failure.source
    # Reasons quote feed titles and links: filtered here, since they reach a terminal.
    return one_line(failure.reason if where in failure.reason else f"{where}: {failure.reason}")


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


def run_digest(
    request: DigestRequest,
    *,
    state_path: Path,
    now: datetime | None = None,
    stop: Callable[[], bool] | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """One locked run against the state at ``state_path``. The state is checked (writable,
    ``quick_check``) before anything is fetched or written."""
    _check_request(request)
    with RunLock(lock_path(state_path)), State(state_path) as state:
        state.verify()
        try:
            return _run(state, request, now or datetime.now(UTC), stop or (lambda: False), progress)
        except sqlite3.Error as exc:
            # E.g. the disk filled up mid-run: every write is a transaction, so what is
            # recorded is consistent; the message says what to fix.
            raise state_error(state_path, exc) from None


def _check_request(request: DigestRequest) -> None:
    if request.mode in ("send", "eml"):
        if request.mode == "send" and (request.smtp is None or not request.smtp.host):
            raise ConfigError(
                "--send needs an SMTP server: set smtp.host in the config file or BRIEFER_SMTP_HOST"
            )
        if not request.sender:
            raise ConfigError(
                "the digest needs a sender address: set smtp.sender or BRIEFER_SMTP_FROM"
            )
        if not request.recipients:
            raise ConfigError("the digest has no recipients: pass --to ADDR or set digest.to")
        from briefer.deliver.mail import parse_address

        # Checked before any fetching or briefing, which can take a while.
        parse_address(request.sender, what="sender")
        for address in request.recipients:
            parse_address(address, what="recipient")
    if request.mode in ("eml", "output") and request.output is None:
        raise BrieferError("no output file given")
    if not request.sources:
        raise BrieferError(
            "no sources: pass SOURCE arguments or set digest.feeds in the config file"
        )


def _run(
    state: State,
    request: DigestRequest,
    now: datetime,
    stop: Callable[[], bool],
    progress: Progress | None,
) -> RunReport:
    report = RunReport()
    if request.mode == "send":
        report.resent_pending = flush_pending(state, request.smtp)  # type: ignore[arg-type]
    else:
        report.pending_left = len(state.pending_digests())
    items, failures, warnings, window_start = collect(state, request, now, stop, report, progress)
    report.failures = len(failures)
    report.warnings = warnings
    if not items:
        report.problems = [_one_line(failure) for failure in failures]
        unreadable = {f.source for f in failures if f.item is None}
        if request.sources and unreadable >= set(request.sources):
            # Nothing could be read at all: a cron job must not report that as success.
            raise BrieferError(
                f"none of the {len(request.sources)} source(s) could be read: "
                + "; ".join(report.problems),
                exit_code=1,
            )
        return report
    digest = build_digest(
        items,
        title=request.subject,
        window_start=window_start,
        failures=failures,
        warnings=warnings,
        now=now,
    )
    rendered = render_digest(digest, templates_dir=request.templates_dir)
    report.articles = len(items)
    report.html_bytes = rendered.html_bytes
    report.detailed_articles = rendered.detailed_articles
    item_ids = [item.item_id for item in items]
    if stop():
        raise RunAborted(
            f"stopped before sending; the {len(items)} briefed item(s) are saved and the "
            "next run sends them"
        )
    if request.mode == "send":
        message = compose(request, rendered, now, len(items))
        report.message_id = str(message["Message-ID"])
        send_reserved(state, request.smtp, message, request.recipients, item_ids)  # type: ignore[arg-type]
        report.delivered = True
    elif request.mode == "eml":
        from briefer.deliver.mail import message_bytes

        message = compose(request, rendered, now, len(items))
        report.message_id = str(message["Message-ID"])
        write_atomic(request.output, message_bytes(message))  # type: ignore[arg-type]
        if request.mark_sent:
            state.record_written(
                message_id=report.message_id, mode="eml", subject=request.subject, item_ids=item_ids
            )
    elif request.mode == "output":
        target: Path = request.output  # type: ignore[assignment]
        is_text = target.suffix.lower() in (".txt", ".text")
        write_atomic(target, rendered.text if is_text else rendered.html)
        if request.mark_sent:
            state.record_written(
                message_id=make_msgid(idstring="file", domain="briefer.invalid"),
                mode="output",
                subject=request.subject,
                item_ids=item_ids,
            )
    else:
        write_stdout(rendered.text)
    return report


def compose(request: DigestRequest, rendered: Rendered, now: datetime, count: int) -> EmailMessage:
    from briefer.deliver.mail import build_message, parse_address

    sender = request.sender or ""
    domain = parse_address(sender, what="sender").domain
    subject = (
        f"{request.subject} \u2014 {now:%Y-%m-%d} ({count} article{'s' if count != 1 else ''})"
    )
    return build_message(
        subject=subject,
        sender=sender,
        to=list(request.recipients),
        text=rendered.text,
        html=rendered.html,
        message_id=make_msgid(idstring="digest", domain=domain),
        date=now,
    )


def send_reserved(
    state: State,
    smtp: SmtpSettings,
    message: EmailMessage,
    recipients: Sequence[str],
    item_ids: Sequence[str],
) -> None:
    """Reserve (pending), send, confirm. A permanent refusal releases the items; anything
    else leaves the digest pending, to be re-sent with the same Message-ID next run."""
    from briefer.deliver.mail import message_bytes
    from briefer.deliver.smtp import SmtpPermanentError, send_message

    digest_id = state.reserve_digest(
        message_id=str(message["Message-ID"]),
        mode="smtp",
        recipients=recipients,
        subject=str(message["Subject"]),
        message=message_bytes(message),
        item_ids=item_ids,
    )
    state.note_attempt(digest_id)
    try:
        send_message(message, smtp)
    except SmtpPermanentError:
        state.release_digest(digest_id)
        raise
    except BrieferError as exc:
        raise BrieferError(
            f"{exc} -- the digest is kept and will be re-sent with the same Message-ID "
            "by the next 'briefer digest --send'",
            exit_code=exc.exit_code,
        ) from None
    state.confirm_digest(digest_id)


def flush_pending(state: State, smtp: SmtpSettings) -> list[str]:
    """Re-send digests recorded as pending by an interrupted run, byte for byte."""
    from briefer.deliver.smtp import SmtpPermanentError, send_message

    resent = []
    for record in state.pending_digests():
        if record.mode != "smtp" or record.message is None:
            continue
        parsed = email.message_from_bytes(record.message, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        log.info("re-sending unconfirmed digest %s", record.message_id)
        state.note_attempt(record.digest_id)
        try:
            send_message(parsed, smtp)
        except SmtpPermanentError:
            state.release_digest(record.digest_id)
            raise
        state.confirm_digest(record.digest_id)
        resent.append(record.message_id)
    return resent


def collect(
    state: State,
    request: DigestRequest,
    now: datetime,
    stop: Callable[[], bool],
    report: RunReport | None = None,
    progress: Progress | None = None,
) -> tuple[list[DigestItem], list[DigestFailure], list[str], datetime | None]:
    """Expand sources, brief new items (reusing stored briefings), and return the unsent
    items of these sources within the window."""
    report = report if report is not None else RunReport()
    engine_name = resolve_engine_name(request.engine, **request.engine_options)
    cutoff = now - request.since if request.since is not None else None

    def validators(feed_id: str) -> tuple[str | None, str | None] | None:
        known = state.feed_validators(feed_id)
        if known is None or state.has_entries_within(feed_id, cutoff):
            # Entries an earlier, narrower window left out now count: a 304 would hide them.
            return None
        return known.etag, known.last_modified

    expansion = expand_sources(
        request.sources,
        max_bytes=request.max_bytes,
        timeout=request.timeout,
        validators=validators,
        since=cutoff,
        max_entries=request.max_entries,
    )
    state.record_outside(
        [(c.item_id, c.feed_id, c.source, c.link, c.title, c.published) for c in expansion.outside]  # type: ignore[misc]
    )
    failures = [
        DigestFailure(source=f.source, item=f.item, reason=f.reason) for f in expansion.failures
    ]
    ids = [c.item_id for c in expansion.candidates]
    done = state.processed_item_ids(ids, engine_name, since=cutoff)
    todo = [c for c in expansion.candidates if c.item_id not in done]
    worker = _Worker(state, request, engine_name, cutoff, stop, progress)
    worker.run(todo)
    failures.extend(worker.failures)
    failed_ids = worker.failed_ids
    # Validators are saved only once every entry of the feed is recorded: a crash before this
    # point re-reads the whole feed next time rather than missing entries behind a 304.
    for status in expansion.feeds:
        if any(c.item_id in failed_ids for c in status.candidates):
            continue
        state.save_feed(
            status.feed.feed_id,
            source=status.feed.source,
            title=status.feed.title,
            etag=status.feed.etag,
            last_modified=status.feed.last_modified,
        )
    _tally(report, state, expansion, cutoff)
    loose = [c.item_id for c in expansion.candidates if c.feed_id is None]
    records = state.candidate_items(
        feed_ids=expansion.feed_ids,
        item_ids=loose,
        since=cutoff,
        engine=engine_name,
        include_sent=request.resend,
    )
    items: list[DigestItem] = []
    for record in records:
        briefing = state.get_briefing(record.article_sha256 or "", engine_name)
        if briefing is None:
            continue
        items.append(
            DigestItem(
                item_id=record.item_id,
                briefing=briefing,
                url=record.link or briefing.article.url,
                outlet=record.outlet or briefing.article.outlet or outlet_from_url(record.link),
                title=record.title or briefing.article.title,
                published=record.published,
            )
        )
    return items, failures, expansion.warnings, cutoff


def _tally(report: RunReport, state: State, expansion: Expansion, cutoff: datetime | None) -> None:
    """What became of the items read this run, for "nothing new to send (...)"."""
    ids = [c.item_id for c in [*expansion.candidates, *expansion.outside]]
    report.seen = len(ids)
    report.outside = len(state.outside_window(ids, cutoff))
    report.already_sent = len(state.delivered_among(ids))
    report.over_cap = expansion.over_cap
    report.unchanged_feeds = expansion.unchanged


class _Worker:
    """Loads new items (in threads: fetching is I/O) and briefs them (``brief_async`` with the
    engine's concurrency), a batch at a time, recording each item as soon as it is done; stored
    briefings are reused and identical texts are briefed once. A problem with one item becomes
    a failure (retried next run); a stop request aborts between items, keeping what is saved."""

    def __init__(
        self,
        state: State,
        request: DigestRequest,
        engine_name: str,
        cutoff: datetime | None,
        stop: Callable[[], bool],
        progress: Progress | None = None,
    ) -> None:
        self.state = state
        self.request = request
        self.engine_name = engine_name
        self.cutoff = cutoff
        self.stop = stop
        self.progress = progress
        self.failures: list[DigestFailure] = []
        self.failed_ids: set[str] = set()
        self.total = 0
        # Items recorded for good (briefed, or outside the window) in this run.
        self.saved = 0

    def run(self, todo: list[Candidate]) -> None:
        self.total = len(todo)
        for start in range(0, len(todo), BATCH):
            self._check_stop()
            self._run_batch(todo[start : start + BATCH])

    def _run_batch(self, batch: list[Candidate]) -> None:
        loaded = self._load_all(batch)
        waiting: dict[str, list[tuple[Candidate, Article, datetime | None]]] = {}
        for candidate, article, published in loaded:
            stored = self.state.get_briefing(article.sha256, self.engine_name)
            if stored is not None:
                self._record(candidate, article, published, stored)
            else:
                waiting.setdefault(article.sha256, []).append((candidate, article, published))
        if waiting:
            asyncio.run(self._brief_all(waiting))

    def _done(self, saved: bool) -> None:
        self.saved += saved
        if self.progress is not None:
            self.progress(self.saved + len(self.failed_ids), self.total)

    def _check_stop(self) -> None:
        if self.stop():
            left = self.total - self.saved - len(self.failed_ids)
            raise RunAborted(
                f"stopped while collecting: {self.saved} of {self.total} new item(s) were "
                f"saved; the next run continues with the other {left}"
            )

    def _load_all(self, todo: list[Candidate]) -> list[tuple[Candidate, Article, datetime | None]]:
        results: dict[str, tuple[Candidate, Article, datetime | None]] = {}
        if not todo:
            return []
        pool = ThreadPoolExecutor(max_workers=max(1, min(FETCH_WORKERS, len(todo))))
        try:
            futures = {pool.submit(candidate.load): candidate for candidate in todo}
            for future in as_completed(futures):
                self._check_stop()
                candidate = futures[future]
                try:
                    article = future.result()
                except Exception as exc:
                    self._fail(candidate, exc)
                    continue
                published = candidate.published or _published(article)
                if self.cutoff is not None and published is not None and published < self.cutoff:
                    self.state.record_item(
                        candidate.item_id,
                        published=published,
                        skipped=OUTSIDE,
                        **_common(candidate),
                    )
                    self._done(True)
                    continue
                results[candidate.item_id] = (
                    candidate,
                    _with_fallbacks(article, candidate),
                    published,
                )
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return [results[c.item_id] for c in todo if c.item_id in results]

    async def _brief_all(
        self, waiting: dict[str, list[tuple[Candidate, Article, datetime | None]]]
    ) -> None:
        engine = get_engine(self.engine_name, **self.request.engine_options)
        limit = asyncio.Semaphore(max(1, self.request.concurrency))

        async def one(sha: str) -> tuple[str, Briefing | None, BaseException | None]:
            async with limit:
                try:
                    return sha, await brief_async(waiting[sha][0][1], engine=engine), None
                except Exception as exc:
                    return sha, None, exc

        tasks = [asyncio.ensure_future(one(sha)) for sha in waiting]
        try:
            for next_done in asyncio.as_completed(tasks):
                sha, briefing, problem = await next_done
                for candidate, article, published in waiting[sha]:
                    if briefing is None:
                        self._fail(candidate, problem)  # type: ignore[arg-type]
                    else:
                        self._record(candidate, article, published, briefing)
                self._check_stop()
        finally:
            for task in tasks:
                task.cancel()
            # The engine's HTTP client belongs to this batch's loop, which ends here.
            await engine.aclose()

    def _record(
        self, candidate: Candidate, article: Article, published: datetime | None, briefing: Briefing
    ) -> None:
        # Syndicated copies share a text (and so a stored briefing) but not a title or outlet:
        # those belong to the item.
        common = _common(candidate)
        common["title"] = article.title or candidate.title
        self.state.record_item(
            candidate.item_id,
            published=published,
            outlet=article.outlet,
            content_hash=article.sha256,
            briefing=briefing,
            engine=self.engine_name,
            **common,
        )
        self._done(True)

    def _fail(self, candidate: Candidate, exc: BaseException) -> None:
        if isinstance(exc, BrieferError):
            reason = str(exc)
        else:
            # One bad article must not sink the digest; the appendix says what happened.
            log.error(
                "processing %s failed", one_line(candidate.link or candidate.source), exc_info=exc
            )
            reason = f"internal error ({type(exc).__name__}: {exc})"
        self.state.record_item(
            candidate.item_id, published=candidate.published, error=reason, **_common(candidate)
        )
        self.failed_ids.add(candidate.item_id)
        self._done(False)
        self.failures.append(
            DigestFailure(
                source=candidate.source,
                item=candidate.link or candidate.title or candidate.source,
                reason=reason,
            )
        )


def _common(candidate: Candidate) -> dict[str, Any]:
    return {
        "feed_id": candidate.feed_id,
        "source": candidate.source,
        "link": candidate.link,
        "title": candidate.title,
    }


def _with_fallbacks(article: Article, candidate: Candidate) -> Article:
    update: dict[str, Any] = {}
    if not article.title and candidate.title:
        update["title"] = candidate.title
    if not article.outlet:
        outlet = candidate.outlet_hint or outlet_from_url(candidate.link)
        if outlet:
            update["outlet"] = outlet
    if not article.url and candidate.link:
        update["url"] = candidate.link
    return article.model_copy(update=update) if update else article


def _published(article: Article) -> datetime | None:
    if not article.published:
        return None
    value = article.published.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) <= 10:
        # A bare date: take the end of that day, so --since never drops an article that may
        # have been published within the window.
        moment = moment.replace(hour=23, minute=59, second=59)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
