"""Past one machine: jobs briefed on a Dask distributed cluster (``briefer[dask]``).

The driver (this process) reads the inputs, keeps the window of jobs in flight and writes
every line, exactly as with the process pool, so output and resuming are the same. Workers
need briefer installed (the same version) and build one engine per process, on their first
job. ``local`` starts a cluster of two worker processes on 127.0.0.1 for this run only.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from briefer.corpus.jobs import EngineSpec, Job, Result, portable, run_jobs
from briefer.corpus.runner import Window, window_for
from briefer.errors import BrieferError

LOCAL = "local"
LOCAL_WORKERS = 2
CONNECT_TIMEOUT = 30.0
CHUNK = 8


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise BrieferError(
            "--cluster needs Dask distributed; install it with: pip install 'briefer[dask]'"
        ) from None
    return distributed


def _quiet_dask() -> None:
    """Dask's loggers are set to INFO by its own config and reach briefer's stderr handler;
    its start and stop notes are chatter unless -v asked for progress."""
    root = logging.getLogger().getEffectiveLevel()
    level = logging.INFO if root <= logging.INFO else root
    for name in ("distributed", "dask"):
        logging.getLogger(name).setLevel(level)


@contextlib.contextmanager
def cluster_client(address: str, *, workers: int = LOCAL_WORKERS) -> Iterator[Any]:
    """A Dask client: of a local cluster started (and stopped) here, or of ``address``."""
    distributed = _distributed()
    _quiet_dask()
    if address == LOCAL:
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            # Its HTTP server (health, metrics) on loopback at a free port, never 8787 on all.
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        )
        try:
            with distributed.Client(cluster) as client:
                client.wait_for_workers(workers, timeout=CONNECT_TIMEOUT)
                yield client
        finally:
            cluster.close()
        return
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise BrieferError(
            f"cannot reach the Dask scheduler at {address} ({type(exc).__name__}); start one "
            "with 'dask scheduler' and workers with 'dask worker ADDRESS'"
        ) from None
    with client:
        yield client


class ClusterRunner:
    """A ``Runner`` on a Dask cluster; ``startup_seconds`` is how long the cluster took.

    Jobs travel ``chunk`` to a task: a Dask task costs the scheduler and the worker a few
    milliseconds of CPU, as much as briefing a short article with the rules engine, so one task
    per article would spend half the cluster on bookkeeping.
    """

    name = "cluster"

    def __init__(
        self,
        spec: EngineSpec,
        address: str,
        *,
        chunk: int = CHUNK,
        window: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if chunk < 1:
            raise ValueError("chunk must be at least 1")
        self.spec = spec
        self.address = address
        self.chunk = chunk
        self.window = window
        self.clock = clock
        self.startup_seconds: float | None = None
        self.workers = 0

    def results(self, jobs: Iterator[Job]) -> Iterator[Result]:
        started = self.clock()
        with cluster_client(self.address) as client:
            self.workers = len(client.scheduler_info().get("workers", {})) or LOCAL_WORKERS
            self.startup_seconds = self.clock() - started
            yield from self._drive(client, jobs)

    def _drive(self, client: Any, jobs: Iterator[Job]) -> Iterator[Result]:
        distributed = _distributed()
        # Two tasks per worker in flight: one running, one ready to start.
        in_flight = 2 * self.workers
        window = Window(self.window or max(window_for(self.workers), in_flight * self.chunk))
        stream = distributed.as_completed(with_results=True, raise_errors=False)
        pending: dict[str, list[Job]] = {}
        upcoming = next(jobs, None)
        while True:
            while (
                upcoming is not None and len(pending) < in_flight and window.admits(upcoming.index)
            ):
                batch: list[Job] = []
                while (
                    upcoming is not None
                    and len(batch) < self.chunk
                    and window.admits(upcoming.index)
                ):
                    ready = portable(upcoming)
                    if isinstance(ready, Result):
                        yield ready
                    else:
                        batch.append(ready)
                        window.start(ready.index)
                    upcoming = next(jobs, None)
                if batch:
                    future = client.submit(run_jobs, self.spec, batch, pure=False)
                    pending[future.key] = batch
                    stream.add(future)
            if not pending:
                return
            for future, value in itertools.islice(stream, 1):
                batch = pending.pop(future.key)
                for job in batch:
                    window.finish(job.index)
                yield from _checked(value, batch)


def _checked(value: object, batch: list[Job]) -> list[Result]:
    if isinstance(value, list) and len(value) == len(batch):
        return value
    raise BrieferError(
        f"the cluster could not run the jobs from {batch[0].item.id!r} on "
        f"({type(value).__name__}: {value}); rerun the same command to resume"
    )
