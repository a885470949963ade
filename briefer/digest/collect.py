"""Collecting a run's items: sources expanded, new items briefed, the unsent ones gathered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from briefer.digest.model import DigestFailure, DigestItem
from briefer.digest.request import DigestRequest, RunReport
from briefer.digest.sources import Expansion, expand_sources, outlet_from_url
from briefer.digest.state import State
from briefer.digest.worker import Progress, Worker
from briefer.engines import resolve_engine_name


@dataclass
class Collected:
    """The unsent items of the run's sources within the window, and what went wrong."""

    items: list[DigestItem]
    failures: list[DigestFailure]
    warnings: list[str]
    window_start: datetime | None


def collect(
    state: State,
    request: DigestRequest,
    now: datetime,
    stop: Callable[[], bool],
    report: RunReport,
    progress: Progress | None = None,
) -> Collected:
    """Expand sources, brief new items (reusing stored briefings), and return the unsent
    items of these sources within the window; ``report`` gets the counts of what was seen."""
    engine_name = resolve_engine_name(request.engine, **request.engine_options)
    cutoff = now - request.since if request.since is not None else None
    expansion = _expand(state, request, cutoff)
    failures = [
        DigestFailure(source=f.source, item=f.item, reason=f.reason) for f in expansion.failures
    ]
    ids = [c.item_id for c in expansion.candidates]
    done = state.processed_item_ids(ids, engine_name, since=cutoff)
    worker = Worker(state, request, engine_name, cutoff, stop, progress)
    worker.run([c for c in expansion.candidates if c.item_id not in done])
    failures.extend(worker.failures)
    _save_feeds(state, expansion, worker.failed_ids)
    _tally(report, state, expansion, cutoff)
    items = _unsent(state, request, expansion, engine_name, cutoff)
    return Collected(items, failures, expansion.warnings, cutoff)


def _expand(state: State, request: DigestRequest, cutoff: datetime | None) -> Expansion:
    """The sources' items; entries dated before the window are recorded, not fetched."""

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
    # Every entry left outside has a date: that is what put it there.
    state.record_outside(
        [
            (c.item_id, c.feed_id, c.source, c.link, c.title, c.published)
            for c in expansion.outside
            if c.published is not None
        ]
    )
    return expansion


def _save_feeds(state: State, expansion: Expansion, failed_ids: set[str]) -> None:
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


def _tally(report: RunReport, state: State, expansion: Expansion, cutoff: datetime | None) -> None:
    """What became of the items read this run, for "nothing new to send (...)"."""
    ids = [c.item_id for c in [*expansion.candidates, *expansion.outside]]
    report.seen = len(ids)
    report.outside = len(state.outside_window(ids, cutoff))
    report.already_sent = len(state.delivered_among(ids))
    report.over_cap = expansion.over_cap
    report.unchanged_feeds = expansion.unchanged


def _unsent(
    state: State,
    request: DigestRequest,
    expansion: Expansion,
    engine_name: str,
    cutoff: datetime | None,
) -> list[DigestItem]:
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
    return items
