"""Model engines: one process, ``concurrency`` requests at a time, through ``brief_many_async``.

A model engine waits on a server, not on the CPU, so one event loop with bounded concurrency
keeps the server busy. The loop runs in a thread of its own and hands results over a queue, so
the run writes each line as soon as it can. Jobs go to ``brief_many_async`` a window at a time:
the results waiting for a slow one stay within the window, at the cost of a short idle tail
at the end of each window.
"""

from __future__ import annotations

import asyncio
import itertools
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from briefer.corpus.jobs import Failed, Job, Result, briefed, failure_reason
from briefer.corpus.runner import window_for
from briefer.engines import Engine
from briefer.pipeline.batch import Outcome, brief_many_async


class _Stop(Exception):
    """Raised in ``on_done`` when the reader went away: cancels the rest of the window."""


@dataclass
class _End:
    error: BaseException | None = None


class ConcurrentRunner:
    """A ``Runner`` for engines that do I/O: ``concurrency`` articles in flight."""

    name = "concurrent"

    def __init__(self, engine: Engine, *, concurrency: int, window: int | None = None) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.engine = engine
        self.concurrency = concurrency
        self.window = window or window_for(concurrency)

    def results(self, jobs: Iterator[Job]) -> Iterator[Result]:
        handover: queue.Queue[Result | _End] = queue.Queue(maxsize=self.window)
        stop = threading.Event()
        thread = threading.Thread(
            target=self._produce, args=(jobs, handover, stop), name="briefer-batch", daemon=True
        )
        thread.start()
        try:
            while True:
                got = handover.get()
                if isinstance(got, _End):
                    if got.error is not None:
                        raise got.error
                    return
                yield got
        finally:
            stop.set()
            _drain(handover)
            thread.join()

    def _produce(
        self, jobs: Iterator[Job], handover: queue.Queue[Result | _End], stop: threading.Event
    ) -> None:
        end = _End()
        try:
            asyncio.run(self._windows(jobs, handover, stop))
        except _Stop:
            pass
        except BaseException as error:
            end.error = error
        _put(handover, end, stop, final=True)

    async def _windows(
        self, jobs: Iterator[Job], handover: queue.Queue[Result | _End], stop: threading.Event
    ) -> None:
        while chunk := list(itertools.islice(jobs, self.window)):
            if stop.is_set():
                raise _Stop

            def done(outcome: Outcome, chunk: list[Job] = chunk) -> None:
                job = chunk[outcome.index]
                if outcome.briefing is not None:
                    result = Result(job.index, job.item.id, briefed(outcome.briefing))
                else:
                    reason = failure_reason(outcome.error or RuntimeError("no briefing"))
                    result = Result(job.index, job.item.id, Failed(reason))
                if not _put(handover, result, stop):
                    raise _Stop

            await brief_many_async(
                [job.item.resolve for job in chunk],
                engine=self.engine,
                concurrency=self.concurrency,
                on_done=done,
            )


def _put(
    handover: queue.Queue[Result | _End],
    value: Result | _End,
    stop: threading.Event,
    *,
    final: bool = False,
) -> bool:
    """Hand a value over, unless the reader stopped; the end marker always goes."""
    while not stop.is_set():
        try:
            handover.put(value, timeout=0.1)
            return True
        except queue.Full:
            continue
    if final:
        _drain(handover)
        handover.put_nowait(value)
    return False


def _drain(handover: queue.Queue[Result | _End]) -> None:
    while True:
        try:
            handover.get_nowait()
        except queue.Empty:
            return
