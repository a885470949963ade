"""The model client: the request format, Retry-After, and retries on the shared schedule under
one deadline."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
import openai
import pytest
from openai_server import FakeTime

from briefer.backoff import Attempts, Backoff
from briefer.engines.openai import response_format_for
from briefer.engines.openai.client import retry_after, with_retries
from briefer.engines.openai.schema import LLMBriefing, LLMRepair
from briefer.errors import EngineError


@pytest.mark.parametrize("model", [LLMBriefing, LLMRepair])
def test_request_format_is_what_the_sdk_parse_sends(model: type) -> None:
    from openai.lib._parsing._completions import type_to_response_format_param

    from briefer.engines.openai.schema import without_titles

    sdk = type_to_response_format_param(model)
    sdk["json_schema"]["schema"] = without_titles(sdk["json_schema"]["schema"])
    assert response_format_for(model) == sdk


def _status_error(status: int, **headers: str) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(status, headers=headers, request=request)
    kind = openai.RateLimitError if status == 429 else openai.InternalServerError
    return kind("scripted", response=response, body=None)


def _timeout_error() -> openai.APITimeoutError:
    return openai.APITimeoutError(httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions"))


def test_retry_after_forms() -> None:
    def error(**headers: str) -> openai.APIStatusError:
        return _status_error(429, **headers)

    assert retry_after(error(**{"retry-after-ms": "250"})) == 0.25
    assert retry_after(error(**{"retry-after": "2"})) == 2.0
    assert retry_after(error(**{"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0.0
    assert retry_after(error(**{"retry-after": "soon"})) is None
    assert retry_after(error()) is None
    date = error(**{"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert retry_after(date, now=lambda: 1445412480.0 - 90) == 90.0  # measured on ``now``


def _retry(
    fake: FakeTime,
    call: Any,
    *,
    attempts: int = 4,
    deadline: float = 300.0,
    timeout: float = 60.0,
    started: float | None = None,
) -> tuple[Any, Attempts]:
    counted = Attempts()
    result = asyncio.run(
        with_retries(
            call,
            Backoff(attempts=attempts, base=0.5, deadline=deadline),
            base_url="http://model.test/v1",
            timeout=timeout,
            started=fake.now if started is None else started,
            attempts=counted,
            clock=fake.clock,
            sleep=fake.sleep,
        )
    )
    return result, counted


def test_backoff_grows_and_stays_under_its_cap() -> None:
    fake = FakeTime()
    failures = [_status_error(500) for _ in range(5)]

    async def call(timeout: float) -> str:
        if failures:
            raise failures.pop()
        return "ok"

    result, counted = _retry(fake, call, attempts=6)
    assert result == "ok" and (counted.calls, counted.retries) == (6, 5)
    assert len(fake.sleeps) == 5
    for attempt, wait in enumerate(fake.sleeps):
        # The shared schedule (briefer.backoff): base * 2^attempt plus up to base of jitter.
        assert 0.5 * 2**attempt <= wait <= 0.5 * 2**attempt + 0.5


def test_each_attempt_gets_at_most_what_is_left_of_the_deadline() -> None:
    fake = FakeTime()
    given: list[float] = []

    async def call(timeout: float) -> str:
        given.append(timeout)
        fake.now += 7.0  # the request used 7 s of the 10 s deadline before failing
        if len(given) == 1:
            raise _status_error(503, **{"retry-after": "1"})
        raise _timeout_error()

    with pytest.raises(EngineError) as info:
        _retry(fake, call, deadline=10.0, timeout=5.0)
    # 5 s asked for the first attempt; after 7 s and a 1 s wait only 2 s were left.
    assert given == [5.0, 2.0] and fake.sleeps == [1.0]
    # The deadline cut the second attempt short: raising --timeout would not have helped.
    assert str(info.value) == (
        "gave up on the model server at http://model.test/v1 after 10 s, the total deadline "
        "(2 attempts); raise --deadline (engine.deadline, BRIEFER_DEADLINE) or try again later"
    )


def test_a_spent_deadline_makes_no_call() -> None:
    fake = FakeTime()
    calls: list[float] = []

    async def call(timeout: float) -> str:
        calls.append(timeout)
        return "ok"

    # Another chunk of the same article already used the whole deadline.
    with pytest.raises(EngineError, match=r"after 10 s, the total deadline; raise --deadline"):
        _retry(fake, call, deadline=10.0, started=fake.now - 10.0)
    assert calls == [] and fake.sleeps == []


def test_a_refused_connection_is_not_retried() -> None:
    fake = FakeTime()
    request = httpx2.Request("POST", "http://model.test/v1/chat/completions")

    async def call(timeout: float) -> str:
        raise openai.APIConnectionError(request=request)

    with pytest.raises(EngineError) as info:
        _retry(fake, call)
    assert str(info.value) == (
        "cannot reach the model server at http://model.test/v1; is it running? "
        "(check --base-url / BRIEFER_BASE_URL)"
    )
    assert fake.sleeps == []


def test_a_deadline_spent_while_waiting_makes_no_further_call() -> None:
    fake = FakeTime()
    calls: list[float] = []

    async def late_sleep(seconds: float) -> None:
        fake.sleeps.append(seconds)
        fake.now += 60.0  # the machine woke up long after the wait it was asked for

    async def call(timeout: float) -> str:
        calls.append(timeout)
        raise _status_error(503, **{"retry-after": "1"})

    counted = Attempts()
    with pytest.raises(EngineError) as info:
        asyncio.run(
            with_retries(
                call,
                Backoff(attempts=4, base=0.5, deadline=10.0),
                base_url="http://model.test/v1",
                timeout=5.0,
                started=fake.now,
                attempts=counted,
                clock=fake.clock,
                sleep=late_sleep,
            )
        )
    assert calls == [5.0] and (counted.calls, counted.retries) == (1, 1)
    assert str(info.value) == (
        "gave up on the model server at http://model.test/v1 after 10 s, the total deadline "
        "(1 attempt); raise --deadline (engine.deadline, BRIEFER_DEADLINE) or try again later"
    )
