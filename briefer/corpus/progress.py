"""Progress of a batch run on a terminal: done/total, failures, rate and ETA, in place.

Only where the stream is a terminal; a log file or a pipe gets the final summary alone. The
clock is injected so that tests can drive the rate and ETA without waiting.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


def clock_text(seconds: float) -> str:
    """``1:02:03`` / ``2:03``: hours only when there are some."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """``batch 120/924, 3 failed, 41.2 articles/s, ETA 0:19`` rewritten at most every
    ``interval`` seconds."""

    def __init__(
        self,
        total: int,
        *,
        stream: TextIO | None = None,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.25,
    ) -> None:
        self.total = total
        self.stream = sys.stderr if stream is None else stream
        self.enabled = self.stream.isatty() if tty is None else tty
        self.clock = clock
        self.interval = interval
        self.started = clock()
        self.done = 0
        self.failed = 0
        self.shown_at: float | None = None

    def advance(self, *, ok: bool) -> None:
        self.done += 1
        self.failed += 0 if ok else 1
        now = self.clock()
        last = self.done == self.total
        if self.enabled and (last or self.shown_at is None or now - self.shown_at >= self.interval):
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()
            self.shown_at = now

    def rate(self, now: float | None = None) -> float:
        elapsed = (self.clock() if now is None else now) - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def line(self, now: float) -> str:
        parts = [f"batch {self.done:,}/{self.total:,}"]
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        rate = self.rate(now)
        if rate > 0:
            parts.append(f"{rate:,.1f} articles/s")
            parts.append(f"ETA {clock_text((self.total - self.done) / rate)}")
        return ", ".join(parts)

    def clear(self) -> None:
        if self.enabled and self.shown_at is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown_at = None
