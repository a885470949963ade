"""Token usage and estimated cost. Prices are USD per million tokens (input, output).

The table is a snapshot and may be out of date: users override or extend it with
``[engine.prices]`` in the config file, e.g. ``"gpt-4o-mini" = [0.15, 0.60]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Longest matching prefix wins, so "gpt-4o-mini" beats "gpt-4o".
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
    "o4-mini": (1.10, 4.40),
    "o3-mini": (1.10, 4.40),
    "o3": (2.00, 8.00),
    "gpt-4-turbo": (10.00, 30.00),
    "gpt-3.5-turbo": (0.50, 1.50),
}


def price_for(
    model: str | None, overrides: Mapping[str, tuple[float, float]] | None = None
) -> tuple[float, float] | None:
    """(input, output) USD per million tokens for ``model``, or None when unknown."""
    if not model:
        return None
    name = model.lower().rsplit("/", 1)[-1]
    table = {**PRICES, **{k.lower(): tuple(v) for k, v in (overrides or {}).items()}}
    if name in table:
        return table[name]  # type: ignore[return-value]
    matches = [key for key in table if name.startswith(key)]
    if not matches:
        return None
    return table[max(matches, key=len)]  # type: ignore[return-value]


def cost(
    model: str | None,
    input_tokens: int,
    output_tokens: int,
    overrides: Mapping[str, tuple[float, float]] | None = None,
) -> float | None:
    price = price_for(model, overrides)
    if price is None:
        return None
    return round((input_tokens * price[0] + output_tokens * price[1]) / 1_000_000, 6)


@dataclass
class Usage:
    """The tokens one chunk's calls used; ``estimated`` when briefer counted some of them
    because the server sent no usage."""

    input_tokens: int = 0
    output_tokens: int = 0
    estimated: bool = False

    def add(self, input_tokens: int, output_tokens: int) -> None:
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens


@dataclass
class CallStats:
    """Running totals over one engine's articles, for benchmarks and tests (not part of the
    Briefing contract)."""

    calls: int = 0
    retries: int = 0
    repairs: int = 0
    chunks: int = 0
    article_tokens: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class UsageTotals:
    """Sums over a batch, for the one-line summary on stderr."""

    articles: int = 0
    cached: int = 0
    failed: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None

    def add(
        self, input_tokens: int, output_tokens: int, cost_usd: float | None, cached: bool
    ) -> None:
        self.articles += 1
        self.cached += int(cached)
        if cached:
            return  # a cache hit costs nothing now
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens
        if cost_usd is not None:
            self.cost_usd = (self.cost_usd or 0.0) + cost_usd

    def summary(self) -> str:
        parts = [
            f"{self.articles} article{'s' if self.articles != 1 else ''}",
            f"{self.input_tokens:,} input + {self.output_tokens:,} output tokens",
        ]
        if self.cost_usd is not None:
            parts.append(f"est. ${self.cost_usd:.4f}")
        if self.cached:
            parts.append(f"{self.cached} from cache")
        if self.failed:
            parts.append(f"{self.failed} failed")
        return "usage: " + ", ".join(parts)
