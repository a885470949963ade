"""Retries for model calls: 429, 5xx and timeouts, with exponential backoff and full jitter,
honouring Retry-After, all under one total deadline. The SDK's own retries are turned off so the
attempts counted here are the only ones.

The clock and the sleep are parameters (``time.monotonic`` and ``asyncio.sleep`` by default) so
that tests can check which waits were asked for and where the deadline stopped, without waiting.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import openai

from briefer.errors import EngineError

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
# Besides these, every 5xx is retried.
RETRY_STATUS = frozenset({408, 409, 429})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base: float = 0.5
    cap: float = 20.0
    deadline: float = 300.0

    def backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap, self.base * 2**attempt))


def retry_after(error: openai.APIStatusError, now: Callable[[], float] = time.time) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, then Retry-After), if any.

    ``now`` is the wall clock, which an HTTP-date Retry-After is measured against.
    """
    headers = error.response.headers
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # unreadable: fall back to our own backoff
    return max(0.0, parsed.timestamp() - now())


def describe(
    error: BaseException, base_url: str, *, timeout: float | None = None, note: str = ""
) -> str:
    """One line naming the problem and the fix; never includes a key.

    ``timeout`` is the per-request limit the last attempt had, named when it timed out; ``note``
    (how many attempts, say) goes between the problem and the fix.
    """
    problem, fix = _problem_and_fix(error, base_url, timeout)
    if note:
        problem += f" ({note})"
    return f"{problem}; {fix}" if fix else problem


def _problem_and_fix(error: BaseException, base_url: str, timeout: float | None) -> tuple[str, str]:
    server = f"the model server at {base_url}"
    if isinstance(error, openai.AuthenticationError):
        return f"{server} rejected the API key (401)", (
            "set OPENAI_API_KEY or BRIEFER_API_KEY to a valid key"
        )
    if isinstance(error, openai.NotFoundError):
        return f"{server} answered 404", (
            "check --model and --base-url (an OpenAI-compatible base URL usually ends in /v1)"
        )
    if isinstance(error, openai.APITimeoutError):
        within = "in time" if timeout is None else f"within {timeout:g} seconds"
        return f"{server} did not answer {within}", "raise --timeout"
    if isinstance(error, openai.APIConnectionError):
        return f"cannot reach {server}", "is it running? (check --base-url / BRIEFER_BASE_URL)"
    if isinstance(error, openai.RateLimitError):
        return f"{server} kept answering 429 (rate limit)", "try again later"
    if isinstance(error, openai.APIStatusError):
        return f"{server} answered HTTP {error.status_code}: {_message(error)}", ""
    return f"model call failed: {type(error).__name__}", ""


def _message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return " ".join(inner["message"].split())[:200]
    return " ".join(str(error.message).split())[:200]


def retryable(error: BaseException) -> bool:
    if isinstance(error, openai.APITimeoutError | openai.APIConnectionError):
        # A refused connection will not fix itself in a second; a timeout may.
        return isinstance(error, openai.APITimeoutError)
    if isinstance(error, openai.APIStatusError):
        return error.status_code in RETRY_STATUS or error.status_code >= 500
    return False


@dataclass
class Attempts:
    """How many calls were made and how many were retries (for provenance and tests)."""

    calls: int = 0
    retries: int = 0


async def with_retries(
    call: Callable[[float], Awaitable[T]],
    policy: RetryPolicy,
    *,
    base_url: str,
    timeout: float,
    started: float,
    attempts: Attempts,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """Run ``call(timeout)`` until it succeeds, a non-retryable error, or the deadline.

    ``started`` is a reading of ``clock``: every chunk of an article shares one deadline.
    """
    attempt = 0
    while True:
        remaining = policy.deadline - (clock() - started)
        if remaining <= 0:
            raise EngineError(_deadline_spent(base_url, policy, attempts.calls))
        limit = min(timeout, remaining)
        attempts.calls += 1
        try:
            return await call(limit)
        except openai.APIError as error:
            if isinstance(error, openai.APITimeoutError) and limit < timeout:
                # The deadline cut this attempt short, so --timeout is not what to raise.
                raise EngineError(_deadline_spent(base_url, policy, attempts.calls)) from None
            if not retryable(error) or attempt + 1 >= policy.attempts:
                # A single attempt needs no count: the message already says what happened.
                note = _count(attempts.calls) if attempts.calls > 1 else ""
                raise EngineError(describe(error, base_url, timeout=limit, note=note)) from None
            wait = policy.backoff(attempt)
            if isinstance(error, openai.APIStatusError):
                asked = retry_after(error)
                if asked is not None:
                    wait = max(wait, asked)
            if clock() - started + wait >= policy.deadline:
                note = (
                    f"{_count(attempts.calls)}; no time left under the {policy.deadline:g} s "
                    "deadline to retry"
                )
                raise EngineError(describe(error, base_url, timeout=limit, note=note)) from None
            attempt += 1
            attempts.retries += 1
            await sleep(wait)


def _count(calls: int) -> str:
    return f"{calls} attempt" + ("" if calls == 1 else "s")


def _deadline_spent(base_url: str, policy: RetryPolicy, calls: int) -> str:
    # No count when earlier calls for the same article (other chunks, a repair) used it up.
    tries = f" ({_count(calls)})" if calls else ""
    return (
        f"gave up on the model server at {base_url} after {policy.deadline:g} s, the total "
        f"deadline{tries}; raise engine.deadline or try again later"
    )
