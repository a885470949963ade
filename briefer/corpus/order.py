"""Putting results back in input order: a reorder buffer.

Workers finish out of order; OUT is written in job order so that a run's output does not
depend on timing. The price: a slow job holds back the lines after it (they wait here, at most
a window of them, see ``runner.Window``), and a kill loses those waiting lines; the next run
briefs them again.
"""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class ReorderBuffer(Generic[T]):
    """Takes (index, value) in any order; gives back values in index order, 0, 1, 2, ..."""

    def __init__(self, start: int = 0) -> None:
        self.next = start
        self.held: dict[int, T] = {}

    def push(self, index: int, value: T) -> list[T]:
        """The values now ready, in order (none while the next index is missing)."""
        if index < self.next or index in self.held:
            raise ValueError(f"index {index} was already given")
        self.held[index] = value
        ready: list[T] = []
        while self.next in self.held:
            ready.append(self.held.pop(self.next))
            self.next += 1
        return ready

    def __len__(self) -> int:
        return len(self.held)
