"""One retry schedule for everything that talks to a server (model calls, SMTP), on tenacity.

Exponential backoff from ``base`` seconds, doubling per retry, plus up to ``base`` seconds of
random jitter so that many clients (cron jobs, batch workers) do not retry in step, capped at
``cap``. A wait the server asks for (Retry-After) wins when it is longer. An optional total
deadline is measured on an injected clock, and the sleep is injected too, so tests assert on
the waits asked for instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import tenacity

Clock = Callable[[], float]
Hint = Callable[[BaseException], float | None]


@dataclass(frozen=True)
class Backoff:
    attempts: int = 4
    base: float = 0.5
    cap: float = 20.0
    deadline: float | None = None

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")


@dataclass
class Attempts:
    """What a retried call did, for provenance, messages and tests."""

    calls: int = 0
    retries: int = 0
    # The last failure was not retried because the deadline had no room for the next wait.
    out_of_time: bool = False


def retrying(
    policy: Backoff,
    *,
    retry_if: Callable[[BaseException], bool],
    sleep: Callable[[float], None] = time.sleep,
    attempts: Attempts | None = None,
    hint: Hint | None = None,
    clock: Clock = time.monotonic,
    started: float | None = None,
    on_retry: Callable[[BaseException, int, float], None] | None = None,
) -> tenacity.Retrying:
    """A tenacity ``Retrying`` that re-raises the last error when it gives up."""
    return tenacity.Retrying(
        sleep=sleep, **_arguments(policy, retry_if, attempts, hint, clock, started, on_retry)
    )


def async_retrying(
    policy: Backoff,
    *,
    retry_if: Callable[[BaseException], bool],
    sleep: Callable[[float], Awaitable[None]],
    attempts: Attempts | None = None,
    hint: Hint | None = None,
    clock: Clock = time.monotonic,
    started: float | None = None,
    on_retry: Callable[[BaseException, int, float], None] | None = None,
) -> tenacity.AsyncRetrying:
    """The asyncio form of ``retrying``; ``started`` lets several calls share one deadline."""
    return tenacity.AsyncRetrying(
        sleep=sleep, **_arguments(policy, retry_if, attempts, hint, clock, started, on_retry)
    )


def _arguments(
    policy: Backoff,
    retry_if: Callable[[BaseException], bool],
    attempts: Attempts | None,
    hint: Hint | None,
    clock: Clock,
    started: float | None,
    on_retry: Callable[[BaseException, int, float], None] | None,
) -> dict:
    counted = attempts if attempts is not None else Attempts()
    origin = clock() if started is None else started
    schedule = tenacity.wait_exponential(multiplier=policy.base, max=policy.cap) + (
        tenacity.wait_random(0, policy.base)
    )

    def wait(state: tenacity.RetryCallState) -> float:
        planned = min(policy.cap, schedule(state))
        asked = hint(_error(state)) if hint is not None else None
        return planned if asked is None else max(planned, asked)

    def stop(state: tenacity.RetryCallState) -> bool:
        if state.attempt_number >= policy.attempts:
            return True
        if policy.deadline is not None and clock() - origin + state.upcoming_sleep >= (
            policy.deadline
        ):
            counted.out_of_time = True
            return True
        return False

    def before(state: tenacity.RetryCallState) -> None:
        counted.calls += 1

    def before_sleep(state: tenacity.RetryCallState) -> None:
        counted.retries += 1
        if on_retry is not None:
            on_retry(_error(state), state.attempt_number, state.upcoming_sleep)

    return {
        "stop": stop,
        "wait": wait,
        "retry": tenacity.retry_if_exception(retry_if),
        "before": before,
        "before_sleep": before_sleep,
        "reraise": True,
    }


def _error(state: tenacity.RetryCallState) -> BaseException:
    assert state.outcome is not None and state.outcome.failed
    error = state.outcome.exception()
    assert error is not None
    return error
