"""The lines of a Batch API run: the questions each article needs (the checked extraction's,
built by the engine exactly as it sends them), the request file, and the answer files read back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefer.contract import Article
from briefer.engines.drafts import Draft
from briefer.engines.openai import checks, seeded
from briefer.engines.openai.batch_api_state import ENDPOINT
from briefer.errors import EngineError
from briefer.ground import excerpt
from briefer.ingest import require_text
from briefer.pipeline import crosscheck

if TYPE_CHECKING:
    from briefer.engines.openai.engine import OpenAIEngine


@dataclass(frozen=True)
class BatchItem:
    """One article to brief, with the id its result is reported under."""

    id: str
    article: Article


@dataclass(frozen=True)
class BatchFailure:
    """An item that got no Briefing, and why (one line)."""

    reason: str


@dataclass(frozen=True)
class Prepared:
    """An item with the rules engine's draft, the questions about it, and its cache key."""

    item: BatchItem
    seed: Draft
    asked: list[checks.Question]
    key: str

    @property
    def sha256(self) -> str:
        return self.item.article.sha256

    def bodies(self, engine: OpenAIEngine) -> dict[int, dict[str, Any]]:
        """The request body of each question asked, by its index among the questions."""
        return {
            index: engine.check_request(question.messages)
            for index, question in enumerate(self.asked)
            if question.messages is not None
        }


@dataclass(frozen=True)
class Answer:
    """One line of an output or error file: the completion body, or why there is none."""

    body: dict[str, Any] | None = None
    error: str | None = None
    code: str | None = None  # the error's code ("batch_expired"), if it had one


def prepare(engine: OpenAIEngine, item: BatchItem) -> Prepared:
    """The rules engine's draft of the item's article and one question per claim, as the
    synchronous checked extraction builds them."""
    require_text(item.article.text, name=f"article {item.id!r}")
    seed = crosscheck.rules_draft(item.article)
    if seed is None:
        raise EngineError("the rules engine is unavailable, and the checked extraction needs it")
    asked = checks.questions(engine.prompts, seed, seeded.numbered_sentences(item.article.text))
    return Prepared(item, seed, asked, engine.draft_key(item.article, seed))


def body_sha256(body: dict[str, Any]) -> str:
    return hashlib.sha256(_compact(body).encode("utf-8")).hexdigest()


def request_file(lines: Iterable[tuple[str, dict[str, Any]]]) -> bytes:
    """The JSONL a batch is made from: one chat-completion request per (custom id, body)."""
    return b"".join(
        (
            _compact({"custom_id": cid, "method": "POST", "url": ENDPOINT, "body": body}) + "\n"
        ).encode("utf-8")
        for cid, body in lines
    )


def read_request_file(data: bytes) -> dict[str, dict[str, Any]]:
    """The request bodies of a request file, by custom id (to submit some of them again)."""
    bodies: dict[str, dict[str, Any]] = {}
    for line in data.decode("utf-8").splitlines():
        if line.strip():
            request = json.loads(line)
            bodies[request["custom_id"]] = request["body"]
    return bodies


def read_answers(data: bytes) -> dict[str, Answer]:
    """Each line of an output or error file, by custom id; a line that cannot be read is
    skipped (its request then counts as unanswered)."""
    answers: dict[str, Answer] = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("custom_id"), str):
            answers[record["custom_id"]] = _answer(record)
    return answers


def _answer(record: dict[str, Any]) -> Answer:
    response = record.get("response") or {}
    error = record.get("error") or {}
    body = response.get("body") if isinstance(response, dict) else None
    status = response.get("status_code") if isinstance(response, dict) else None
    if not error and status == 200 and isinstance(body, dict):
        if not body.get("choices"):
            return Answer(error="the model server's answer has no choices")
        return Answer(body=body)
    if isinstance(error, dict) and error.get("message"):
        code = error.get("code")
        return Answer(error=excerpt(str(error["message"]), 200), code=code and str(code))
    inner = body.get("error") if isinstance(body, dict) else None
    if isinstance(inner, dict) and inner.get("message"):
        return Answer(error=f"HTTP {status}: {excerpt(str(inner['message']), 200)}")
    return Answer(error=f"HTTP {status}" if status else "no answer")


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
