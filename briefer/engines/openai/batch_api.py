"""Briefing many articles through the OpenAI Batch API (``/v1/files`` + ``/v1/batches``).

The engine's first round of requests per article (built by the engine's own code: the checked
questions directly, the other modes by a dry run, ``batch_api_replay``) goes to the server as
one JSONL file; the batch's id and where each line came from are kept in a state file, so a
later call with the same state path collects instead of submitting again. The answers are read,
applied and cached by the engine's own code, so a later synchronous run hits the cache.
``docs/batch-api.md`` says what happens on each status and why.

The pipeline's steps around the engine (the rules engine's seed, the cross-check and assembly)
are passed in: ``briefer.pipeline.batch_api.brief_via_batch_api`` is the public entry.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import openai

from briefer.contract import Article, Briefing
from briefer.engines.drafts import Draft
from briefer.engines.openai import batch_api_lines as lines
from briefer.engines.openai import batch_api_replay as replay
from briefer.engines.openai.batch_api_lines import (
    Answer,
    BatchFailure,
    BatchItem,
    Prepared,
    SeedFor,
)
from briefer.engines.openai.batch_api_state import (
    ENDPOINT,
    BatchState,
    Part,
    RequestRef,
    load,
    save,
    write_beside,
)
from briefer.engines.openai.client import describe, retryable, tls_context
from briefer.engines.openai.engine import OpenAIEngine
from briefer.engines.openai.options import OPENAI_URL
from briefer.engines.openai.usage import Usage
from briefer.errors import BrieferError, ConfigError, EngineError
from briefer.ground import excerpt

__all__ = ["BatchFailure", "BatchItem", "BatchPending", "Finish", "run_batch"]

Result = tuple[str, Briefing | BatchFailure]
# The pipeline's finish step: (article, draft, the rules engine's seed) -> Briefing.
Finish = Callable[[Article, Draft, Draft | None], Briefing]
# OpenAI's limits per batch (their Batch API guide): 50,000 requests, a 200 MB input file.
MAX_REQUESTS = 50_000
MAX_BYTES = 190_000_000


class BatchPending(EngineError):
    """The batch is still running after ``wait`` seconds; the state file is kept."""


def run_batch(
    items: Sequence[BatchItem],
    *,
    engine: OpenAIEngine,
    state_path: Path,
    seed_for: SeedFor,
    finish: Finish,
    poll_seconds: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    wait: float | None = None,
    submit_only: bool = False,
    max_requests: int = MAX_REQUESTS,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Result]:
    """Brief ``items`` through the Batch API: (item id, Briefing or BatchFailure) per item.
    ``seed_for`` makes the rules engine's draft that the seeded modes review, ``finish`` the
    Briefing from a draft (the pipeline's; ``briefer.pipeline.batch_api`` passes them).

    Submits now (unless ``state_path`` holds a run already submitted: then nothing is sent
    again) and returns an iterator that yields the items answered without the batch (cache
    hits, articles with no question to ask) first, then polls every ``poll_seconds`` until the
    batch ends and yields the rest in input order. With ``submit_only`` nothing is yielded:
    call again with the same ``state_path`` to collect. ``wait`` (seconds, on ``clock``) stops
    polling with ``BatchPending``; the state is kept for a later call.
    """
    run = _Run(engine, state_path, seed_for, finish, poll_seconds, sleep, clock, wait, progress)
    try:
        ready, pending = run.prepare(items)
        state = run.plan(pending, max_requests) if pending else None
        pending, refused = run.match(state, pending)
        if state is not None and pending:
            run.submit(state)
    except BaseException:
        run.client.close()
        raise
    if submit_only:
        run.client.close()
        return iter(())
    return run.results(state, ready + refused, pending)


class _Run:
    def __init__(
        self,
        engine: OpenAIEngine,
        state_path: Path,
        seed_for: SeedFor,
        finish: Finish,
        poll_seconds: float,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        wait: float | None,
        progress: Callable[[str], None] | None,
    ) -> None:
        key = engine.settings.api_key
        api_key = (key.get_secret_value() or None) if key is not None else None
        if api_key is None and engine.base_url == OPENAI_URL:
            raise ConfigError(
                "no API key for OpenAI: set OPENAI_API_KEY (or BRIEFER_API_KEY), or point "
                "--base-url at a server that speaks the Batch API"
            )
        self.engine = engine
        self.path = state_path
        self.seed_for = seed_for
        self.finish = finish
        self.poll_seconds = poll_seconds
        self.sleep = sleep
        self.clock = clock
        self.wait = wait
        self.progress = progress or (lambda line: None)
        self.client = openai.OpenAI(
            api_key=api_key or "not-needed",
            base_url=engine.base_url,
            max_retries=0,  # a failed poll is retried here; an upload or create is not (below)
            timeout=engine.settings.timeout,
            http_client=openai.DefaultHttpxClient(verify=tls_context()),
        )

    # ---- before the batch ------------------------------------------------------------------

    def prepare(self, items: Sequence[BatchItem]) -> tuple[list[Result], list[Prepared]]:
        """The items answered without the batch, and those whose requests it must send."""
        ready: list[Result] = []
        pending: list[Prepared] = []
        engine = self.engine
        dry: OpenAIEngine | None = None
        for item in items:
            try:
                seed, key = lines.seed_and_key(engine, item, self.seed_for)
                hit = engine.cache.get(key) if engine.use_cache else None
                if hit is not None:
                    draft = hit.model_copy(update={"cached": True})
                    ready.append((item.id, self.finish(item.article, draft, seed)))
                    continue
                if engine.checked and seed is not None:
                    asked = lines.checked(engine, item.article, seed)
                    bodies = [engine.check_request(q.messages) for q in asked if q.messages]
                    prepared = Prepared(item, seed, key, bodies, asked)
                else:
                    dry = dry or replay.dry_engine(engine)
                    bodies = replay.requests_for(dry, item.article, seed)
                    prepared = Prepared(item, seed, key, bodies)
                if bodies:
                    pending.append(prepared)
                else:  # nothing to ask (no claim with a verb cue): briefed now
                    ready.append((item.id, self._briefing(prepared, {}, {})))
            except Exception as error:  # one article's failure must not stop the others
                ready.append((item.id, _failure(error)))
        return ready, pending

    def plan(self, pending: list[Prepared], max_requests: int) -> BatchState:
        """The run recorded at the state path, or a new one: one line per request per distinct
        article, in parts of at most ``max_requests`` lines."""
        engine = self.engine
        state = load(self.path)
        if state is not None:
            if (state.base_url, state.model) != (engine.base_url, engine.model):
                raise ConfigError(
                    f"{self.path} records a batch for model {state.model!r} at "
                    f"{state.base_url}; use the same model and base URL, or another state path"
                )
            return state
        state = BatchState(base_url=engine.base_url, model=engine.model, requests={}, parts=[])
        groups: list[list[tuple[str, dict[str, Any]]]] = [[]]
        size = 0
        seen: set[str] = set()
        for prepared in pending:
            if prepared.sha256 in seen:
                continue  # the same article twice: asked once, answered for both
            seen.add(prepared.sha256)
            article = len(seen)
            new = [(f"a{article}-q{index}", body) for index, body in enumerate(prepared.bodies)]
            grown = size + len(lines.request_file(new))
            if groups[-1] and (len(groups[-1]) + len(new) > max_requests or grown > MAX_BYTES):
                groups.append([])
                grown -= size
            groups[-1].extend(new)
            size = grown
            for index, (cid, body) in enumerate(new):
                state.requests[cid] = RequestRef(
                    item=prepared.item.id,
                    sha256=prepared.sha256,
                    index=index,
                    body_sha256=lines.body_sha256(body),
                )
        for group in groups:
            self._add_part(state, group)
        save(self.path, state)
        return state

    def _add_part(
        self,
        state: BatchState,
        group: list[tuple[str, dict[str, Any]]],
        retry_of: int | None = None,
    ) -> Part:
        name = write_beside(
            self.path, f"{len(state.parts) + 1}.requests.jsonl", lines.request_file(group)
        )
        part = Part(input=name, custom_ids=[cid for cid, _ in group], retry_of=retry_of)
        state.parts.append(part)
        return part

    def match(
        self, state: BatchState | None, pending: list[Prepared]
    ) -> tuple[list[Prepared], list[Result]]:
        """The pending items whose requests are in the state as submitted; the others fail
        (a resumed run with other articles, rules or prompts must not collect wrong answers)."""
        if state is None:
            return pending, []
        kept: list[Prepared] = []
        refused: list[Result] = []
        by_article = state.by_article()
        for prepared in pending:
            ids = by_article.get(prepared.sha256, {})
            if not ids:
                reason = (
                    f"this article is not in the batch recorded in {self.path}; brief it with "
                    "a new state path"
                )
            elif set(ids) != set(range(len(prepared.bodies))) or any(
                state.requests[ids[i]].body_sha256 != lines.body_sha256(body)
                for i, body in enumerate(prepared.bodies)
            ):
                reason = (
                    f"its requests differ from those submitted in {self.path} (another rules "
                    "engine, prompt or setting); brief it with a new state path"
                )
            else:
                kept.append(prepared)
                continue
            refused.append((prepared.item.id, BatchFailure(reason)))
        return kept, refused

    # ---- the batch -------------------------------------------------------------------------

    def submit(self, state: BatchState) -> None:
        """Upload and create whatever the state has not yet; each step saved as it is done."""
        for number, part in enumerate(state.parts, start=1):
            if part.file_id is None:
                part.file_id = self._upload(part, number)
                save(self.path, state)
            if part.batch_id is None:
                self._create(state, part)
                self.progress(f"batch {part.batch_id}: submitted, {len(part.custom_ids)} requests")

    def _upload(self, part: Part, number: int) -> str:
        data = self._read(part.input)
        name = f"briefer-batch-{number}.jsonl"
        upload = (name, data, "application/jsonl")
        return str(self._call(lambda: self.client.files.create(file=upload, purpose="batch")).id)

    def _create(self, state: BatchState, part: Part) -> None:
        if part.creating:
            # A crash came between create and saving its id: find that batch, not a second one.
            listed = self._call(lambda: self.client.batches.list(limit=100))
            found = next((b for b in listed.data if b.input_file_id == part.file_id), None)
            if found is not None:
                self._record(state, part, found)
                return
        part.creating = True
        save(self.path, state)
        file_id = part.file_id or ""
        batch = self._call(
            lambda: self.client.batches.create(
                input_file_id=file_id,
                endpoint=ENDPOINT,
                completion_window="24h",
                metadata={"created_by": "briefer"},
            )
        )
        self._record(state, part, batch)

    def _record(self, state: BatchState, part: Part, batch: Any) -> None:
        """What the server says about a batch, saved when it changed anything."""
        before = part.model_dump()
        part.batch_id, part.creating, part.status = batch.id, False, batch.status
        part.output_file_id = batch.output_file_id
        part.error_file_id = batch.error_file_id
        errors = [e for e in ((batch.errors.data or []) if batch.errors else []) if e.message]
        if errors:
            part.message = excerpt(
                "; ".join(f"{e.code or 'error'}: {e.message}" for e in errors), 300
            )
        if part.model_dump() != before:
            save(self.path, state)
            if before["status"] is not None and before["status"] != part.status:
                self.progress(f"batch {part.batch_id}: {part.status}")

    def _call(self, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except openai.APIError as error:
            raise EngineError(describe(error, self.engine.base_url)) from None

    def _read(self, name: str) -> bytes:
        path = self.path.with_name(name)
        try:
            return path.read_bytes()
        except OSError as error:
            raise ConfigError(
                f"cannot read {path} (beside the batch state): {error.strerror}"
            ) from None

    # ---- after the batch -------------------------------------------------------------------

    def results(
        self, state: BatchState | None, ready: list[Result], pending: list[Prepared]
    ) -> Iterator[Result]:
        try:
            yield from ready
            if state is None or not pending:
                return
            answers = self.collect(state)
        finally:
            self.client.close()
        by_article = state.by_article()
        for prepared in pending:
            yield prepared.item.id, self._briefing(prepared, by_article[prepared.sha256], answers)

    def collect(self, state: BatchState) -> dict[str, Answer]:
        """Every request's answer, once every part has ended; an expired part's unanswered
        requests are submitted once more, as a new part."""
        started = self.clock()
        answers: dict[str, Answer] = {}
        number = 0
        while number < len(state.parts):
            part = state.parts[number]
            if not part.finished:
                self._wait(state, part, started)
            got = self._answers(state, number, part)
            answers.update(got)
            left = [cid for cid in part.custom_ids if got[cid].body is None]
            retried = any(other.retry_of == number for other in state.parts)
            if part.status == "expired" and part.retry_of is None and left and not retried:
                bodies = lines.read_request_file(self._read(part.input))
                self._add_part(state, [(cid, bodies[cid]) for cid in left], retry_of=number)
                save(self.path, state)
                self.submit(state)
            number += 1
        return answers

    def _wait(self, state: BatchState, part: Part, started: float) -> None:
        """Poll until the part's batch ends; a poll that fails for good, or ``wait`` running
        out, stops with the state kept (the next call polls the same batch)."""
        failures = 0
        batch_id = part.batch_id or ""
        while True:
            try:
                batch = self.client.batches.retrieve(batch_id)
            except openai.APIError as error:
                failures += 1
                if not retryable(error) or failures >= self.engine.settings.retries:
                    raise EngineError(
                        describe(error, self.engine.base_url)
                        + f"; batch {batch_id} is kept in {self.path}: run again to collect it"
                    ) from None
            else:
                failures = 0
                self._record(state, part, batch)
                if part.finished:
                    return
            if self.wait is not None and self.clock() - started >= self.wait:
                raise BatchPending(
                    f"batch {batch_id} is still {part.status} after {self.wait:g} s; run "
                    f"again with the same state path ({self.path}) to collect it"
                )
            self.sleep(self.poll_seconds)

    def _answers(self, state: BatchState, number: int, part: Part) -> dict[str, Answer]:
        """The part's answers by custom id (downloaded once, then read from beside the state);
        a request with no line gets the batch's reason."""
        for attribute, file_id, kind in (
            ("output", part.output_file_id, "output"),
            ("errors", part.error_file_id, "errors"),
        ):
            if file_id and getattr(part, attribute) is None:
                data = self._call(
                    lambda file_id=file_id: self.client.files.content(file_id)
                ).content
                setattr(
                    part, attribute, write_beside(self.path, f"{number + 1}.{kind}.jsonl", data)
                )
                save(self.path, state)
        found: dict[str, Answer] = {}
        for name in (part.errors, part.output):  # an output line wins over an error line
            if name is not None:
                found.update(lines.read_answers(self._read(name)))
        # No line, or the server's "not run before the window closed": the batch's reason.
        missing = Answer(error=lines.reason(part))
        return {
            cid: missing if cid not in found or found[cid].code == "batch_expired" else found[cid]
            for cid in part.custom_ids
        }

    def _briefing(
        self, prepared: Prepared, ids: dict[int, str], answers: dict[str, Answer]
    ) -> Briefing | BatchFailure:
        """The item's Briefing from the batch's answers to its requests, applied by the
        engine's own code; cached under the synchronous key at the Batch API's price."""
        failed = [answers[cid].error or "" for cid in ids.values() if answers[cid].body is None]
        if failed:
            return BatchFailure(
                f"{len(failed)} of {len(ids)} requests for this article got no answer: {failed[0]}"
            )
        bodies = [answers[ids[index]].body or {} for index in sorted(ids)]
        engine, article = self.engine, prepared.item.article
        try:
            draft, sent = self._draft(prepared, bodies)
        except Exception as error:  # one article's failure must not stop the others
            return _failure(error)
        if not draft.cached:
            if ids:
                draft = lines.batch_priced(draft, sent)
            if engine.use_cache:
                engine.cache.put(prepared.key, draft)
        return self.finish(article, draft, prepared.seed)

    def _draft(self, prepared: Prepared, bodies: list[dict[str, Any]]) -> tuple[Draft, int]:
        """The draft from the answers (in request order), and how many requests were sent
        synchronously: the checked answers read by the engine's methods, the others by the
        engine itself briefing again with each request answered from the batch."""
        engine, seed = self.engine, prepared.seed
        if prepared.asked is None or seed is None:
            served = {
                lines.body_sha256(body): answer
                for body, answer in zip(prepared.bodies, bodies, strict=True)
            }
            article = prepared.item.article
            return replay.replay(engine, article, seed, served, lines.body_sha256)
        usage = Usage()
        given = iter(bodies)
        chances = [
            engine.yes_no_answer(next(given), question.messages, usage)
            if question.messages
            else None
            for question in prepared.asked
        ]
        return engine.checked_draft(seed, prepared.asked, chances, usage), 0


def _failure(error: Exception) -> BatchFailure:
    if isinstance(error, BrieferError):
        return BatchFailure(str(error))
    return BatchFailure(f"unexpected {type(error).__name__}: {excerpt(str(error), 200)}")
