"""Speed of ``briefer batch`` with the rules engine: articles per second with --workers 1 and 2
(and, with ``--cluster local``, on a local two-worker Dask cluster), over one corpus.

Usage: python bench/bench_batch.py [CORPUS.jsonl] [--workers 1 2] [--cluster local|ADDRESS]

CORPUS is a JSONL of articles (``text``, optional ``id``; PolNeAR-format files work; default
/work/shared/eval/polnear_attribution_dev.jsonl). Each setting writes a fresh OUT in a
temporary folder through the same ``run_batch`` the command uses; the rate counts the
briefing and writing of every article, not the interpreter's start. It also prints how much
parallel CPU the machine gives at the time (a pure-Python loop in 2 processes against 1): on
a shared machine that, not 2.0, is the ratio to read the pool's against. Prints figures only.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import resource
import tempfile
import time
from multiprocessing import Process, Queue
from pathlib import Path

from briefer.corpus.cluster import ClusterRunner
from briefer.corpus.inputs import Limits, read_inputs
from briefer.corpus.jobs import EngineSpec, worker_engine
from briefer.corpus.pool import PoolRunner
from briefer.corpus.run import Paths, run_batch
from briefer.corpus.runner import Runner

DEFAULT_CORPUS = Path("/work/shared/eval/polnear_attribution_dev.jsonl")
WARM_PAUSE = 0.2


def _cpu_seconds() -> float:
    """CPU time of this process and of its children reaped so far (pool and cluster workers
    are reaped when they stop)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(corpus: Path, label: str, runner: Runner) -> float:
    items = read_inputs([str(corpus)], Limits(max_bytes=10_000_000, timeout=30.0))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.jsonl"
        started, cpu = time.perf_counter(), _cpu_seconds()
        totals = run_batch(items, Paths(out, Path(folder) / "errors.jsonl"), lambda: runner)
        wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    rate = totals.briefed / totals.seconds if totals.seconds else 0.0
    startup = getattr(runner, "startup_seconds", None)
    extra = f", cluster start-up {startup:.1f} s" if startup is not None else ""
    print(
        f"{label}: {totals.briefed} articles ({totals.failed} failed) in {wall:.1f} s, "
        f"{rate:.1f} articles/s, {cpu:.1f} CPU-s (cores used {cpu / wall:.2f}){extra}"
    )
    return rate


def pool_startup(spec: EngineSpec, workers: int) -> float:
    """Seconds to start ``workers`` processes and build an engine in each: the pool's
    counterpart of a cluster's start-up."""
    started = time.perf_counter()
    with cf.ProcessPoolExecutor(max_workers=workers) as pool:
        pids = set(pool.map(warm, [spec] * workers))
    assert len(pids) == workers, "a worker took two warm-up calls"
    return time.perf_counter() - started - WARM_PAUSE


def warm(spec: EngineSpec) -> int:
    worker_engine(spec)
    time.sleep(WARM_PAUSE)  # so that every worker, not one, takes a warm-up call
    return os.getpid()


def _spin(seconds: float, counts: Queue[int]) -> None:
    end = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < end:
        for _ in range(10_000):
            count += 1
    counts.put(count)


def parallel_cpu(processes: int, seconds: float = 3.0) -> int:
    """Loop iterations ``processes`` processes manage in ``seconds``: what the machine gives."""
    counts: Queue[int] = Queue()
    spinners = [Process(target=_spin, args=(seconds, counts)) for _ in range(processes)]
    for spinner in spinners:
        spinner.start()
    total = sum(counts.get() for _ in spinners)
    for spinner in spinners:
        spinner.join()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--cluster", help="also run on this Dask cluster ('local': 2 workers)")
    args = parser.parse_args()
    spec = EngineSpec("rules")
    print(f"{args.corpus}: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    # A shared machine may not have two free cores: this is the ratio a perfect pool would get.
    cpu = parallel_cpu(2) / parallel_cpu(1)
    print(f"pure-CPU loop, 2 processes / 1 process, now: {cpu:.2f}x")
    print(f"process pool start-up (2 workers, engines built): {pool_startup(spec, 2):.2f} s")
    rates = {
        n: measure(args.corpus, f"--workers {n}", PoolRunner(spec, workers=n)) for n in args.workers
    }
    if 1 in rates and len(rates) > 1 and rates[1]:
        for workers, rate in rates.items():
            if workers != 1:
                print(f"--workers {workers} / --workers 1: {rate / rates[1]:.2f}x")
    if args.cluster:
        measure(args.corpus, f"--cluster {args.cluster}", ClusterRunner(spec, args.cluster))


if __name__ == "__main__":
    main()
