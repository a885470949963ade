"""``OpenAIEngine``: one article through an OpenAI-compatible chat endpoint.

Per article: cache lookup -> chunk if over budget -> per chunk: prompt, call (retried), parse,
ground every item inside its cited paragraph, one bounded repair -> merge -> cache. The
pipeline cross-checks the result with the rules engine (``crosscheck``).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar, TypeVar

import openai
from pydantic import BaseModel

from briefer.backoff import Attempts, Backoff
from briefer.config import load_settings
from briefer.contract import Article
from briefer.engines.base import Engine
from briefer.engines.drafts import Draft
from briefer.engines.openai import checks, seeded
from briefer.engines.openai.cache import DraftCache, cache_key
from briefer.engines.openai.chunking import split as split_article
from briefer.engines.openai.client import (
    NoJsonSchema,
    answer_body,
    complete,
    new_client,
    request_arguments,
    tls_context,
    with_retries,
)
from briefer.engines.openai.grounding import Grounded
from briefer.engines.openai.merge import merge
from briefer.engines.openai.options import (
    DEFAULT_MODEL,
    OPENAI_URL,
    OpenAIOptions,
    effective_settings,
)
from briefer.engines.openai.prompting import (
    Paragraph,
    PromptSet,
    article_messages,
    with_schema_prompt,
)
from briefer.engines.openai.repair import Chunk, Messages, free_output_cap, settle
from briefer.engines.openai.response import Outcome
from briefer.engines.openai.schema import LLM_SCHEMA_VERSION, LLMBriefing
from briefer.engines.openai.tokens import Tokenizer, tokenizer_for
from briefer.engines.openai.usage import CallStats, Usage
from briefer.errors import ConfigError, EngineError

T = TypeVar("T")


class OpenAIEngine(Engine):
    """Any OpenAI-compatible chat endpoint (OpenAI, Azure, Ollama, vLLM, llama.cpp's server,
    LM Studio), with structured output from ``briefer.engines.openai.schema``."""

    name: ClassVar[str] = "openai"
    auto_priority: ClassVar[int] = 10
    Options = OpenAIOptions
    options: OpenAIOptions

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # The settings in effect: [engine] (or ``settings``) with the options laid over it.
        settings = self.settings = effective_settings(self.options)
        self.model = settings.model or DEFAULT_MODEL
        self.base_url = (settings.base_url or OPENAI_URL).rstrip("/")
        self.prompts = PromptSet(settings.prompts)
        self.policy = Backoff(
            attempts=settings.retries, base=settings.backoff, deadline=settings.deadline
        )
        self.use_cache = settings.cache and not self.options.no_cache
        self.cache = DraftCache(self.options.cache_path or settings.cache_dir_path())
        # "auto" becomes "json_object" for good once the server turns json_schema down.
        self.json_mode: str = settings.json_mode
        self.crosscheck = settings.crosscheck
        self.seeded = settings.extraction in ("seeded", "checked")
        self.checked = settings.extraction == "checked"
        self.concurrency = max(1, settings.concurrency)
        self._clock = self.options.clock or time.monotonic
        self._sleep = self.options.sleep or asyncio.sleep
        self.stats = CallStats()
        # One client per event loop: an httpx client cannot outlive the loop it was used on.
        self._client_for: tuple[asyncio.AbstractEventLoop, openai.AsyncOpenAI] | None = None
        tls_context()  # built here, once per process, rather than inside the first request
        if self.use_cache:
            self.cache.open()  # create the file now, not while the first article waits

    # ---- interface -------------------------------------------------------------------------

    @classmethod
    def is_configured(cls, **options: Any) -> bool:
        if options.get("api_key") or options.get("base_url"):
            return True
        try:
            settings = options.get("settings") or load_settings().engine
        except ConfigError:
            return False
        return bool(settings.api_key or settings.base_url)

    def analyze(self, article: Article) -> Draft:
        return self.analyze_seeded(article, None)

    def analyze_seeded(self, article: Article, seed: Draft | None) -> Draft:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self._analyze_closing(article, seed))
        # Called from inside a running loop (a notebook): run on a private loop in a thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self._analyze_closing(article, seed)).result()

    async def analyze_async(self, article: Article) -> Draft:
        return await self._analyze(article, self._client())

    async def analyze_seeded_async(self, article: Article, seed: Draft) -> Draft:
        return await self._analyze(article, self._client(), seed)

    async def analyze_on(
        self, client: openai.AsyncOpenAI, article: Article, seed: Draft | None = None
    ) -> Draft:
        """``analyze_seeded`` on a client of the caller's (the Batch API runner's, whose
        transport answers from a batch's output)."""
        return await self._analyze(article, client, seed)

    async def aclose(self) -> None:
        """Close the HTTP client used by ``analyze_async`` on the running loop."""
        current, self._client_for = self._client_for, None
        if current is not None and current[0] is asyncio.get_running_loop():
            await current[1].close()

    # ---- one article -----------------------------------------------------------------------

    @functools.cached_property
    def _tokenizer(self) -> Tokenizer:
        # The model is fixed per engine; built on first use, not at start-up (the encoding
        # file is read and hash-checked) and not per article or per call.
        return tokenizer_for(self.model)

    async def _analyze_closing(self, article: Article, seed: Draft | None) -> Draft:
        client = self._new_client()
        try:
            return await self._analyze(article, client, seed)
        finally:
            await client.close()

    def draft_key(self, article: Article, seed: Draft | None) -> str:
        """The cache key of the draft of ``article`` (reviewing ``seed``, if any)."""
        # A seeded draft depends on the candidates as much as on the text.
        suffix = ""
        if seed is not None:
            digest = hashlib.sha256(seed.model_dump_json().encode()).hexdigest()
            prompts = self.prompts.check_digest if self.checked else self.prompts.seeded_digest
            suffix = f":{prompts[:16]}:{digest[:16]}"
            if self.checked:
                suffix += f":{self.settings.check_threshold}"
        return cache_key(
            article_sha256=article.sha256,
            engine=f"{self.name}@{self.base_url}",
            model=self.model,
            prompt_digest=self.prompts.digest + suffix,
            llm_schema=LLM_SCHEMA_VERSION,
        )

    async def _analyze(
        self, article: Article, client: openai.AsyncOpenAI, seed: Draft | None = None
    ) -> Draft:
        key = self.draft_key(article, seed)
        if self.use_cache:
            hit = await asyncio.to_thread(self.cache.get, key)
            if hit is not None:
                return hit.model_copy(update={"cached": True})
        if self._api_key() is None and self.base_url == OPENAI_URL:
            raise ConfigError(
                "no API key for OpenAI: set OPENAI_API_KEY (or BRIEFER_API_KEY), or point "
                "--base-url at a local server"
            )
        if self.checked and seed is not None:
            # Questions about sentences: the article itself is neither sent nor counted.
            draft = await self._checked(client, article, seed)
            if self.use_cache:
                await asyncio.to_thread(self.cache.put, key, draft)
            return draft
        tokenizer = self._tokenizer
        tokens = tokenizer.count(article.text)
        self.stats.article_tokens += tokens
        chunk_tokens = self.settings.chunk_tokens
        groups = split_article(article.text, chunk_tokens, tokenizer.count, tokens=tokens)
        self.stats.chunks += len(groups)
        started = self._clock()
        limit = asyncio.Semaphore(self.concurrency)
        numbered = seeded.numbered_sentences(article.text) if seed is not None else []

        async def one(part: int, group: list[Paragraph]) -> tuple[Grounded, Usage]:
            async with limit:
                if seed is not None:
                    return await self._seeded_chunk(client, article, group, seed, numbered, started)
                # One chunk is the whole article, whose tokens are counted already.
                whole = tokens if len(groups) == 1 else None
                return await self._chunk(client, article, group, part, len(groups), started, whole)

        results = await asyncio.gather(*(one(i, g) for i, g in enumerate(groups, start=1)))
        draft = merge(
            results,
            model=self.model,
            prompt_version=self.prompts.version,
            chunk_tokens=chunk_tokens,
            token_warnings=tokenizer.warnings,
            prices=self.settings.prices,
        )
        if seed is not None:
            # The BLUF stays the rules engine's extractive one: the review adds no summary. The
            # rules engine's own flags (an unresolved source) still hold for its items.
            update = {
                "bluf": seed.bluf,
                "bluf_method": seed.bluf_method,
                "prompt_version": self.prompts.seeded_version,
                "flags": [*seed.flags, *draft.flags],
            }
            draft = draft.model_copy(update=update)
        if self.use_cache:
            await asyncio.to_thread(self.cache.put, key, draft)
        return draft

    async def _chunk(
        self,
        client: openai.AsyncOpenAI,
        article: Article,
        group: list[Paragraph],
        part: int,
        parts: int,
        started: float,
        tokens: int | None = None,
    ) -> tuple[Grounded, Usage]:
        """One chunk's grounded answer; ``tokens`` is the chunk's token count, if known."""
        # Fixed for the chunk, repair included, even if the first call switches the mode.
        json_object = self.json_mode.startswith("json_object")
        numbered = parts > 1
        messages = article_messages(
            self.prompts,
            group,
            json_object=json_object,
            title=article.title,
            outlet=article.outlet,
            part=part if numbered else None,
            parts=parts if numbered else None,
        )
        if tokens is None:
            tokens = self._tokenizer.count(article.text[group[0].start : group[-1].end])
        cap = free_output_cap(tokens)
        chunk = Chunk(article.text, group, part, parts, messages, json_object, cap)
        usage = Usage()

        async def ask(messages: Messages, schema: type[BaseModel], cap: int) -> Outcome:
            return await self._ask(client, messages, schema, started, usage, max_tokens=cap)

        first = await ask(messages, LLMBriefing, cap)
        return await settle(ask, self.prompts, chunk, first, self.stats), usage

    async def _seeded_chunk(
        self,
        client: openai.AsyncOpenAI,
        article: Article,
        group: list[Paragraph],
        seed: Draft,
        numbered: list[seeded.Numbered],
        started: float,
    ) -> tuple[Grounded, Usage]:
        """The model's verdicts on the rules engine's items in this chunk, and its additions;
        ``numbered`` is the whole article's numbered sentences, split once for every chunk."""
        text = article.text
        review = seeded.Review.of(text, seed, numbered, group[0].start, group[-1].end)

        def render(json_object: bool) -> Messages:
            return review.messages(
                self.prompts, json_object=json_object, title=article.title, outlet=article.outlet
            )

        usage = Usage()
        cap = self._ceiling(seeded.output_cap(review.found))
        outcome = await self._ask(
            client,
            render(self.json_mode.startswith("json_object")),
            review.schema,
            started,
            usage,
            max_tokens=cap,
            with_schema=lambda _: render(True),
        )
        grounded = seeded.apply(text, review.found, outcome.data, review.shown)
        if outcome.truncated:
            grounded.flags.append(seeded.truncated_flag(cap))
        return grounded, usage

    async def _checked(self, client: openai.AsyncOpenAI, article: Article, seed: Draft) -> Draft:
        """The seed's claims that the model does not reject, one yes/no question each; the
        seed's framing and BLUF as they are."""
        started = self._clock()
        asked = checks.questions(self.prompts, seed, seeded.numbered_sentences(article.text))
        usage = Usage()
        limit = asyncio.Semaphore(self.concurrency)

        async def one(question: checks.Question) -> float | None:
            if question.messages is None:
                return None
            async with limit:
                return await self._yes_no(client, question.messages, started, usage)

        answers = await asyncio.gather(*(one(question) for question in asked))
        return self.checked_draft(seed, asked, answers, usage)

    def checked_draft(
        self,
        seed: Draft,
        asked: list[checks.Question],
        answers: list[float | None],
        usage: Usage,
    ) -> Draft:
        """The checked extraction's draft from each question's P(yes) (None: not asked or
        neither yes nor no), however the answers came (here, or from the Batch API)."""
        grounded = checks.apply(asked, answers, self.settings.check_threshold)
        grounded.framing = [
            (item, (item.span.start or 0, item.span.end or 0)) for item in seed.framing
        ]
        draft = merge(
            [(grounded, usage)],
            model=self.model,
            prompt_version=self.prompts.check_version,
            chunk_tokens=self.settings.chunk_tokens,
            token_warnings=self._tokenizer.warnings,
            prices=self.settings.prices,
        )
        update = {
            "bluf": seed.bluf,
            "bluf_method": seed.bluf_method,
            "flags": [*seed.flags, *draft.flags],  # the rules engine's own (unresolved sources)
        }
        return draft.model_copy(update=update)

    def check_request(self, messages: Messages) -> dict[str, Any]:
        """The chat-completion request body of one yes/no question, as it is sent."""
        arguments = checks.request_arguments(self.settings.temperature)
        return {"model": self.model, "messages": messages, **arguments}

    async def _yes_no(
        self, client: openai.AsyncOpenAI, messages: Messages, started: float, usage: Usage
    ) -> float | None:
        """The probability of "Yes" to one question (retried like any request)."""
        arguments = checks.request_arguments(self.settings.temperature)
        body = await self._retried(
            lambda timeout: answer_body(
                client, messages, model=self.model, arguments=arguments, timeout=timeout
            ),
            started,
        )
        return self.yes_no_answer(body, messages, usage)

    def yes_no_answer(self, body: dict[str, Any], messages: Messages, usage: Usage) -> float | None:
        """P(yes) from one question's completion body, its tokens counted into ``usage``."""
        counted = body.get("usage") or {}
        answer = str(((body.get("choices") or [{}])[0].get("message") or {}).get("content") or "")
        self._count(
            usage,
            messages,
            int(counted.get("prompt_tokens") or 0),
            int(counted.get("completion_tokens") or 0),
            answer,
        )
        return checks.yes_probability(body)

    # ---- calling the model -----------------------------------------------------------------

    def _api_key(self) -> str | None:
        # Read at the last moment, so that no attribute holds the key in plain text.
        key = self.settings.api_key
        return (key.get_secret_value() or None) if key is not None else None

    def _new_client(self) -> openai.AsyncOpenAI:
        return new_client(
            api_key=self._api_key(),
            base_url=self.base_url,
            timeout=self.settings.timeout,
        )

    def _client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        if self._client_for is None or self._client_for[0] is not loop:
            self._client_for = (loop, self._new_client())
        return self._client_for[1]

    async def _ask(
        self,
        client: openai.AsyncOpenAI,
        messages: Messages,
        schema: type[BaseModel],
        started: float,
        usage: Usage,
        *,
        max_tokens: int | None = None,
        with_schema: Callable[[Messages], Messages] | None = None,
    ) -> Outcome:
        """One answer (retried), with its tokens counted into ``usage`` and the stats;
        ``max_tokens`` caps this answer unless ``max_output_tokens`` is set. ``with_schema``
        re-renders the messages with the schema in the prompt, for a server that turns
        json_schema down (by default: the free extraction's system prompt)."""
        try:
            outcome = await self._retried(
                lambda timeout: self._complete(client, messages, schema, timeout, max_tokens),
                started,
            )
        except NoJsonSchema:
            if self.json_mode == "json_schema":
                raise EngineError(
                    f"the model server at {self.base_url} does not support json_schema "
                    'structured output; set engine.json_mode = "json_object"'
                ) from None
            # auto: this server lacks json_schema; use the schema-in-prompt mode from now on.
            self.json_mode = "json_object"
            remake = with_schema or functools.partial(with_schema_prompt, self.prompts)
            return await self._ask(
                client, remake(messages), schema, started, usage, max_tokens=max_tokens
            )
        outcome.input_tokens, outcome.output_tokens = self._count(
            usage, messages, outcome.input_tokens, outcome.output_tokens, outcome.content
        )
        return outcome

    async def _retried(self, call: Callable[[float], Awaitable[T]], started: float) -> T:
        """``call(timeout)`` on the shared retry schedule and deadline, its attempts counted."""
        attempts = Attempts()
        try:
            return await with_retries(
                call,
                self.policy,
                base_url=self.base_url,
                timeout=self.settings.timeout,
                started=started,
                attempts=attempts,
                clock=self._clock,
                sleep=self._sleep,
            )
        finally:
            self.stats.calls += attempts.calls
            self.stats.retries += attempts.retries

    def _count(
        self, usage: Usage, messages: Messages, input_tokens: int, output_tokens: int, answer: str
    ) -> tuple[int, int]:
        """One answer's tokens into ``usage`` and the stats; counted here when the server
        sent no usage (some compatible servers do not)."""
        if input_tokens == 0 and output_tokens == 0:
            input_tokens = self._tokenizer.count_messages(messages)
            output_tokens = self._tokenizer.count(answer)
            usage.estimated = True
        usage.add(input_tokens, output_tokens)
        self.stats.prompt_tokens += input_tokens
        self.stats.completion_tokens += output_tokens
        return input_tokens, output_tokens

    def _ceiling(self, derived: int | None) -> int | None:
        """The output cap sent: one the user set replaces the one derived from the request."""
        return self.settings.max_output_tokens or derived

    async def _complete(
        self,
        client: openai.AsyncOpenAI,
        messages: Messages,
        schema: type[BaseModel],
        timeout: float,
        max_tokens: int | None = None,
    ) -> Outcome:
        # The mode is read per attempt: a fallback to json_object applies from the next call.
        arguments = request_arguments(
            schema,
            json_mode=self.json_mode,
            temperature=self.settings.temperature,
            max_output_tokens=self._ceiling(max_tokens),
        )
        return await complete(
            client, messages, schema, model=self.model, arguments=arguments, timeout=timeout
        )
