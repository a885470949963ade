"""--every: one catch-up after missed runs, cron times, clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import digest_fixtures as fx
import pytest

from briefer.digest.schedule import MAX_NAP, Scheduler, check_cron, schedule_key
from briefer.digest.state import State
from briefer.errors import BrieferError

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def scheduler(
    tmp_path: Path,
    clock: Clock,
    job: Callable[[Callable[[], bool]], None],
    wait: Callable[[float], object] | None = None,
) -> Scheduler:
    return Scheduler(
        "0 7 * * *", job, tmp_path / "s.sqlite3", "schedule:test", clock=clock, wait=wait
    )


def test_first_start_waits_for_the_next_time(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    runs: list[datetime] = []
    sched = scheduler(tmp_path, clock, lambda stop: runs.append(clock.now))
    assert sched.due_catch_up(clock.now) is None
    sched.stop.set()
    sched.loop()
    assert runs == []
    assert sched.next_fire(clock.now) == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


def test_one_catch_up_after_several_missed_runs(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    runs: list[datetime] = []
    sched = scheduler(tmp_path, clock, lambda stop: runs.append(clock.now))
    with State(tmp_path / "s.sqlite3") as state:
        # Last ran three days ago: three 07:00 runs were missed.
        state.set_meta("schedule:test", "2026-11-22T07:00:00+00:00")
    sched.stop.set()  # stop after start-up
    sched.loop()
    assert len(runs) == 1
    with State(tmp_path / "s.sqlite3") as state:
        assert state.get_meta("schedule:test") == "2026-11-25T07:00:00+00:00"
    # Restarting the same morning does not run again.
    sched2 = scheduler(tmp_path, clock, lambda stop: runs.append(clock.now))
    assert sched2.due_catch_up(clock.now) is None


def test_waking_past_several_times_runs_once(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 25, 6, 59, 59, tzinfo=UTC))
    runs: list[datetime] = []

    def job(stop: Callable[[], bool]) -> None:
        runs.append(clock.now)
        sched.stop.set()

    naps: list[float] = []

    def wait(timeout: float) -> None:
        naps.append(timeout)
        clock.now += timedelta(days=2, hours=3)  # the machine slept through two 07:00s

    sched = scheduler(tmp_path, clock, job, wait)
    sched.loop()
    assert len(runs) == 1
    # One nap of at most a second (the time to 07:00), never longer than MAX_NAP.
    assert naps == [1.0]
    with State(tmp_path / "s.sqlite3") as state:
        assert state.get_meta("schedule:test") == "2026-11-27T07:00:00+00:00"


def test_a_failed_run_is_logged_and_the_schedule_goes_on(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))

    def job(stop: Callable[[], bool]) -> None:
        raise BrieferError("SMTP down")

    sched = scheduler(tmp_path, clock, job)
    with State(tmp_path / "s.sqlite3") as state:
        state.set_meta("schedule:test", "2026-11-24T07:00:00+00:00")
    sched.stop.set()
    sched.loop()
    assert sched.runs == 1


def test_bad_cron_is_a_user_error() -> None:
    with pytest.raises(BrieferError, match="not a cron expression"):
        check_cron("every morning")
    check_cron("*/5 * * * *")


def test_naps_are_capped_so_the_wall_clock_is_read_again(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 25, 6, 58, tzinfo=UTC))
    naps: list[float] = []
    runs: list[datetime] = []

    def job(stop: Callable[[], bool]) -> None:
        runs.append(clock.now)
        sched.stop.set()

    def wait(timeout: float) -> None:
        naps.append(timeout)
        clock.now += timedelta(seconds=timeout)

    sched = scheduler(tmp_path, clock, job, wait)
    sched.loop()
    assert naps == [MAX_NAP] * 4  # two minutes to 07:00 in naps of MAX_NAP
    assert runs == [datetime(2026, 11, 25, 7, 0, tzinfo=UTC)]


def _stop(process: subprocess.Popen) -> None:
    """Kill a child that is still running and reap it, whatever the test's outcome."""
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)


def test_sigterm_stops_the_foreground_loop_cleanly(tmp_path: Path, http_server: object) -> None:
    feeds = list(fx.install(http_server, datetime.now(UTC)).values())
    state = tmp_path / "state.sqlite3"
    every = "0 7 * * *"
    with State(state) as db:
        # A recorded run long ago: the loop starts with a catch-up run, then waits.
        db.set_meta(schedule_key(every, feeds), "2020-01-01T07:00:00+00:00")
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFER_", "OPENAI_"))}
    environ.update(BRIEFER_CONFIG=str(config), BRIEFER_ENGINE="rules", PYTHONPATH=str(ROOT))
    output = tmp_path / "digest.html"
    command = [sys.executable, "-m", "briefer", "digest", *feeds, "--state", str(state)]
    command += ["-o", str(output), "--mark-sent", "--every", every]
    process = subprocess.Popen(command, env=environ, stderr=subprocess.PIPE, cwd=ROOT)
    lines: list[bytes] = []
    wrote = threading.Event()

    def read() -> None:
        for line in iter(process.stderr.readline, b""):  # type: ignore[union-attr]
            lines.append(line)
            if b"wrote a digest" in line:
                wrote.set()
        wrote.set()  # stderr closed: the child exited

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        # The bound only turns a hang into a failure; the catch-up run takes a second or two.
        assert wrote.wait(timeout=120), "no catch-up run"
        assert process.poll() is None, b"".join(lines).decode()
        assert output.exists()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        _stop(process)
        reader.join(timeout=10)
    err = b"".join(lines).decode()
    assert "SIGTERM received" in err and "stopped after 1 run(s)" in err
    assert "Traceback" not in err
    with State(state) as db:
        assert fx.problems(db) == [] and db.pending_digests() == []
        assert len(fx.sent_item_ids(db)) == 8
        assert db.get_meta(schedule_key(every, feeds)) != "2020-01-01T07:00:00+00:00"
