"""``briefer digest --every CRON``: run digests on a cron schedule in the foreground.

- Times follow the machine's local time zone, as cron does.
- The last scheduled time that ran is kept in the state database. After downtime or sleep
  that skipped one or more scheduled times, exactly ONE catch-up run happens (at start-up or
  on waking), never one per missed time: a digest covers everything unsent anyway.
- SIGTERM/SIGINT: the first asks the current run to stop at the next safe point (between
  items; a send already under way completes and is recorded) and ends the loop; a second
  aborts at once, which the state's delivery protocol also makes safe (see
  ``briefer.digest.state.digests``).
"""

from __future__ import annotations

import hashlib
import logging
import signal
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from croniter import croniter

from briefer.digest.request import RunAborted
from briefer.digest.state import State
from briefer.errors import BrieferError

log = logging.getLogger(__name__)

# A suspended machine wakes up to find its monotonic sleep too short or too long; waking at
# least this often (seconds) re-reads the wall clock.
MAX_NAP = 30.0

Job = Callable[[Callable[[], bool]], None]
# What signal.signal() takes and returns: a function, SIG_DFL/SIG_IGN, or None (set outside Python).
_Handler = Callable[[int, FrameType | None], Any] | int | None


def check_cron(expression: str) -> None:
    if not croniter.is_valid(expression):
        raise BrieferError(
            f"--every {expression!r} is not a cron expression; use five fields, "
            "e.g. '0 7 * * *' (07:00 daily) or '*/30 * * * *'"
        )


def schedule_key(expression: str, sources: Sequence[str]) -> str:
    """Where the last run time is kept: one per schedule and source list."""
    basis = expression + "\n" + "\n".join(sources)
    return "schedule:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def local_now() -> datetime:
    return datetime.now().astimezone()


class Scheduler:
    def __init__(
        self,
        expression: str,
        job: Job,
        state_path: Path,
        key: str,
        *,
        clock: Callable[[], datetime] = local_now,
        stop: threading.Event | None = None,
        wait: Callable[[float], object] | None = None,
    ) -> None:
        check_cron(expression)
        self.expression = expression
        self.job = job
        self.state_path = state_path
        self.key = key
        self.clock = clock
        self.stop = stop or threading.Event()
        # Waiting is injectable (with the clock) so tests move time instead of sleeping.
        self.wait = wait or self.stop.wait
        self.runs = 0

    def _last(self) -> datetime | None:
        with State(self.state_path) as state:
            value = state.get_meta(self.key)
        return None if value is None else datetime.fromisoformat(value)

    def _record(self, fired: datetime) -> None:
        with State(self.state_path) as state:
            state.set_meta(self.key, fired.astimezone(UTC).isoformat(timespec="seconds"))

    def previous_fire(self, now: datetime) -> datetime:
        return croniter(self.expression, now).get_prev(datetime)

    def next_fire(self, after: datetime) -> datetime:
        return croniter(self.expression, after).get_next(datetime)

    def due_catch_up(self, now: datetime) -> datetime | None:
        """The most recent scheduled time if it was missed (a run was recorded before it)."""
        last = self._last()
        previous = self.previous_fire(now)
        if last is not None and last < previous:
            return previous
        return None

    def _run(self, fired: datetime, why: str) -> None:
        log.info("%s run for %s", why, fired.isoformat(timespec="minutes"))
        try:
            self.job(self.stop.is_set)
        except RunAborted as exc:
            log.warning("%s", exc)
        except BrieferError as exc:
            # A failed run is reported and the schedule goes on: the next run picks up
            # whatever this one did not send.
            log.error("scheduled digest failed: %s", exc)
        finally:
            self.runs += 1
            self._record(fired)

    def loop(self) -> None:
        now = self.clock()
        missed = self.due_catch_up(now)
        if missed is not None:
            self._run(missed, "catch-up")
        elif self._last() is None:
            # First start: remember it, so a later gap can be told from "never ran".
            self._record(self.previous_fire(now))
        target = self.next_fire(self.clock())
        log.info("next digest at %s", target.isoformat(timespec="minutes"))
        while not self.stop.is_set():
            now = self.clock()
            if now >= target:
                # Past one or more scheduled times (e.g. after sleep): run once, for the latest.
                fired = self.previous_fire(now) if self.next_fire(target) <= now else target
                self._run(fired, "scheduled")
                target = self.next_fire(self.clock())
                log.info("next digest at %s", target.isoformat(timespec="minutes"))
                continue
            self.wait(min(MAX_NAP, max((target - now).total_seconds(), 0.05)))


def install_signal_handlers(stop: threading.Event) -> Callable[[], None]:
    """First SIGTERM/SIGINT: stop safely; second: abort now. Returns a restore function."""
    previous: dict[int, _Handler] = {}
    if threading.current_thread() is not threading.main_thread():
        # Only the main thread may set handlers (e.g. briefer used from a worker thread).
        return lambda: None

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log.warning(
            "%s received: stopping after the current step (again to abort)",
            signal.Signals(signum).name,
        )
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        previous[signum] = signal.signal(signum, handler)

    def restore() -> None:
        for signum, old in previous.items():
            signal.signal(signum, old)

    return restore


def run_every(expression: str, job: Job, state_path: Path, sources: Sequence[str]) -> int:
    """Run ``job`` on the schedule until SIGTERM/SIGINT; returns the exit code (0)."""
    stop = threading.Event()
    scheduler = Scheduler(expression, job, state_path, schedule_key(expression, sources), stop=stop)
    restore = install_signal_handlers(stop)
    try:
        scheduler.loop()
    finally:
        restore()
    log.warning("stopped after %d run(s)", scheduler.runs)
    return 0
