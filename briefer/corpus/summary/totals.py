"""A run's totals, and the one line that reports them at the end."""

from __future__ import annotations

from dataclasses import dataclass

from briefer.corpus.jobs import Briefed, Result


@dataclass
class Totals:
    """Counts over one run: what it briefed, skipped (already in OUT) and could not brief."""

    briefed: int = 0
    skipped: int = 0
    failed: int = 0
    claims: int = 0
    framing: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached: int = 0
    cost_usd: float | None = None
    seconds: float = 0.0

    def add(self, result: Result) -> None:
        outcome = result.outcome
        if not isinstance(outcome, Briefed):
            self.failed += 1
            return
        facts = outcome.facts
        self.briefed += 1
        self.claims += facts.claims
        self.framing += facts.framing
        if facts.cached:
            self.cached += 1
            return  # a cache hit costs nothing now
        self.input_tokens += facts.input_tokens
        self.output_tokens += facts.output_tokens
        if facts.cost_usd is not None:
            self.cost_usd = (self.cost_usd or 0.0) + facts.cost_usd

    def summary(self) -> str:
        plural = "" if self.briefed == 1 else "s"
        parts = [f"{self.briefed:,} article{plural} briefed"]
        if self.skipped:
            parts.append(f"{self.skipped:,} already in the output")
        parts.append(f"{self.failed:,} failed")
        parts.append(f"{self.claims:,} claims, {self.framing:,} framing items")
        if self.seconds > 0 and self.briefed:
            parts.append(f"{self.briefed / self.seconds:,.1f} articles/s in {self.seconds:,.1f} s")
        if self.input_tokens or self.output_tokens:
            parts.append(f"{self.input_tokens:,} input + {self.output_tokens:,} output tokens")
        if self.cached:
            parts.append(f"{self.cached:,} from cache")
        if self.cost_usd is not None:
            parts.append(f"est. ${self.cost_usd:.4f}")
        return "batch: " + ", ".join(parts)
