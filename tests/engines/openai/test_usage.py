"""Prices, costs and the batch usage summary."""

from __future__ import annotations

import pytest

from briefer.engines.openai.usage import UsageTotals, cost, price_for


def test_usage_costs_and_overrides() -> None:
    assert price_for("gpt-4o-mini-2024-07-18") == (0.15, 0.60)
    assert price_for("gpt-4o") == (2.50, 10.00)
    assert price_for("llama3") is None
    assert cost("llama3", 1000, 1000, {"llama3": (1.0, 1.0)}) == pytest.approx(0.002)
    totals = UsageTotals()
    totals.add(100, 20, 0.01, cached=False)
    totals.add(100, 20, 0.01, cached=True)
    assert totals.summary() == (
        "usage: 2 articles, 100 input + 20 output tokens, est. $0.0100, 1 from cache"
    )
