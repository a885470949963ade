"""The cluster runner on a real Dask cluster of two worker processes on 127.0.0.1, started by
the test and closed at its end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the briefer[dask] extra is not installed")

from briefer.corpus.cluster import ClusterRunner, cluster_client
from briefer.corpus.inputs import Limits, read_inputs
from briefer.corpus.jobs import EngineSpec, Job
from briefer.corpus.pool import PoolRunner
from briefer.corpus.run import Paths, run_batch
from briefer.errors import BrieferError

LIMITS = Limits(max_bytes=1_000_000, timeout=5.0)


def without_time(line: str) -> dict:
    briefing = json.loads(line)
    briefing["provenance"].pop("created_at")
    return briefing


def run(path: Path, out: Path, make_runner) -> None:
    items = read_inputs([str(path)], LIMITS)
    run_batch(items, Paths(out, out.with_suffix(".errors.jsonl")), make_runner)


def test_a_local_cluster_writes_what_the_pool_writes(corpus, tmp_path: Path) -> None:
    path = corpus(10, empty=(3,))
    spec = EngineSpec("rules")
    run(path, tmp_path / "pool.jsonl", lambda: PoolRunner(spec, workers=2))
    runner = ClusterRunner(spec, "local", chunk=3, window=7)
    run(path, tmp_path / "cluster.jsonl", lambda: runner)
    pool_lines = (tmp_path / "pool.jsonl").read_text().splitlines()
    cluster_lines = (tmp_path / "cluster.jsonl").read_text().splitlines()
    assert len(cluster_lines) == 9
    assert [without_time(x) for x in cluster_lines] == [without_time(x) for x in pool_lines]
    assert runner.workers == 2 and runner.startup_seconds is not None
    errors = (tmp_path / "cluster.errors.jsonl").read_text()
    assert json.loads(errors)["id"] == "a003"


def test_a_client_of_a_running_scheduler(corpus) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        runner = ClusterRunner(EngineSpec("rules"), cluster.scheduler_address)
        jobs = [Job(i, item) for i, item in enumerate(read_inputs([str(corpus(3))], LIMITS))]
        assert sorted(result.index for result in runner.results(iter(jobs))) == [0, 1, 2]
        assert runner.workers == 1


def test_an_unreachable_scheduler_is_one_line(closed_port: int, monkeypatch) -> None:
    monkeypatch.setattr("briefer.corpus.cluster.CONNECT_TIMEOUT", 1.0)
    with pytest.raises(BrieferError, match="cannot reach the Dask scheduler"):  # noqa: SIM117
        with cluster_client(f"tcp://127.0.0.1:{closed_port}"):
            pass
