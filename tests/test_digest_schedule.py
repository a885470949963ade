"""--every: one catch-up after missed runs, cron times, clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import digest_fixtures as fx
import pytest

from briefer.errors import BrieferError
from briefer.schedule import Scheduler, check_cron, schedule_key
from briefer.state import State

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def scheduler(tmp_path: Path, clock: Clock, job: Callable[[Callable[[], bool]], None]) -> Scheduler:
    return Scheduler("0 7 * * *", job, tmp_path / "s.sqlite3", "schedule:test", clock=clock)


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

    sched = scheduler(tmp_path, clock, job)
    original_wait = sched.stop.wait

    def wait(timeout: float) -> bool:
        clock.now += timedelta(days=2, hours=3)  # the machine slept through two 07:00s
        return original_wait(0)

    sched.stop.wait = wait  # type: ignore[method-assign]
    sched.loop()
    assert len(runs) == 1
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
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stderr.readline, b"")))  # type: ignore[union-attr]
    reader.start()
    deadline = time.monotonic() + 60
    while not any(b"wrote a digest" in line for line in lines):
        assert process.poll() is None, b"".join(lines).decode()
        assert time.monotonic() < deadline, "no catch-up run"
        time.sleep(0.05)
    assert output.exists()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    reader.join(timeout=5)
    err = b"".join(lines).decode()
    assert "SIGTERM received" in err and "stopped after 1 run(s)" in err
    assert "Traceback" not in err
    with State(state) as db:
        assert db.check() == [] and db.pending_digests() == []
        assert len(db.sent_item_ids()) == 8
        assert db.get_meta(schedule_key(every, feeds)) != "2020-01-01T07:00:00+00:00"
