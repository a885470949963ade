"""The engine's own code, run twice per article around the batch.

Before: the engine briefs the article against a transport that keeps each request and answers
it with an empty briefing, sending nothing. What it kept is the first round of requests the
article needs (the checked questions, the seeded review's chunks, the free extraction's chunks),
exactly as a synchronous run sends them; none of them depends on an earlier answer.

After: the engine briefs the article again against a transport that answers each request the
batch answered with that answer. So the parsing, grounding, checks, merge and cache are the
synchronous path's, not a copy of it. A request the batch did not hold (the free extraction's
repair, which depends on the first answer) goes to the server synchronously.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2
import openai

from briefer.contract import Article
from briefer.engines.drafts import Draft
from briefer.engines.openai.client import tls_context

if TYPE_CHECKING:
    from briefer.engines.openai.engine import OpenAIEngine

T = TypeVar("T")
# What the recording transport answers: valid for the free extraction (nothing to ground, so no
# repair), no usable verdict for the seeded review, neither yes nor no for a checked question.
_EMPTY = json.dumps({"bluf": "", "claims": [], "framing": []})


def dry_engine(engine: OpenAIEngine) -> OpenAIEngine:
    """An engine with ``engine``'s settings that neither reads nor writes the cache, asking one
    request at a time (so that the requests are kept in the order they are built)."""
    from briefer.engines.openai.engine import OpenAIEngine

    settings = engine.settings.model_copy(update={"concurrency": 1})
    dry = OpenAIEngine(settings=settings, no_cache=True)
    dry.json_mode = engine.json_mode  # "auto" may have settled on json_object already
    return dry


def requests_for(dry: OpenAIEngine, article: Article, seed: Draft | None) -> list[dict[str, Any]]:
    """The request bodies a synchronous run sends first for ``article``, none of them sent."""
    recorder = _Recorder()
    _run(_brief(dry, article, seed, recorder, api_key=None))
    return recorder.bodies


def replay(
    engine: OpenAIEngine,
    article: Article,
    seed: Draft | None,
    answers: dict[str, dict[str, Any]],
    digest: Any,
) -> tuple[Draft, int]:
    """The engine's draft with each request answered from ``answers`` (completion bodies by
    request digest, ``digest(body)``); and how many requests went to the server instead.

    Only the free extraction (no seed) may send one: its repair. In the seeded modes every
    request is in the batch, so one that is not is refused rather than sent at full price."""
    forward = httpx2.AsyncHTTPTransport(verify=tls_context()) if seed is None else None
    served = _Served(answers, digest, forward)
    key = engine.settings.api_key
    draft = _run(
        _brief(engine, article, seed, served, api_key=key.get_secret_value() if key else None)
    )
    return draft, served.forwarded


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run``, on a private loop in a thread when called from a running loop (a
    notebook), as ``OpenAIEngine.analyze_seeded`` does."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _brief(
    engine: OpenAIEngine,
    article: Article,
    seed: Draft | None,
    transport: httpx2.AsyncBaseTransport,
    *,
    api_key: str | None,
) -> Draft:
    client = openai.AsyncOpenAI(
        api_key=api_key or "not-needed",
        base_url=engine.base_url,
        max_retries=0,  # as the engine's own client: its retry loop counts every attempt
        timeout=engine.settings.timeout,
        http_client=openai.DefaultAsyncHttpxClient(transport=transport),
    )
    try:
        return await engine.analyze_on(client, article, seed)
    finally:
        await client.close()


class _Recorder(httpx2.AsyncBaseTransport):
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.bodies.append(json.loads(request.content))
        return httpx2.Response(200, json=_completion(_EMPTY))


class _Served(httpx2.AsyncBaseTransport):
    def __init__(
        self,
        answers: dict[str, dict[str, Any]],
        digest: Any,
        forward: httpx2.AsyncBaseTransport | None,
    ) -> None:
        self.answers = answers
        self.digest = digest
        self.forward = forward
        self.forwarded = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = self.answers.get(self.digest(json.loads(request.content)))
        if body is not None:
            return httpx2.Response(200, json=body)
        if self.forward is None:
            message = "briefer: this request is not in the batch (the engine built another one)"
            return httpx2.Response(400, json={"error": {"message": message}})
        self.forwarded += 1
        return await self.forward.handle_async_request(request)

    async def aclose(self) -> None:
        if self.forward is not None:
            await self.forward.aclose()


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "dry-run",
        "object": "chat.completion",
        "created": 0,
        "model": "dry-run",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }
