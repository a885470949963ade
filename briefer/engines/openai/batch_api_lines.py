"""The lines of a Batch API run: the questions each article needs (the checked extraction's,
built by the engine exactly as it sends them), the request file, and the answer files read back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefer.contract import Article
from briefer.engines.drafts import Draft
from briefer.engines.openai import checks, seeded
from briefer.engines.openai.batch_api_state import ENDPOINT, Part
from briefer.ground import excerpt
from briefer.ingest import require_text

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
    """An item with the rules engine's draft (for the seeded modes), its cache key, and the
    request bodies its briefing needs (as a synchronous run sends them)."""

    item: BatchItem
    seed: Draft | None
    key: str
    bodies: list[dict[str, Any]]
    # The checked extraction's questions (the bodies are those with messages, in order); None
    # in the other modes, whose answers the engine applies itself (``batch_api_replay``).
    asked: list[checks.Question] | None = None

    @property
    def sha256(self) -> str:
        return self.item.article.sha256


@dataclass(frozen=True)
class Answer:
    """One line of an output or error file: the completion body, or why there is none."""

    body: dict[str, Any] | None = None
    error: str | None = None
    code: str | None = None  # the error's code ("batch_expired"), if it had one


# OpenAI bills the Batch API at half its synchronous price (their published pricing).
BATCH_PRICE_FACTOR = 0.5
BATCH_WARNING = "answered through the Batch API, billed at half the synchronous price"
# The rules engine's draft of an article (the pipeline's), None when it is unavailable.
SeedFor = Callable[[Article], Draft | None]


def seed_and_key(
    engine: OpenAIEngine, item: BatchItem, seed_for: SeedFor
) -> tuple[Draft | None, str]:
    """The rules engine's draft for an engine that reviews it (as ``brief()`` makes it), and
    the cache key of the item's draft."""
    require_text(item.article.text, name=f"article {item.id!r}")
    seed = seed_for(item.article) if engine.seeded else None
    return seed, engine.draft_key(item.article, seed)


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


def checked(engine: OpenAIEngine, article: Article, seed: Draft) -> list[checks.Question]:
    """The checked extraction's questions about ``article``, as the engine asks them.

    Built here rather than by a dry run of the engine (``batch_api_replay``): a request through
    the SDK costs milliseconds of CPU, twice per question, and checked articles have many."""
    return checks.questions(engine.prompts, seed, seeded.numbered_sentences(article.text))


def reason(part: Part) -> str:
    """Why a request of this part has no line in its output or error file."""
    batch = f"batch {part.batch_id}"
    if part.status == "failed":
        return f"{batch} failed: {part.message or 'no reason given'}"
    if part.status == "expired":
        again = " (and again when resubmitted)" if part.retry_of is not None else ""
        return f"{batch} expired before answering it, 24 h after it was created{again}"
    if part.status == "cancelled":
        return f"{batch} was cancelled before answering it"
    return f"{batch} ended ({part.status}) with no answer for it"


def batch_priced(draft: Draft, sent: int) -> Draft:
    """The draft at the Batch API's price, with a warning that says so; with ``sent``
    requests (repairs) made synchronously, the estimate stays the synchronous one."""
    if sent:
        warning = f"{BATCH_WARNING}; {sent} repair request(s) sent synchronously, at full price"
        return draft.model_copy(update={"warnings": [*draft.warnings, warning]})
    price = None if draft.cost_usd is None else round(draft.cost_usd * BATCH_PRICE_FACTOR, 6)
    update = {"cost_usd": price, "warnings": [*draft.warnings, BATCH_WARNING]}
    return draft.model_copy(update=update)
