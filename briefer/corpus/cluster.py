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

from briefer.corpus.jobs import EngineSpec, Job, Result, portable, run_job
from briefer.corpus.runner import Window, window_for
from briefer.errors import BrieferError

LOCAL = "local"
LOCAL_WORKERS = 2
CONNECT_TIMEOUT = 30.0


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
            dashboard_address=None,
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
    """A ``Runner`` on a Dask cluster; ``startup_seconds`` is how long the cluster took."""

    name = "cluster"

    def __init__(
        self,
        spec: EngineSpec,
        address: str,
        *,
        window: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spec = spec
        self.address = address
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
        window = Window(self.window or window_for(self.workers))
        in_flight = 2 * self.workers
        stream = distributed.as_completed(with_results=True, raise_errors=False)
        pending: dict[str, Job] = {}
        upcoming = next(jobs, None)
        while True:
            while (
                upcoming is not None and len(pending) < in_flight and window.admits(upcoming.index)
            ):
                ready = portable(upcoming)
                if isinstance(ready, Result):
                    yield ready
                else:
                    future = client.submit(run_job, self.spec, ready, pure=False)
                    pending[future.key] = ready
                    window.start(ready.index)
                    stream.add(future)
                upcoming = next(jobs, None)
            if not pending:
                return
            for future, value in itertools.islice(stream, 1):
                job = pending.pop(future.key)
                window.finish(job.index)
                yield _checked(value, job)


def _checked(value: object, job: Job) -> Result:
    if isinstance(value, Result):
        return value
    raise BrieferError(
        f"the cluster could not run the job for {job.item.id!r} ({type(value).__name__}: "
        f"{value}); rerun the same command to resume"
    )
