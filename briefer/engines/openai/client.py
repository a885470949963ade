"""Talking to the model server: one request with its answer checked, the retries around it on
the shared schedule (``briefer.backoff``), and one-line errors that never include a key.

The SDK's own retries are off, so the attempts counted here are the only ones. 408, 409, 429,
5xx and timeouts are retried; a wait the server asks for (Retry-After) wins when it is longer
than the backoff; every call for one article shares one deadline, which also shortens the last
attempts' timeouts. Clock and sleep are parameters so that tests check the waits asked for
and where the deadline stopped, without waiting.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import json
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from briefer.backoff import Attempts, Backoff, async_retrying
from briefer.engines.openai.response import Outcome, check_shape, read_completion
from briefer.engines.openai.schema import json_schema
from briefer.errors import EngineError
from briefer.ground import excerpt

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
# Besides these, every 5xx is retried.
RETRY_STATUS = frozenset({408, 409, 429})


class NoJsonSchema(Exception):
    """The server turned ``json_schema`` structured output down."""


# ---- the client ----------------------------------------------------------------------------


@functools.cache
def tls_context() -> ssl.SSLContext | bool:
    """One TLS context for every client: loading the CA bundle takes ~50 ms per client."""
    try:
        import httpx2  # the SDK's HTTP library

        return httpx2.create_ssl_context()
    except (ImportError, AttributeError):
        return True  # let the SDK build its own


def new_client(*, api_key: str | None, base_url: str, timeout: float) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        # Local servers need no key, but the SDK insists on a non-empty one.
        api_key=api_key or "not-needed",
        base_url=base_url,
        max_retries=0,  # with_retries does the retrying, so every attempt is counted there
        timeout=timeout,
        http_client=openai.DefaultAsyncHttpxClient(verify=tls_context()),
    )


# ---- one request ---------------------------------------------------------------------------


@functools.cache
def response_format_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The strict ``json_schema`` response format for a response model (built once).

    The models forbid extra fields and have no defaults, so pydantic's schema already is the
    strict one (``additionalProperties: false``, every property required). Titles are left
    out: they repeat the property names and cost about 100 prompt tokens.
    """
    return {
        "type": "json_schema",
        "json_schema": {
            "name": schema.__name__,
            "schema": json_schema(schema),
            "strict": True,
        },
    }


def request_arguments(
    schema: type[BaseModel],
    *,
    json_mode: str,
    temperature: float | None,
    max_output_tokens: int | None,
) -> dict[str, Any]:
    """``response_format`` and the sampling arguments for ``json_mode``."""
    arguments: dict[str, Any] = {}
    if temperature is not None:
        arguments["temperature"] = temperature
    if not json_mode.startswith("json_object"):
        arguments["response_format"] = response_format_for(schema)
        if max_output_tokens:
            arguments["max_completion_tokens"] = max_output_tokens
        return arguments
    arguments["response_format"] = {"type": "json_object"}
    if json_mode == "json_object_schema":
        # An extension of llama.cpp's servers: the schema becomes a decoding grammar.
        arguments["response_format"] = {"type": "json_object", "schema": json_schema(schema)}
    if max_output_tokens:
        # Compatible servers (llama.cpp, vLLM, Ollama) know max_tokens.
        arguments["max_tokens"] = max_output_tokens
    return arguments


async def complete(
    client: openai.AsyncOpenAI,
    messages: list[dict[str, str]],
    schema: type[BaseModel],
    *,
    model: str,
    arguments: dict[str, Any],
    timeout: float,
) -> Outcome:
    """One request, and its answer checked the way the SDK's ``parse()`` checks it.

    ``parse()`` itself rebuilds the schema and re-validates the reply on every call (7 ms
    against 1.2 ms for this path, measured on a mock transport), which at 16 requests in
    flight cost a fifth of the batch time; the request it sends is the same as this one
    (``tests/engines/openai/test_client.py`` checks the schema).
    """
    schema_mode = arguments["response_format"]["type"] == "json_schema"
    try:
        raw = await client.chat.completions.with_raw_response.create(
            model=model,
            messages=messages,  # type: ignore[arg-type]
            timeout=timeout,
            **arguments,
        )
    except openai.APIStatusError as error:
        # Servers without json_schema answer 400, 422 or even 500 (llama-cpp-python).
        if schema_mode and error.status_code in (400, 422, 500) and _rejects_json_schema(error):
            raise NoJsonSchema from None
        raise
    outcome = _read(_json_body(raw.http_response))
    if outcome.data is None:
        return outcome
    try:
        schema.model_validate(outcome.data)
    except ValidationError as error:
        return check_shape(outcome, error, schema)
    return outcome


async def answer_body(
    client: openai.AsyncOpenAI,
    messages: list[dict[str, str]],
    *,
    model: str,
    arguments: dict[str, Any],
    timeout: float,
) -> dict[str, Any]:
    """One request whose whole completion body is wanted (the logprobs, not only the text)."""
    raw = await client.chat.completions.with_raw_response.create(
        model=model,
        messages=messages,  # type: ignore[arg-type]
        timeout=timeout,
        **arguments,
    )
    return _json_body(raw.http_response)


def _read(body: dict[str, Any]) -> Outcome:
    """The answer in a completion body; a refusal or a content-filter stop is an error."""
    choice = body["choices"][0] if isinstance(body["choices"][0], dict) else {}
    reason = choice.get("finish_reason")
    if reason == "content_filter":
        raise EngineError(
            "the model's content filter blocked the answer for this article "
            "(finish_reason=content_filter); try another model or provider"
        )
    refusal = (choice.get("message") or {}).get("refusal")
    if refusal:
        raise EngineError(f"the model refused to brief this article: {excerpt(refusal, 200)}")
    return read_completion(body, truncated=reason == "length")


def _rejects_json_schema(error: openai.APIStatusError) -> bool:
    text = str(error.message).lower() + json.dumps(error.body or {}).lower()
    return "json_schema" in text or "response_format" in text


def _json_body(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise EngineError("the model server's answer is not JSON; is --base-url right?") from None
    if not isinstance(body, dict) or not body.get("choices"):
        raise EngineError("the model server's answer has no choices; is --base-url right?")
    return body


# ---- retries -------------------------------------------------------------------------------


class _DeadlineSpent(Exception):
    """No time is left under the deadline for (the rest of) this attempt."""

    def __init__(self, calls: int) -> None:
        super().__init__(calls)
        self.calls = calls


async def with_retries(
    call: Callable[[float], Awaitable[T]],
    policy: Backoff,
    *,
    base_url: str,
    timeout: float,
    started: float,
    attempts: Attempts,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """Run ``call(limit)`` until it succeeds, fails for good, or the deadline runs out.

    ``started`` is a reading of ``clock``: every chunk of an article shares one deadline. Each
    attempt's ``limit`` is ``timeout``, or what is left of the deadline when that is less.
    """
    deadline = policy.deadline if policy.deadline is not None else float("inf")
    if deadline - (clock() - started) <= 0:
        raise EngineError(_deadline_spent(base_url, deadline, attempts.calls))
    limit = timeout
    retrying = async_retrying(
        policy,
        retry_if=retryable,
        sleep=sleep,
        attempts=attempts,
        hint=_asked_wait,
        clock=clock,
        started=started,
    )
    try:
        async for attempt in retrying:
            with attempt:
                left = deadline - (clock() - started)
                if left <= 0:
                    attempts.calls -= 1  # counted as it began, but never made
                    raise _DeadlineSpent(attempts.calls)
                limit = min(timeout, left)
                try:
                    return await call(limit)
                except openai.APITimeoutError:
                    if limit < timeout:
                        # The deadline cut this attempt short: raising --timeout would not help.
                        raise _DeadlineSpent(attempts.calls) from None
                    raise
    except _DeadlineSpent as spent:
        raise EngineError(_deadline_spent(base_url, deadline, spent.calls)) from None
    except openai.APIError as error:
        note = _note(attempts, deadline)
        raise EngineError(describe(error, base_url, timeout=limit, note=note)) from None
    raise AssertionError("tenacity neither returned nor raised")  # pragma: no cover


def retryable(error: BaseException) -> bool:
    if isinstance(error, openai.APITimeoutError | openai.APIConnectionError):
        # A refused connection will not fix itself in a second; a timeout may.
        return isinstance(error, openai.APITimeoutError)
    if isinstance(error, openai.APIStatusError):
        return error.status_code in RETRY_STATUS or error.status_code >= 500
    return False


def _asked_wait(error: BaseException) -> float | None:
    return retry_after(error) if isinstance(error, openai.APIStatusError) else None


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


def _note(attempts: Attempts, deadline: float) -> str:
    if attempts.out_of_time:
        return f"{_count(attempts.calls)}; no time left under the {deadline:g} s deadline to retry"
    # A single attempt needs no count: the message already says what happened.
    return _count(attempts.calls) if attempts.calls > 1 else ""


def _count(calls: int) -> str:
    return f"{calls} attempt" + ("" if calls == 1 else "s")


def _deadline_spent(base_url: str, deadline: float, calls: int) -> str:
    # No count when earlier calls for the same article (other chunks, a repair) used it up.
    tries = f" ({_count(calls)})" if calls else ""
    return (
        f"gave up on the model server at {base_url} after {deadline:g} s, the total "
        f"deadline{tries}; raise --deadline (engine.deadline, BRIEFER_DEADLINE) or try again "
        "later"
    )


# ---- errors --------------------------------------------------------------------------------


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
