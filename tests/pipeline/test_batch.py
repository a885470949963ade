"""brief_many: input order, one failure does not stop the rest, bounded concurrency, closing."""

from __future__ import annotations

import asyncio

import pytest

import briefer
from briefer import Article, brief_many
from briefer.engines.base import Engine
from briefer.engines.drafts import Draft
from briefer.errors import InputError

TEXTS = [
    f"Officials said on day {n} that the bridge would reopen. The mayor called it a triumph."
    for n in range(6)
]


class SlowEngine(Engine):
    """Finishes later articles first, and records how many ran at once."""

    name = "slow"

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.most = 0
        self.closed = 0

    def analyze(self, article: Article) -> Draft:
        raise AssertionError("the batch runner uses analyze_async")

    async def analyze_async(self, article: Article) -> Draft:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        day = int(article.text.split("day ")[1].split()[0])
        try:
            await asyncio.sleep(0.001 * (6 - day))
        finally:
            # A cancelled article leaves too: the check below is that none is left running.
            self.in_flight -= 1
        if "day 3" in article.text:
            raise InputError("day 3 is refused")
        return Draft(bluf=article.text[:20])

    async def aclose(self) -> None:
        self.closed += 1


def test_outcomes_in_input_order_with_the_failure_kept_apart() -> None:
    engine = SlowEngine()
    finished: list[int] = []
    outcomes = brief_many(
        TEXTS, engine=engine, concurrency=6, on_done=lambda o: finished.append(o.index)
    )
    assert [o.index for o in outcomes] == list(range(6))
    assert [o.ok for o in outcomes] == [True, True, True, False, True, True]
    assert isinstance(outcomes[3].error, InputError) and outcomes[3].briefing is None
    assert outcomes[0].briefing is not None and outcomes[0].briefing.bluf == TEXTS[0][:20]
    # Completion order is not input order: the later days finish first.
    assert finished != sorted(finished) and sorted(finished) == list(range(6))
    assert engine.closed == 1


def test_concurrency_is_a_bound() -> None:
    engine = SlowEngine()
    brief_many(TEXTS, engine=engine, concurrency=2)
    assert engine.most == 2


def test_loaders_run_and_their_errors_are_outcomes() -> None:
    def broken() -> Article:
        raise InputError("cannot read it")

    outcomes = brief_many(
        [lambda: Article(text=TEXTS[0]), broken, "   "], engine="rules", concurrency=2
    )
    assert outcomes[0].ok and outcomes[0].briefing.provenance.engine == "rules"
    assert str(outcomes[1].error) == "cannot read it" and outcomes[1].article is None
    assert isinstance(outcomes[2].error, InputError)


def test_an_error_in_on_done_cancels_the_rest_and_closes_the_engine() -> None:
    engine = SlowEngine()
    seen: list[int] = []

    def stop(outcome: briefer.Outcome) -> None:
        seen.append(outcome.index)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        brief_many(TEXTS, engine=engine, concurrency=1, on_done=stop)
    assert len(seen) == 1 and engine.closed == 1 and engine.in_flight == 0


def test_options_with_an_engine_instance_are_refused() -> None:
    with pytest.raises(TypeError, match="with an engine instance"):
        brief_many(TEXTS, engine=SlowEngine(), model="x")
    # As in brief(): a named engine refuses another engine's option instead of dropping it.
    with pytest.raises(TypeError, match=r"'model'.*rules engine"):
        brief_many(TEXTS, engine="rules", model="x")
    with pytest.raises(ValueError, match="at least 1"):
        brief_many(TEXTS, engine="rules", concurrency=0)
