from __future__ import annotations

import pytest

from briefer.corpus.order import ReorderBuffer
from briefer.corpus.runner import Window


def test_values_come_out_in_index_order() -> None:
    buffer: ReorderBuffer[str] = ReorderBuffer()
    assert buffer.push(2, "c") == []
    assert buffer.push(1, "b") == []
    assert len(buffer) == 2
    assert buffer.push(0, "a") == ["a", "b", "c"]
    assert buffer.push(3, "d") == ["d"]
    assert len(buffer) == 0


def test_an_index_given_twice_is_an_error() -> None:
    buffer: ReorderBuffer[str] = ReorderBuffer()
    buffer.push(0, "a")
    with pytest.raises(ValueError, match="already given"):
        buffer.push(0, "again")
    buffer.push(2, "c")
    with pytest.raises(ValueError, match="already given"):
        buffer.push(2, "again")


def test_window_admits_nothing_size_or_more_past_the_oldest_open_job() -> None:
    window = Window(3)
    assert window.admits(10)  # nothing open: anything may start
    window.start(0)
    window.start(1)
    assert window.admits(2) and not window.admits(3)
    window.finish(1)
    assert not window.admits(3)  # job 0 still holds the window back
    window.finish(0)
    assert window.admits(3)
    with pytest.raises(ValueError):
        Window(0)
