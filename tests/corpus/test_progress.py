from __future__ import annotations

import io

from briefer.corpus.progress import Progress, clock_text


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_and_eta_on_a_terminal() -> None:
    stream, clock = Terminal(), Clock()
    progress = Progress(10, stream=stream, clock=clock, interval=1.0)
    clock.now = 102.0
    progress.advance(ok=True)
    progress.advance(ok=False)  # within the interval: not shown again
    assert stream.getvalue() == "\rbatch 1/10, 0.5 articles/s, ETA 0:18\x1b[K"
    clock.now = 104.0
    progress.advance(ok=True)
    assert stream.getvalue().endswith("\rbatch 3/10, 1 failed, 0.8 articles/s, ETA 0:09\x1b[K")
    progress.clear()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_the_last_article_is_always_shown() -> None:
    stream, clock = Terminal(), Clock()
    progress = Progress(2, stream=stream, clock=clock, interval=60.0)
    clock.now = 101.0
    progress.advance(ok=True)
    progress.advance(ok=True)
    assert stream.getvalue().endswith("batch 2/2, 2.0 articles/s, ETA 0:00\x1b[K")


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()  # isatty() is False
    progress = Progress(3, stream=stream, clock=Clock())
    for _ in range(3):
        progress.advance(ok=True)
    progress.clear()
    assert stream.getvalue() == ""
    assert progress.done == 3


def test_clock_text() -> None:
    assert clock_text(59.4) == "0:59"
    assert clock_text(3725) == "1:02:05"
    assert clock_text(-3) == "0:00"
