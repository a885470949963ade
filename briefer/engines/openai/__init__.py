"""The ``openai`` engine: any OpenAI-compatible chat endpoint (OpenAI, Azure, Ollama, vLLM,
llama.cpp's server, LM Studio), with structured output from ``briefer.engines.openai.schema``.

Per article: cache lookup -> chunk if over budget -> per chunk: prompt, call (retried), parse,
ground every item inside its cited paragraph, one bounded repair re-ask for failed items, drop
and flag what still fails -> merge -> cross-check with the rules engine -> cache.
"""

from __future__ import annotations

import asyncio
import functools
import json
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, ClassVar

import openai
from pydantic import BaseModel, ValidationError

from briefer.config import EngineSettings, load_settings
from briefer.contract import Article, Flag
from briefer.engines.base import Engine
from briefer.engines.drafts import Draft, DraftClaim, DraftFraming
from briefer.engines.openai.cache import DraftCache, cache_key
from briefer.engines.openai.chunking import split as split_article
from briefer.engines.openai.grounding import ground_claim, ground_framing
from briefer.engines.openai.prompting import (
    Paragraph,
    PromptSet,
    article_messages,
    repair_message,
)
from briefer.engines.openai.response import parse_json
from briefer.engines.openai.schema import (
    LLM_SCHEMA_VERSION,
    LLMBriefing,
    LLMClaim,
    LLMFraming,
    LLMRepair,
    json_schema,
    schema_text,
)
from briefer.engines.openai.tokens import Tokenizer, tokenizer_for
from briefer.engines.openai.usage import cost
from briefer.errors import ConfigError, EngineError
from briefer.ground import excerpt
from briefer.pipeline import crosscheck
from briefer.retry import Attempts, Clock, RetryPolicy, Sleep, with_retries

DEFAULT_MODEL = "gpt-4o-mini"
OPENAI_URL = "https://api.openai.com/v1"
# Repair prompts list at most this many failed items; the rest are dropped and flagged.
MAX_REPAIR_ITEMS = 24


@dataclass
class CallStats:
    """Running totals over this engine's articles, for benchmarks and tests (not part of the
    Briefing contract)."""

    calls: int = 0
    retries: int = 0
    repairs: int = 0
    chunks: int = 0
    article_tokens: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class _Outcome:
    """One model answer, parsed as far as it goes."""

    data: dict[str, Any] | None
    content: str
    error: str | None = None
    truncated: bool = False
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass
class _Grounded:
    claims: list[tuple[DraftClaim, tuple[int, int]]] = field(default_factory=list)
    framing: list[tuple[DraftFraming, tuple[int, int]]] = field(default_factory=list)
    failed: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # kind, why, item
    flags: list[Flag] = field(default_factory=list)
    bluf: str = ""
    notes: list[str] = field(default_factory=list)


class OpenAIEngine(Engine):
    name: ClassVar[str] = "openai"
    auto_priority: ClassVar[int] = 10
    # ``clock`` and ``sleep`` drive the retry backoff and the deadline (tests pass fakes).
    option_names: ClassVar[frozenset[str]] = frozenset(
        "settings model base_url api_key prompts timeout retries backoff deadline no_cache "
        "cache_path json_mode chunk_tokens max_output_tokens temperature crosscheck "
        "concurrency clock sleep".split()
    )

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        settings: EngineSettings = options.get("settings") or load_settings().engine
        self.settings = settings
        self.model: str = options.get("model") or settings.model or DEFAULT_MODEL
        self.base_url: str = (options.get("base_url") or settings.base_url or OPENAI_URL).rstrip(
            "/"
        )
        key = options.get("api_key") or settings.api_key
        self._api_key: str | None = (
            key.get_secret_value() if hasattr(key, "get_secret_value") else key
        )
        self.prompts = PromptSet(options.get("prompts") or settings.prompts)
        self.timeout = float(options.get("timeout") or settings.timeout)
        self.policy = RetryPolicy(
            attempts=int(options.get("retries", settings.retries)),
            base=float(options.get("backoff", settings.backoff)),
            deadline=float(options.get("deadline") or settings.deadline),
        )
        self.use_cache = settings.cache and not options.get("no_cache", False)
        self.cache = DraftCache(options.get("cache_path") or settings.cache_dir_path())
        self.json_mode: str = options.get("json_mode") or settings.json_mode
        self.chunk_tokens = int(options.get("chunk_tokens") or settings.chunk_tokens)
        self.max_output_tokens: int | None = options.get("max_output_tokens") or (
            settings.max_output_tokens
        )
        self.temperature: float | None = options.get("temperature", settings.temperature)
        self.crosscheck = bool(options.get("crosscheck", settings.crosscheck))
        self.concurrency = max(1, int(options.get("concurrency") or settings.concurrency))
        self._clock: Clock = options.get("clock") or time.monotonic
        self._sleep: Sleep = options.get("sleep") or asyncio.sleep
        self.stats = CallStats()
        # One client per event loop: an httpx client cannot outlive the loop it was used on.
        self._client_for: tuple[asyncio.AbstractEventLoop, openai.AsyncOpenAI] | None = None
        _tls_context()  # built here, once per process, rather than inside the first request
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
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self._analyze_closing(article))
        # Called from inside a running loop (a notebook): run on a private loop in a thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self._analyze_closing(article)).result()

    async def analyze_async(self, article: Article) -> Draft:
        return await self._analyze(article, self._client())

    async def aclose(self) -> None:
        """Close the HTTP client used by ``analyze_async`` on the running loop."""
        current, self._client_for = self._client_for, None
        if current is not None and current[0] is asyncio.get_running_loop():
            await current[1].close()

    # ---- the work ----------------------------------------------------------------------------

    @functools.cached_property
    def _tokenizer(self) -> Tokenizer:
        # The model is fixed per engine; built on first use, not at start-up (the encoding
        # file is read and hash-checked) and not per article or per call.
        return tokenizer_for(self.model)

    async def _analyze_closing(self, article: Article) -> Draft:
        client = self._new_client()
        try:
            return await self._analyze(article, client)
        finally:
            await client.close()

    def _key(self, article: Article) -> str:
        return cache_key(
            article_sha256=article.sha256,
            engine=f"{self.name}@{self.base_url}",
            model=self.model,
            prompt_digest=self.prompts.digest,
            llm_schema=LLM_SCHEMA_VERSION,
        )

    async def _analyze(self, article: Article, client: openai.AsyncOpenAI) -> Draft:
        stats = self.stats
        key = self._key(article)
        if self.use_cache:
            hit = await asyncio.to_thread(self.cache.get, key)
            if hit is not None:
                return hit.model_copy(update={"cached": True})
        if self._api_key is None and self.base_url == OPENAI_URL:
            raise ConfigError(
                "no API key for OpenAI: set OPENAI_API_KEY (or BRIEFER_API_KEY), or point "
                "--base-url at a local server"
            )

        tokenizer = self._tokenizer
        text = article.text
        article_tokens = tokenizer.count(text)
        stats.article_tokens += article_tokens
        groups = split_article(text, self.chunk_tokens, tokenizer.count, tokens=article_tokens)
        stats.chunks += len(groups)
        started = self._clock()
        limit = asyncio.Semaphore(self.concurrency)

        async def one(index: int, group: list[Paragraph]) -> tuple[_Grounded, _Usage]:
            async with limit:
                return await self._chunk(client, article, group, index, len(groups), started)

        results = await asyncio.gather(*(one(i, g) for i, g in enumerate(groups, start=1)))
        draft = self._merge(article, results, len(groups))
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
    ) -> tuple[_Grounded, _Usage]:
        json_object = self.json_mode.startswith("json_object")
        messages = article_messages(
            self.prompts,
            group,
            json_object=json_object,
            title=article.title,
            outlet=article.outlet,
            part=part if parts > 1 else None,
            parts=parts if parts > 1 else None,
        )
        usage = _Usage()
        first = await self._ask(client, messages, LLMBriefing, started, usage)
        flags: list[Flag] = []
        bluf = ""
        grounded = _Grounded()
        if first.truncated:
            flags.append(_truncated_flag(first, part, parts))
        if first.data is None:
            # The whole answer is unusable: one re-ask with the reason.
            self.stats.repairs += 1
            notes = [
                f"the model's first answer{_part(part, parts)} was unusable ({first.error}); "
                "it was re-asked once"
            ]
            retry_messages = [
                *messages,
                {"role": "assistant", "content": first.content[:4000]},
                repair_message(
                    self.prompts,
                    [first.error or "no JSON object"],
                    whole=True,
                    json_object=json_object,
                ),
            ]
            second = await self._ask(client, retry_messages, LLMBriefing, started, usage)
            if second.truncated:
                flags.append(_truncated_flag(second, part, parts))
            if second.data is None:
                flags.append(
                    Flag(
                        code="invalid_model_output",
                        message=f"the model's answer{_part(part, parts)} was unusable twice "
                        f"({second.error}); no items from it",
                    )
                )
                grounded.notes = notes
                return _with_flags(grounded, flags, bluf), usage
            bluf = str(second.data.get("bluf") or "")
            grounded = self._ground(article.text, group, second.data)
            grounded.notes = notes
            flags.extend(_dropped_flag(*entry, repaired=True) for entry in grounded.failed)
            grounded.failed = []
            return _with_flags(grounded, flags, bluf), usage

        bluf = str(first.data.get("bluf") or "")
        grounded = self._ground(article.text, group, first.data)
        if grounded.failed:
            failed, grounded.failed = grounded.failed, []
            listed = failed[:MAX_REPAIR_ITEMS]
            self.stats.repairs += 1
            retry_messages = [
                *messages,
                {"role": "assistant", "content": first.content},
                repair_message(
                    self.prompts,
                    [_describe_failure(kind, why, item) for kind, why, item in listed],
                    whole=False,
                    json_object=json_object,
                ),
            ]
            second = await self._ask(client, retry_messages, LLMRepair, started, usage)
            fixed = (
                self._ground(article.text, group, second.data)
                if second.data is not None
                else _Grounded()
            )
            grounded.claims.extend(fixed.claims)
            grounded.framing.extend(fixed.framing)
            uncorrected = _uncorrected(failed, fixed)
            for kind, why, item in uncorrected:
                flags.append(_dropped_flag(kind, why, item, repaired=False))
            for kind, why, item in fixed.failed:
                flags.append(_dropped_flag(kind, why, item, repaired=True))
            grounded.notes.append(
                f"{len(failed)} model item(s){_part(part, parts)} did not match the article and "
                f"were re-asked once; {len(fixed.claims) + len(fixed.framing)} corrected, "
                f"{len(uncorrected) + len(fixed.failed)} dropped (see flags)"
            )
        return _with_flags(grounded, flags, bluf), usage

    # ---- calling the model -----------------------------------------------------------------

    def _new_client(self) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(
            # Local servers need no key, but the SDK insists on a non-empty one.
            api_key=self._api_key or "not-needed",
            base_url=self.base_url,
            max_retries=0,  # retry.py does the retrying, so every attempt is counted there
            timeout=self.timeout,
            http_client=openai.DefaultAsyncHttpxClient(verify=_tls_context()),
        )

    def _client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        if self._client_for is None or self._client_for[0] is not loop:
            self._client_for = (loop, self._new_client())
        return self._client_for[1]

    async def _ask(
        self,
        client: openai.AsyncOpenAI,
        messages: list[dict[str, str]],
        schema: type[BaseModel],
        started: float,
        usage: _Usage,
    ) -> _Outcome:
        attempts = Attempts()
        try:
            outcome = await with_retries(
                lambda t: self._call(client, messages, schema, t),
                self.policy,
                base_url=self.base_url,
                timeout=self.timeout,
                started=started,
                attempts=attempts,
                clock=self._clock,
                sleep=self._sleep,
            )
        except _NoJsonSchema:
            if self.json_mode == "json_schema":
                raise EngineError(
                    f"the model server at {self.base_url} does not support json_schema "
                    'structured output; set engine.json_mode = "json_object"'
                ) from None
            # auto: this server lacks json_schema; use the schema-in-prompt mode from now on.
            self.json_mode = "json_object"
            return await self._ask(
                client, _with_schema(messages, self.prompts), schema, started, usage
            )
        finally:
            self.stats.calls += attempts.calls
            self.stats.retries += attempts.retries
        if outcome.input_tokens == 0 and outcome.output_tokens == 0:
            # Some compatible servers send no usage; count the tokens ourselves.
            outcome.input_tokens = self._tokenizer.count_messages(messages)
            outcome.output_tokens = self._tokenizer.count(outcome.content)
            usage.estimated = True
        usage.add(outcome.input_tokens, outcome.output_tokens)
        self.stats.prompt_tokens += outcome.input_tokens
        self.stats.completion_tokens += outcome.output_tokens
        return outcome

    async def _call(
        self,
        client: openai.AsyncOpenAI,
        messages: list[dict[str, str]],
        schema: type[BaseModel],
        timeout: float,
    ) -> _Outcome:
        """One request, and its answer checked the way the SDK's ``parse()`` checks it.

        ``parse()`` itself rebuilds the schema and re-validates the reply on every call (7 ms
        against 1.2 ms for this path, measured on a mock transport), which at 16 requests in
        flight cost a fifth of the batch time; the request it sends is the same as this one
        (``tests/test_openai_units.py`` checks the schema).
        """
        extra: dict[str, Any] = {}
        if self.temperature is not None:
            extra["temperature"] = self.temperature
        schema_mode = not self.json_mode.startswith("json_object")
        if schema_mode:
            response_format = response_format_for(schema)
            if self.max_output_tokens:
                extra["max_completion_tokens"] = self.max_output_tokens
        else:
            response_format = {"type": "json_object"}
            if self.json_mode == "json_object_schema":
                # An extension of llama.cpp's servers: the schema becomes a decoding grammar.
                response_format = {"type": "json_object", "schema": json_schema(schema)}
            if self.max_output_tokens:
                # Compatible servers (llama.cpp, vLLM, Ollama) know max_tokens.
                extra["max_tokens"] = self.max_output_tokens
        try:
            raw = await client.chat.completions.with_raw_response.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                response_format=response_format,  # type: ignore[arg-type]
                timeout=timeout,
                **extra,
            )
        except openai.APIStatusError as error:
            # Servers without json_schema answer 400, 422 or even 500 (llama-cpp-python).
            if schema_mode and error.status_code in (400, 422, 500) and _rejects_json_schema(error):
                raise _NoJsonSchema from None
            raise
        body = _json_body(raw.http_response)
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
        outcome = _from_completion_dict(body, truncated=reason == "length")
        if outcome.data is None:
            return outcome
        try:
            schema.model_validate(outcome.data)
        except ValidationError as error:
            return _check_shape(outcome, schema, error)
        return outcome

    # ---- grounding -------------------------------------------------------------------------

    def _ground(self, text: str, group: list[Paragraph], data: dict[str, Any]) -> _Grounded:
        by_number = {p.number: p for p in group}
        whole = (group[0].start, group[-1].end)
        result = _Grounded()
        kinds: tuple[tuple[str, str, type[BaseModel], Any, list[Any]], ...] = (
            ("claim", "claims", LLMClaim, ground_claim, result.claims),
            ("framing", "framing", LLMFraming, ground_framing, result.framing),
        )
        for kind, key, model, ground, kept in kinds:
            for item in _items(data, key):
                try:
                    parsed = model.model_validate(item)
                except ValidationError as error:
                    what = "claim" if kind == "claim" else "framing item"
                    why = f"not a valid {what} ({_validation_summary(error)})"
                    result.failed.append((kind, why, item))
                    continue
                grounded = ground(text, parsed, by_number, whole)
                if isinstance(grounded, str):
                    result.failed.append((kind, grounded, item))
                else:
                    kept.append(grounded)
        return result

    # ---- merging -----------------------------------------------------------------------------

    def _merge(
        self,
        article: Article,
        results: list[tuple[_Grounded, _Usage]],
        parts: int,
    ) -> Draft:
        claims: list[DraftClaim] = []
        framing: list[DraftFraming] = []
        flags: list[Flag] = []
        items: list[crosscheck.Item] = []
        seen_claims: set[tuple[int, int]] = set()
        seen_framing: set[tuple[int, int, str]] = set()
        blufs: list[str] = []
        notes: list[str] = []
        input_tokens = output_tokens = 0
        for grounded, usage in results:
            input_tokens += usage.input_tokens
            output_tokens += usage.output_tokens
            flags.extend(grounded.flags)
            notes.extend(grounded.notes)
            if grounded.bluf.strip():
                blufs.append(grounded.bluf.strip())
            for claim, where in grounded.claims:
                if where in seen_claims:
                    continue  # the same content cited twice (a repair, or chunk overlap)
                seen_claims.add(where)
                claims.append(claim)
                items.append(crosscheck.Item("claim", f"by {claim.source_name!r}", *where))
            for item, where in grounded.framing:
                key = (*where, item.device)
                if key in seen_framing:
                    continue
                seen_framing.add(key)
                framing.append(item)
                items.append(
                    crosscheck.Item(
                        "framing", repr(excerpt(item.span.text)), *where, device=item.device
                    )
                )
        estimated = any(usage.estimated for _, usage in results)
        # briefer's own counts matter only when they sized chunks or stand in for the server's.
        warnings = [*(self._tokenizer.warnings if estimated or parts > 1 else []), *notes]
        if parts > 1:
            warnings.append(
                f"the article exceeded {self.chunk_tokens:,} tokens and was briefed in {parts} "
                "chunks; the BLUF is the first chunk's"
            )
        if self.crosscheck:
            cues = crosscheck.rules_cues(article)
            if cues is None:
                warnings.append("cross-check with the rules engine skipped: it is unavailable")
            else:
                flags.extend(crosscheck.disagreements(article.text, items, cues))
        if estimated:
            warnings.append(
                "the server reported no token usage; input/output tokens are briefer's count"
            )
        dropped = sum(1 for f in flags if f.code.startswith(("ungrounded_", "invalid_item")))
        if blufs and dropped and dropped >= len(claims) + len(framing):
            # The BLUF cannot be grounded; when most items failed, it is likely invented too.
            flags.append(
                Flag(
                    code="unreliable_bluf",
                    message=f"the model's items mostly failed grounding ({dropped} dropped, "
                    f"{len(claims) + len(framing)} kept), so its BLUF is unverified",
                )
            )
        return Draft(
            bluf=blufs[0] if blufs else "",
            bluf_method="abstractive",
            claims=claims,
            framing=framing,
            flags=flags,
            model=self.model,
            prompt_version=self.prompts.version,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=cost(self.model, input_tokens, output_tokens, self.settings.prices),
            warnings=warnings,
        )


# ---- helpers -------------------------------------------------------------------------------


@dataclass
class _Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    estimated: bool = False

    def add(self, input_tokens: int, output_tokens: int) -> None:
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens


class _NoJsonSchema(Exception):
    pass


def _with_flags(grounded: _Grounded, flags: list[Flag], bluf: str) -> _Grounded:
    grounded.flags = flags
    grounded.bluf = bluf
    return grounded


def _describe_failure(kind: str, why: str, item: Any) -> str:
    return f"{kind} {json.dumps(item, ensure_ascii=False)}: {why}"


def _uncorrected(
    failed: list[tuple[str, str, Any]], fixed: _Grounded
) -> list[tuple[str, str, Any]]:
    """Failed items the repair answer did not address (matched by kind, in order).

    A replacement that failed again is flagged on its own, so it also consumes its original:
    one invented item gives one flag.
    """
    left = list(failed)
    kinds = ["claim"] * len(fixed.claims) + ["framing"] * len(fixed.framing)
    kinds += [kind for kind, _, _ in fixed.failed]
    for kind in kinds:
        index = next((i for i, entry in enumerate(left) if entry[0] == kind), None)
        if index is not None:
            left.pop(index)
    return left


def _dropped_flag(kind: str, why: str, item: Any, *, repaired: bool) -> Flag:
    code = "invalid_item" if why.startswith("not a valid") else f"ungrounded_{kind}"
    when = "after one repair" if repaired else "(the repair did not correct it)"
    return Flag(code=code, message=f"dropped a model {kind} {when}: {why}")


def _with_schema(messages: list[dict[str, str]], prompts: PromptSet) -> list[dict[str, str]]:
    """The same messages with the system prompt re-rendered for json_object mode."""
    system = prompts.render("system.j2", json_object=True, schema=schema_text(LLMBriefing))
    return [{"role": "system", "content": system}, *messages[1:]]


def _check_shape(outcome: _Outcome, schema: type[BaseModel], error: ValidationError) -> _Outcome:
    """Keep an answer whose top level is right (items are checked one by one later)."""
    data = outcome.data or {}
    if not isinstance(data.get("claims"), list) or not isinstance(data.get("framing"), list):
        outcome.data = None
        outcome.error = _validation_summary(error)
    return outcome


@functools.cache
def _tls_context() -> ssl.SSLContext | bool:
    """One TLS context for every client: loading the CA bundle takes ~50 ms per client."""
    try:
        import httpx2  # the SDK's HTTP library

        return httpx2.create_ssl_context()
    except (ImportError, AttributeError):
        return True  # let the SDK build its own


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


def _from_completion_dict(body: dict[str, Any], *, truncated: bool = False) -> _Outcome:
    choice = (body.get("choices") or [{}])[0]
    content = (choice.get("message") or {}).get("content") or ""
    usage = body.get("usage") or {}
    data, error = parse_json(content, partial=truncated)
    return _Outcome(
        data=data,
        content=content,
        error=error,
        truncated=truncated,
        input_tokens=int(usage.get("prompt_tokens") or 0),
        output_tokens=int(usage.get("completion_tokens") or 0),
    )


def _items(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _truncated_flag(outcome: _Outcome, part: int, parts: int) -> Flag:
    kept = len(_items(outcome.data or {}, "claims")) + len(_items(outcome.data or {}, "framing"))
    return Flag(
        code="truncated_output",
        message=f"the model's answer{_part(part, parts)} hit its output token limit "
        f"(finish_reason=length); {kept} complete item(s) kept, later ones may be missing "
        "(raise engine.max_output_tokens)",
    )


def _part(part: int, parts: int) -> str:
    return f" for chunk {part} of {parts}" if parts > 1 else ""


def _validation_summary(error: ValidationError) -> str:
    problems = []
    for problem in error.errors()[:3]:
        where = ".".join(str(p) for p in problem["loc"]) or "answer"
        problems.append(f"{where}: {problem['msg']}")
    more = len(error.errors()) - 3
    return "; ".join(problems) + (f"; and {more} more" if more > 0 else "")
