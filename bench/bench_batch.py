"""Speed of ``briefer batch`` with the rules engine: articles per second with --workers 1 and 2
(and, with ``--cluster local``, on a local two-worker Dask cluster), over one corpus.

Usage: python bench/bench_batch.py [CORPUS.jsonl] [--workers 1 2] [--cluster local|ADDRESS]

CORPUS is a JSONL of articles (``text``, optional ``id``; PolNeAR-format files work; default
/work/shared/eval/polnear_attribution_dev.jsonl). Each setting writes a fresh OUT in a
temporary folder through the same ``run_batch`` the command uses; the rate counts the
briefing and writing of every article, not the interpreter's start. Prints figures only.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import tempfile
import time
from pathlib import Path

from briefer.corpus.cluster import ClusterRunner
from briefer.corpus.inputs import Limits, read_inputs
from briefer.corpus.jobs import EngineSpec, worker_engine
from briefer.corpus.pool import PoolRunner
from briefer.corpus.run import Paths, run_batch
from briefer.corpus.runner import Runner

DEFAULT_CORPUS = Path("/work/shared/eval/polnear_attribution_dev.jsonl")
WARM_PAUSE = 0.2


def measure(corpus: Path, label: str, runner: Runner) -> float:
    items = read_inputs([str(corpus)], Limits(max_bytes=10_000_000, timeout=30.0))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.jsonl"
        started = time.perf_counter()
        totals = run_batch(items, Paths(out, Path(folder) / "errors.jsonl"), lambda: runner)
        wall = time.perf_counter() - started
    rate = totals.briefed / totals.seconds if totals.seconds else 0.0
    startup = getattr(runner, "startup_seconds", None)
    extra = f", cluster start-up {startup:.1f} s" if startup is not None else ""
    print(
        f"{label}: {totals.briefed} articles ({totals.failed} failed) in {wall:.1f} s, "
        f"{rate:.1f} articles/s{extra}"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--cluster", help="also run on this Dask cluster ('local': 2 workers)")
    args = parser.parse_args()
    spec = EngineSpec("rules")
    print(f"{args.corpus}: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
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
