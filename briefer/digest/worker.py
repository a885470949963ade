"""Loading and briefing a run's new items, a batch at a time, each recorded once it is done."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from briefer.console import one_line
from briefer.contract import Article, Briefing
from briefer.digest.model import DigestFailure
from briefer.digest.request import DigestRequest, RunAborted
from briefer.digest.sources import Candidate, outlet_from_url
from briefer.digest.state import OUTSIDE, State
from briefer.engines import get_engine
from briefer.errors import BrieferError
from briefer.pipeline.batch import Outcome, brief_many_async

log = logging.getLogger(__name__)

# Feeds' article pages fetched at once.
FETCH_WORKERS = 8
# Items loaded and briefed per step: each step's items are saved before the next is loaded, so
# an interrupted run keeps its work and memory stays bounded on a huge feed.
BATCH = 32
# Called with (items done, items to do) as new items are briefed.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Loaded:
    candidate: Candidate
    article: Article
    published: datetime | None


class Worker:
    """Loads new items (in threads: fetching is I/O) and briefs them (``brief_many_async`` with
    the engine's concurrency), a batch at a time, recording each item as soon as it is done;
    stored briefings are reused and identical texts are briefed once. A problem with one item
    becomes a failure (retried next run); a stop request aborts between items, keeping what is
    saved."""

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
        waiting: dict[str, list[_Loaded]] = {}
        for loaded in self._load_all(batch):
            stored = self.state.get_briefing(loaded.article.sha256, self.engine_name)
            if stored is not None:
                self._record(loaded, stored)
            else:
                waiting.setdefault(loaded.article.sha256, []).append(loaded)
        if waiting:
            asyncio.run(self._brief_all(list(waiting.values())))

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

    def _load_all(self, todo: list[Candidate]) -> list[_Loaded]:
        """The batch's articles in its order; those outside the window are recorded instead."""
        results: dict[str, _Loaded] = {}
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
                loaded = self._within_window(candidate, article)
                if loaded is not None:
                    results[candidate.item_id] = loaded
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return [results[c.item_id] for c in todo if c.item_id in results]

    def _within_window(self, candidate: Candidate, article: Article) -> _Loaded | None:
        published = candidate.published or _published(article)
        if self.cutoff is not None and published is not None and published < self.cutoff:
            self.state.record_item(
                candidate.item_id, published=published, skipped=OUTSIDE, **_common(candidate)
            )
            self._done(True)
            return None
        return _Loaded(candidate, _with_fallbacks(article, candidate), published)

    async def _brief_all(self, groups: list[list[_Loaded]]) -> None:
        """Brief one article of each group (same text), recording it for the whole group."""
        # Made on this loop: a model engine's HTTP client belongs to it, and the batch runner
        # closes the engine on it when the batch ends (or a stop request cuts it short).
        engine = get_engine(self.engine_name, **self.request.engine_options)

        def done(outcome: Outcome) -> None:
            briefing, error = outcome.briefing, outcome.error
            for loaded in groups[outcome.index]:
                if briefing is not None:
                    self._record(loaded, briefing)
                elif error is not None:
                    self._fail(loaded.candidate, error)
            self._check_stop()

        await brief_many_async(
            [group[0].article for group in groups],
            engine=engine,
            concurrency=max(1, self.request.concurrency),
            on_done=done,
        )

    def _record(self, loaded: _Loaded, briefing: Briefing) -> None:
        candidate, article = loaded.candidate, loaded.article
        # Syndicated copies share a text (and so a stored briefing) but not a title or outlet:
        # those belong to the item.
        common = _common(candidate)
        common["title"] = article.title or candidate.title
        self.state.record_item(
            candidate.item_id,
            published=loaded.published,
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
