"""One digest run: collect items, brief what is new, build, render, and deliver exactly once
per item (see ``briefer.digest.state.digests`` for the delivery protocol and its at-least-once
trade-off).

Delivery modes (``briefer.digest.request.Delivery``):

- ``send``: SMTP. Items are reserved in a pending digest before sending, confirmed after.
- ``eml`` / ``output``: write the message or the HTML/text to a file. Items are *not* marked
  sent unless ``mark_sent`` is set, because a file on disk is not a delivered digest: the next
  ``--send`` still includes them. With ``mark_sent`` the file is written first (atomically)
  and then the items are recorded as sent, so a crash between the two re-writes the same items.
- ``stdout``: print the text digest; nothing is marked.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import make_msgid
from pathlib import Path

from briefer.console import one_line
from briefer.deliver.files import write_atomic, write_stdout
from briefer.deliver.mail import message_bytes
from briefer.digest.build import build_digest
from briefer.digest.collect import Collected, collect
from briefer.digest.model import DigestFailure
from briefer.digest.render import Rendered, render_digest
from briefer.digest.request import (
    Delivery,
    DigestRequest,
    PrintText,
    RunAborted,
    RunReport,
    SendMail,
    WriteEml,
    WriteFile,
    delivery_for,
)
from briefer.digest.send import compose, flush_pending, send_reserved
from briefer.digest.state import RunLock, State, lock_path, state_error
from briefer.digest.worker import Progress
from briefer.errors import BrieferError


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
    delivery = delivery_for(request)
    with RunLock(lock_path(state_path)), State(state_path) as state:
        state.verify()
        try:
            return _run(
                state,
                request,
                delivery,
                now or datetime.now(UTC),
                stop or (lambda: False),
                progress,
            )
        except sqlite3.Error as exc:
            # E.g. the disk filled up mid-run: every write is a transaction, so what is
            # recorded is consistent; the message says what to fix.
            raise state_error(state_path, exc) from None


def _run(
    state: State,
    request: DigestRequest,
    delivery: Delivery,
    now: datetime,
    stop: Callable[[], bool],
    progress: Progress | None,
) -> RunReport:
    report = RunReport()
    if isinstance(delivery, SendMail):
        report.resent_pending = flush_pending(state, delivery.smtp)
    else:
        report.pending_left = len(state.pending_digests())
    collected = collect(state, request, now, stop, report, progress)
    report.failures = len(collected.failures)
    report.warnings = collected.warnings
    if not collected.items:
        report.problems = [_one_line(failure) for failure in collected.failures]
        _fail_if_nothing_was_read(request, collected, report)
        return report
    rendered = _render(request, collected, now)
    report.articles = len(collected.items)
    report.html_bytes = rendered.html_bytes
    report.detailed_articles = rendered.detailed_articles
    if stop():
        raise RunAborted(
            f"stopped before sending; the {len(collected.items)} briefed item(s) are saved and "
            "the next run sends them"
        )
    item_ids = [item.item_id for item in collected.items]
    _deliver(state, request.subject, delivery, rendered, now, item_ids, report)
    return report


def _fail_if_nothing_was_read(
    request: DigestRequest, collected: Collected, report: RunReport
) -> None:
    unreadable = {f.source for f in collected.failures if f.item is None}
    if request.sources and unreadable >= set(request.sources):
        # Nothing could be read at all: a cron job must not report that as success.
        raise BrieferError(
            f"none of the {len(request.sources)} source(s) could be read: "
            + "; ".join(report.problems),
            exit_code=1,
        )


def _render(request: DigestRequest, collected: Collected, now: datetime) -> Rendered:
    digest = build_digest(
        collected.items,
        title=request.subject,
        window_start=collected.window_start,
        failures=collected.failures,
        warnings=collected.warnings,
        now=now,
    )
    return render_digest(digest, templates_dir=request.templates_dir)


def _deliver(
    state: State,
    subject: str,
    delivery: Delivery,
    rendered: Rendered,
    now: datetime,
    item_ids: list[str],
    report: RunReport,
) -> None:
    match delivery:
        case SendMail():
            message = compose(delivery, subject, rendered, now, len(item_ids))
            report.message_id = str(message["Message-ID"])
            send_reserved(state, delivery.smtp, message, delivery.recipients, item_ids)
            report.delivered = True
        case WriteEml():
            message = compose(delivery, subject, rendered, now, len(item_ids))
            report.message_id = str(message["Message-ID"])
            write_atomic(delivery.path, message_bytes(message))
            if delivery.mark_sent:
                state.record_written(
                    message_id=report.message_id, mode="eml", subject=subject, item_ids=item_ids
                )
        case WriteFile():
            is_text = delivery.path.suffix.lower() in (".txt", ".text")
            write_atomic(delivery.path, rendered.text if is_text else rendered.html)
            if delivery.mark_sent:
                state.record_written(
                    message_id=make_msgid(idstring="file", domain="briefer.invalid"),
                    mode="output",
                    subject=subject,
                    item_ids=item_ids,
                )
        case PrintText():
            write_stdout(rendered.text)


def _one_line(failure: DigestFailure) -> str:
    where = failure.item or failure.source
    # Reasons quote feed titles and links: filtered here, since they reach a terminal.
    return one_line(failure.reason if where in failure.reason else f"{where}: {failure.reason}")
