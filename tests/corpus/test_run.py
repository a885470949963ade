from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_fixtures import article_record, write_jsonl

from briefer.contract import Briefing
from briefer.corpus.inputs import Limits, read_inputs
from briefer.corpus.jobs import EngineSpec, Job, Result, brief_job, worker_engine
from briefer.corpus.run import Paths, default_errors_path, run_batch
from briefer.errors import BrieferError

LIMITS = Limits(max_bytes=1_000_000, timeout=5.0)


class Shuffled:
    """A runner that briefs in-process and hands results back in reverse order of each
    group of ``group`` jobs, as a pool would out of order; it records the jobs it saw."""

    name = "shuffled"

    def __init__(self, group: int = 4, stop_after: int | None = None) -> None:
        self.group = group
        self.stop_after = stop_after
        self.seen: list[str] = []

    def results(self, jobs: Iterator[Job]) -> Iterator[Result]:
        engine = worker_engine(EngineSpec("rules"))
        held: list[Result] = []
        for job in jobs:
            if self.stop_after is not None and len(self.seen) == self.stop_after:
                raise KeyboardInterrupt
            self.seen.append(job.item.id)
            held.append(brief_job(job, engine))
            if len(held) == self.group:
                yield from reversed(held)
                held = []
        yield from reversed(held)


def out_ids(path: Path) -> list[str]:
    return [json.loads(line)["article"]["id"] for line in path.read_text().splitlines()]


def run(corpus_path: Path, tmp_path: Path, runner: Shuffled):
    items = read_inputs([str(corpus_path)], LIMITS)
    out = tmp_path / "out.jsonl"
    return run_batch(items, Paths(out, default_errors_path(out)), lambda: runner), out


def test_results_out_of_order_are_written_in_input_order(corpus, tmp_path: Path) -> None:
    totals, out = run(corpus(10), tmp_path, Shuffled(group=4))
    assert out_ids(out) == [f"a{n:03d}" for n in range(10)]
    for line in out.read_text().splitlines():
        Briefing.model_validate_json(line)
    assert (totals.briefed, totals.failed, totals.skipped) == (10, 0, 0)
    assert totals.claims > 0 and totals.framing > 0


def test_failures_go_to_the_errors_file_and_the_run_goes_on(corpus, tmp_path: Path) -> None:
    totals, out = run(corpus(6, empty=(2, 4)), tmp_path, Shuffled())
    assert out_ids(out) == ["a000", "a001", "a003", "a005"]
    errors = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert [error["id"] for error in errors] == ["a002", "a004"]
    assert all(error["reason"] and error["source"].endswith(".jsonl:3") for error in errors[:1])
    assert totals.failed == 2


def test_a_rerun_skips_what_is_done_and_retries_failures(corpus, tmp_path: Path) -> None:
    path = corpus(6, empty=(2,))
    run(path, tmp_path, Shuffled())
    records = [json.loads(line) for line in path.read_text().splitlines()]
    records[2]["text"] = "Officials said the pier reopened."  # the failed one is fixed
    write_jsonl(path, records)
    runner = Shuffled()
    totals, out = run(path, tmp_path, runner)
    assert runner.seen == ["a002"]
    assert (totals.briefed, totals.skipped, totals.failed) == (1, 5, 0)
    # Each run writes in input order; the retried failure comes after the earlier lines.
    assert out_ids(out) == ["a000", "a001", "a003", "a004", "a005", "a002"]
    assert (tmp_path / "out.errors.jsonl").read_text() == ""  # this run's failures: none


def test_an_interrupted_run_resumes_without_duplicates(corpus, tmp_path: Path) -> None:
    path = corpus(12)
    with pytest.raises(KeyboardInterrupt):
        run(path, tmp_path, Shuffled(group=4, stop_after=9))
    out = tmp_path / "out.jsonl"
    assert out_ids(out) == [f"a{n:03d}" for n in range(8)]  # the two whole groups
    runner = Shuffled()
    run(path, tmp_path, runner)
    assert runner.seen == [f"a{n:03d}" for n in range(8, 12)]
    assert out_ids(out) == [f"a{n:03d}" for n in range(12)]


def test_a_torn_last_line_is_briefed_again(corpus, tmp_path: Path) -> None:
    path = corpus(5)
    _, out = run(path, tmp_path, Shuffled())
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:3]) + lines[3][: len(lines[3]) // 2])
    runner = Shuffled()
    run(path, tmp_path, runner)
    assert runner.seen == ["a003", "a004"]
    assert out_ids(out) == [f"a{n:03d}" for n in range(5)]


def test_an_id_done_with_another_text_is_refused_not_duplicated(corpus, tmp_path: Path) -> None:
    path = corpus(3)
    run(path, tmp_path, Shuffled())
    records = [json.loads(line) for line in path.read_text().splitlines()]
    records[1]["text"] += " An update was added."
    write_jsonl(path, records)
    runner = Shuffled()
    totals, out = run(path, tmp_path, runner)
    assert runner.seen == [] and totals.failed == 1
    assert out_ids(out) == ["a000", "a001", "a002"]
    error = json.loads((tmp_path / "out.errors.jsonl").read_text())
    assert error["id"] == "a001" and "SHA-256 differs" in error["reason"]


def test_errors_file_must_differ_from_the_output(corpus, tmp_path: Path) -> None:
    items = read_inputs([str(corpus(1))], LIMITS)
    out = tmp_path / "out.jsonl"
    with pytest.raises(BrieferError, match="another file"):
        run_batch(items, Paths(out, out), Shuffled)


def test_a_runner_that_loses_a_job_is_an_error(corpus, tmp_path: Path) -> None:
    class Lossy(Shuffled):
        def results(self, jobs: Iterator[Job]) -> Iterator[Result]:
            for result in super().results(jobs):
                if result.index != 0:
                    yield result

    items = read_inputs([str(corpus(3))], LIMITS)
    out = tmp_path / "out.jsonl"
    with pytest.raises(BrieferError, match="no result for job 0; 3 left unwritten"):
        run_batch(items, Paths(out, default_errors_path(out)), Lossy)
    assert not out.read_text()


def test_a_runner_that_loses_the_last_job_is_an_error(corpus, tmp_path: Path) -> None:
    class Short(Shuffled):
        def results(self, jobs: Iterator[Job]) -> Iterator[Result]:
            for result in super().results(jobs):
                if result.index != 2:
                    yield result

    items = read_inputs([str(corpus(3))], LIMITS)
    out = tmp_path / "out.jsonl"
    with pytest.raises(BrieferError, match="no result for job 2; 1 left unwritten"):
        run_batch(items, Paths(out, default_errors_path(out)), lambda: Short(group=1))
    assert len(out.read_text().splitlines()) == 2


def test_default_errors_path() -> None:
    assert default_errors_path(Path("x/out.jsonl")) == Path("x/out.errors.jsonl")
    assert default_errors_path(Path("out")) == Path("out.errors.jsonl")


def test_record_helper_is_ours() -> None:
    assert article_record(3)["id"] == "a003"
