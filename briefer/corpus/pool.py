"""All the cores of one machine: jobs briefed in a process pool, one engine per process.

For CPU-bound engines (the rules engine): threads would share one interpreter lock. Each
worker builds its engine once (``jobs.worker_engine``), on its first job.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
from collections.abc import Iterator

from briefer.corpus.jobs import EngineSpec, Job, Result, portable, run_job, worker_engine
from briefer.corpus.runner import Window, window_for
from briefer.errors import BrieferError


def default_workers() -> int:
    return os.cpu_count() or 1


def _warm(spec: EngineSpec) -> None:
    """Build the worker's engine before its first job (a bad engine fails on every worker)."""
    worker_engine(spec)


class PoolRunner:
    """A ``Runner`` over ``workers`` processes."""

    name = "pool"

    def __init__(self, spec: EngineSpec, *, workers: int, window: int | None = None) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.spec = spec
        self.workers = workers
        self.window = window or window_for(workers)

    def results(self, jobs: Iterator[Job]) -> Iterator[Result]:
        pool = cf.ProcessPoolExecutor(
            max_workers=self.workers, initializer=_warm, initargs=(self.spec,)
        )
        try:
            yield from self._drive(pool, jobs)
        finally:
            # On an early exit (Ctrl-C, the writer failing) nothing more is started; what runs
            # finishes in its worker and is briefed again by the next run.
            pool.shutdown(wait=True, cancel_futures=True)

    def _drive(self, pool: cf.ProcessPoolExecutor, jobs: Iterator[Job]) -> Iterator[Result]:
        window = Window(self.window)
        # A short queue per worker: enough to hide the hand-over, not a copy of the corpus.
        in_flight = 2 * self.workers
        pending: dict[cf.Future[Result], Job] = {}
        upcoming = next(jobs, None)
        while upcoming is not None or pending:
            while (
                upcoming is not None and len(pending) < in_flight and window.admits(upcoming.index)
            ):
                ready = portable(upcoming)
                if isinstance(ready, Result):
                    yield ready
                else:
                    pending[pool.submit(run_job, self.spec, ready)] = ready
                    window.start(ready.index)
                upcoming = next(jobs, None)
            if not pending:
                continue
            finished, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in finished:
                job = pending.pop(future)
                window.finish(job.index)
                yield _collect(future)


def _collect(future: cf.Future[Result]) -> Result:
    try:
        return future.result()
    except cf.process.BrokenProcessPool:
        raise BrieferError(
            "a worker process died (out of memory, or killed); rerun the same command to "
            "resume where it stopped"
        ) from None
