from __future__ import annotations

from briefer.corpus.jobs import Briefed, Facts, Failed, Result
from briefer.corpus.summary.totals import Totals


def briefed(index: int, **facts: object) -> Result:
    return Result(index, f"a{index}", Briefed("{}", Facts(**{"claims": 2, "framing": 1, **facts})))


def test_counts_tokens_and_cost_and_leaves_cache_hits_free() -> None:
    totals = Totals(skipped=3)
    totals.add(briefed(0, input_tokens=100, output_tokens=10, cost_usd=0.002))
    totals.add(briefed(1, input_tokens=100, output_tokens=10, cost_usd=0.002, cached=True))
    totals.add(Result(2, "a2", Failed("empty")))
    totals.seconds = 2.0
    assert (totals.briefed, totals.failed, totals.claims, totals.framing) == (2, 1, 4, 2)
    assert (totals.input_tokens, totals.output_tokens, totals.cached) == (100, 10, 1)
    assert totals.summary() == (
        "batch: 2 articles briefed, 3 already in the output, 1 failed, 4 claims, 2 framing "
        "items, 1.0 articles/s in 2.0 s, 100 input + 10 output tokens, 1 from cache, "
        "est. $0.0020"
    )


def test_a_rules_run_names_no_tokens_or_cost() -> None:
    totals = Totals()
    totals.add(briefed(0))
    assert totals.summary() == "batch: 1 article briefed, 0 failed, 2 claims, 1 framing items"
