from __future__ import annotations

import asyncio
from pathlib import Path

from briefer.contract import Article
from briefer.corpus.concurrency import ConcurrentRunner
from briefer.corpus.inputs import Limits, read_inputs
from briefer.corpus.jobs import Briefed, Failed, Job
from briefer.engines.drafts import Draft
from briefer.engines.rules import RulesEngine

LIMITS = Limits(max_bytes=1_000_000, timeout=5.0)


class Waiting(RulesEngine):
    """The rules engine behind an awaited call, counting how many calls overlap."""

    def __init__(self) -> None:
        super().__init__()
        self.running = 0
        self.most = 0
        self.closed = 0

    async def analyze_async(self, article: Article) -> Draft:
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            for _ in range(3):
                await asyncio.sleep(0)  # let the other tasks in
            return self.analyze(article)
        finally:
            self.running -= 1

    async def aclose(self) -> None:
        self.closed += 1


def jobs_of(path: Path) -> list[Job]:
    return [Job(index, item) for index, item in enumerate(read_inputs([str(path)], LIMITS))]


def test_at_most_concurrency_articles_in_flight(corpus) -> None:
    engine = Waiting()
    runner = ConcurrentRunner(engine, concurrency=3, window=5)
    results = list(runner.results(iter(jobs_of(corpus(12, empty=(7,))))))
    assert sorted(result.index for result in results) == list(range(12))
    assert engine.most == 3
    assert engine.closed == 3  # one brief_many_async per window: 5 + 5 + 2
    failed = [result for result in results if isinstance(result.outcome, Failed)]
    assert [result.id for result in failed] == ["a007"]
    assert all(isinstance(r.outcome, Briefed) for r in results if r.index != 7)


def test_leaving_early_stops_the_producer(corpus) -> None:
    runner = ConcurrentRunner(Waiting(), concurrency=2, window=2)
    results = runner.results(iter(jobs_of(corpus(20))))
    first = next(results)
    results.close()  # as a KeyboardInterrupt in the writer would
    assert first.index in (0, 1)
