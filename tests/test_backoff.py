"""The shared retry schedule: waits asked for, attempts counted, deadline and hints honoured."""

from __future__ import annotations

import asyncio

import pytest

from briefer.backoff import Attempts, Backoff, async_retrying, retrying


class Flaky(Exception):
    pass


class Fatal(Exception):
    pass


def failing(times: int, then: object = "ok", error: type[Exception] = Flaky):
    calls = []

    def call() -> object:
        calls.append(1)
        if len(calls) <= times:
            raise error(f"failure {len(calls)}")
        return then

    return call, calls


def run(policy: Backoff, call, **kwargs):
    for attempt in retrying(policy, retry_if=lambda e: isinstance(e, Flaky), **kwargs):
        with attempt:
            return call()
    raise AssertionError("unreachable")


def test_waits_double_with_bounded_jitter_and_count_attempts() -> None:
    sleeps: list[float] = []
    counted = Attempts()
    call, calls = failing(3)
    assert (
        run(Backoff(attempts=4, base=1.0, cap=60), call, sleep=sleeps.append, attempts=counted)
        == "ok"
    )
    assert len(calls) == 4 and counted.calls == 4 and counted.retries == 3
    for step, wait in zip((1.0, 2.0, 4.0), sleeps, strict=True):
        assert step <= wait <= step + 1.0


def test_cap_bounds_every_wait() -> None:
    sleeps: list[float] = []
    call, _ = failing(6)
    run(Backoff(attempts=7, base=1.0, cap=5.0), call, sleep=sleeps.append)
    assert len(sleeps) == 6 and max(sleeps) <= 5.0 and sleeps[-1] == 5.0


def test_gives_up_with_the_last_error_after_the_attempts() -> None:
    sleeps: list[float] = []
    call, calls = failing(10)
    with pytest.raises(Flaky, match="failure 3"):
        run(Backoff(attempts=3), call, sleep=sleeps.append)
    assert len(calls) == 3 and len(sleeps) == 2


def test_an_error_not_retried_is_raised_at_once() -> None:
    sleeps: list[float] = []
    call, calls = failing(1, error=Fatal)
    with pytest.raises(Fatal):
        run(Backoff(attempts=4), call, sleep=sleeps.append)
    assert len(calls) == 1 and sleeps == []


def test_a_longer_server_hint_wins_a_shorter_one_does_not() -> None:
    sleeps: list[float] = []
    call, _ = failing(2)
    hints = iter([30.0, 0.0])
    run(
        Backoff(attempts=3, base=1.0, cap=60),
        call,
        sleep=sleeps.append,
        hint=lambda error: next(hints),
    )
    assert sleeps[0] == 30.0 and 2.0 <= sleeps[1] <= 3.0


def test_the_deadline_stops_before_a_wait_that_would_pass_it() -> None:
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    counted = Attempts()
    call, calls = failing(10)
    with pytest.raises(Flaky):
        run(
            Backoff(attempts=10, base=4.0, cap=60, deadline=20.0),
            call,
            sleep=sleep,
            clock=lambda: now[0],
            attempts=counted,
        )
    # 4-8 s, then 8-12 s would end at or past 20 s only sometimes; never past it.
    assert sum(sleeps) < 20.0 and counted.out_of_time and len(calls) == len(sleeps) + 1


def test_on_retry_reports_each_failure_and_wait() -> None:
    seen: list[tuple[str, int, float]] = []
    call, _ = failing(2)
    run(
        Backoff(attempts=3, base=1.0),
        call,
        sleep=lambda s: None,
        on_retry=lambda error, number, wait: seen.append((str(error), number, wait)),
    )
    assert [(text, number) for text, number, _ in seen] == [("failure 1", 1), ("failure 2", 2)]


def test_async_form_shares_a_deadline_through_started() -> None:
    now = [50.0]
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    async def main() -> None:
        call, calls = failing(10)
        # Started 19 s ago under a 20 s deadline: no room for even the first wait.
        policy = Backoff(attempts=5, base=1.0, deadline=20.0)
        with pytest.raises(Flaky):
            async for attempt in async_retrying(
                policy,
                retry_if=lambda e: isinstance(e, Flaky),
                sleep=sleep,
                clock=lambda: now[0],
                started=31.0,
            ):
                with attempt:
                    call()
        assert len(calls) == 1 and sleeps == []

    asyncio.run(main())


def test_at_least_one_attempt() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Backoff(attempts=0)
