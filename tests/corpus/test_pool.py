from __future__ import annotations

import json
from pathlib import Path

from briefer.contract import Article, Briefing
from briefer.corpus.inputs import CorpusItem, Limits, read_inputs
from briefer.corpus.jobs import Briefed, EngineSpec, Failed, Job, portable, worker_engine
from briefer.corpus.pool import PoolRunner

LIMITS = Limits(max_bytes=1_000_000, timeout=5.0)


def jobs_of(path: Path) -> list[Job]:
    return [Job(index, item) for index, item in enumerate(read_inputs([str(path)], LIMITS))]


def test_every_job_gets_one_result_from_two_processes(corpus) -> None:
    jobs = jobs_of(corpus(9, empty=(4,)))
    runner = PoolRunner(EngineSpec("rules"), workers=2, window=3)
    results = list(runner.results(iter(jobs)))
    assert sorted(result.index for result in results) == list(range(9))
    by_index = {result.index: result for result in results}
    assert isinstance(by_index[4].outcome, Failed)
    for index in set(range(9)) - {4}:
        outcome = by_index[index].outcome
        assert isinstance(outcome, Briefed)
        briefing = Briefing.model_validate_json(outcome.line)
        assert briefing.article.id == jobs[index].item.id == by_index[index].id
        assert outcome.facts.claims == len(briefing.claims) > 0


def test_the_window_bounds_how_far_jobs_are_pulled_ahead(corpus) -> None:
    jobs = jobs_of(corpus(8))
    pulled: list[int] = []

    def feed():
        for job in jobs:
            pulled.append(job.index)
            yield job

    runner = PoolRunner(EngineSpec("rules"), workers=2, window=2)
    results = runner.results(feed())
    first = next(results)
    # Two in flight at most (the window), plus the one job read ahead and held back.
    assert len(pulled) <= 3 and first.index in (0, 1)
    assert len(list(results)) == 7


def test_a_worker_builds_its_engine_once() -> None:
    spec = EngineSpec.of("rules", {})
    assert worker_engine(spec) is worker_engine(spec)


def test_an_item_that_cannot_travel_is_loaded_first() -> None:
    loaded = Article(text="Officials said the pier reopened.")
    item = CorpusItem(id="x", source="feed", load=lambda: loaded, portable=False)
    ready = portable(Job(0, item))
    assert isinstance(ready, Job) and ready.item.article is not None
    assert ready.item.resolve().id == "x"
    json.dumps(ready.item.resolve().model_dump())  # plain data: picklable to a worker

    def broken() -> Article:
        raise OSError("gone")

    failed = portable(Job(1, CorpusItem(id="y", source="feed", load=broken, portable=False)))
    assert not isinstance(failed, Job) and isinstance(failed.outcome, Failed)
    assert failed.outcome.reason == "OSError: gone"
