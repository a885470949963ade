"""The "brief these jobs" step, pluggable: a runner takes jobs and yields their results.

A runner may yield results in any order (the run puts them back in order), must yield exactly
one result per job it takes, and takes jobs lazily: never one further than ``Window.size``
past the oldest job whose result it has not yielded yet, so that the results waiting for a
slow one stay few. The process pool, the model-engine runner and the cluster runner are three;
a provider's batch API is another kind of runner (submit everything, collect later).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from briefer.corpus.jobs import Job, Result


class Runner(Protocol):
    name: str

    def results(self, jobs: Iterator[Job]) -> Iterator[Result]:
        """One result per job, in any order."""
        ...


class Window:
    """Which job may start next: none ``size`` or more past the oldest unfinished one."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a window holds at least one job")
        self.size = size
        self.open: set[int] = set()

    def admits(self, index: int) -> bool:
        return not self.open or index < min(self.open) + self.size

    def start(self, index: int) -> None:
        self.open.add(index)

    def finish(self, index: int) -> None:
        self.open.discard(index)

    def __len__(self) -> int:
        return len(self.open)


def window_for(workers: int) -> int:
    """Enough jobs ahead to keep every worker busy behind a slow article, few enough that the
    results held back by it are a few megabytes."""
    return max(32, 16 * workers)
