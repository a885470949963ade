"""The one bounded repair round per chunk, and the flags for what it could not save.

An answer that is unusable as a whole (no JSON, wrong shape) is re-asked once with the reason.
Items that fail validation or grounding are sent back once with their specific errors and only
the paragraphs they cite (not the whole article and the first answer again), and the corrected
versions are grounded again. Whatever still fails is dropped and flagged.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from briefer.contract import Flag
from briefer.engines.openai.grounding import Failure, Grounded, ground_answer
from briefer.engines.openai.prompting import (
    Paragraph,
    PromptSet,
    item_repair_messages,
    repair_message,
)
from briefer.engines.openai.response import Outcome, items
from briefer.engines.openai.schema import LLMBriefing, LLMRepair
from briefer.engines.openai.usage import CallStats

# Repair prompts list at most this many failed items; the rest are dropped and flagged.
MAX_REPAIR_ITEMS = 24
# Output tokens a repaired item may take: the reference answer averages 77 per claim.
REPAIR_TOKENS_PER_ITEM = 120
Messages = list[dict[str, str]]
# ask(messages, schema, max_tokens): one answer, capped at max_tokens output tokens.
Ask = Callable[[Messages, type[BaseModel], int], Awaitable[Outcome]]


def free_output_cap(article_tokens: int) -> int:
    """The first answer's output cap (``engine.max_output_tokens`` replaces it when set): one
    token per article token plus 256 for the BLUF, at most 4,096. The reference answer takes
    77 tokens a claim, so this leaves room for an item every 80 article tokens (the rules
    engine finds one every 100 on PolNeAR) and stops a small model that repeats itself long
    before an 8,192-token context is full."""
    return min(4096, 256 + article_tokens)


@dataclass(frozen=True)
class Chunk:
    """One request's worth of an article: its paragraphs, its place, and the prompt sent."""

    text: str  # the whole article: paragraphs keep absolute offsets
    group: list[Paragraph]
    part: int
    parts: int
    messages: Messages
    json_object: bool
    cap: int  # output tokens for the first answer (and a whole re-ask)

    @property
    def where(self) -> str:
        """Names the chunk in messages, when there are several."""
        return f" for chunk {self.part} of {self.parts}" if self.parts > 1 else ""


async def settle(
    ask: Ask, prompts: PromptSet, chunk: Chunk, first: Outcome, stats: CallStats
) -> Grounded:
    """The chunk's grounded items, flags, BLUF and notes from the model's first answer,
    after at most one repair call."""
    flags = [truncated_flag(first, chunk)] if first.truncated else []
    if first.data is None:
        return await _reask_whole(ask, prompts, chunk, first, stats, flags)
    grounded = ground_answer(chunk.text, chunk.group, first.data)
    if grounded.failed:
        await _repair_items(ask, prompts, chunk, stats, grounded, flags)
    return _finished(grounded, flags, str(first.data.get("bluf") or ""))


async def _reask_whole(
    ask: Ask,
    prompts: PromptSet,
    chunk: Chunk,
    first: Outcome,
    stats: CallStats,
    flags: list[Flag],
) -> Grounded:
    stats.repairs += 1
    notes = [
        f"the model's first answer{chunk.where} was unusable ({first.error}); it was re-asked once"
    ]
    reason = first.error or "no JSON object"
    messages = [
        *chunk.messages,
        {"role": "assistant", "content": first.content[:4000]},
        repair_message(prompts, [reason], whole=True, json_object=chunk.json_object),
    ]
    second = await ask(messages, LLMBriefing, chunk.cap)
    if second.truncated:
        flags.append(truncated_flag(second, chunk, repair=True))
    if second.data is None:
        flags.append(
            Flag(
                code="invalid_model_output",
                message=f"the model's answer{chunk.where} was unusable twice "
                f"({second.error}); no items from it",
            )
        )
        return _finished(Grounded(notes=notes), flags, "")
    grounded = ground_answer(chunk.text, chunk.group, second.data)
    grounded.notes = notes
    flags.extend(_dropped_flag(*entry, repaired=True) for entry in grounded.failed)
    grounded.failed = []
    return _finished(grounded, flags, str(second.data.get("bluf") or ""))


async def _repair_items(
    ask: Ask,
    prompts: PromptSet,
    chunk: Chunk,
    stats: CallStats,
    grounded: Grounded,
    flags: list[Flag],
) -> None:
    """Re-ask for the failed items of ``grounded`` and fold the answer into it."""
    failed, grounded.failed = grounded.failed, []
    stats.repairs += 1
    asked = failed[:MAX_REPAIR_ITEMS]
    errors = [_describe_failure(*entry) for entry in asked]
    cited = {entry[2].get("para") for entry in asked if isinstance(entry[2], dict)}
    messages = item_repair_messages(
        prompts,
        chunk.messages[0],
        [p for p in chunk.group if p.number in cited],
        errors,
        json_object=chunk.json_object,
    )
    second = await ask(messages, LLMRepair, 64 + REPAIR_TOKENS_PER_ITEM * len(asked))
    if second.truncated:
        flags.append(truncated_flag(second, chunk, repair=True))
    fixed = (
        ground_answer(chunk.text, chunk.group, second.data)
        if second.data is not None
        else Grounded()
    )
    grounded.claims.extend(fixed.claims)
    grounded.framing.extend(fixed.framing)
    uncorrected = _uncorrected(failed, fixed)
    flags.extend(_dropped_flag(*entry, repaired=False) for entry in uncorrected)
    flags.extend(_dropped_flag(*entry, repaired=True) for entry in fixed.failed)
    # Counted against the items re-asked, so that corrected + dropped is what was sent back.
    corrected = min(len(failed), len(fixed.claims) + len(fixed.framing))
    grounded.notes.append(
        f"{len(failed)} model item(s){chunk.where} did not match the article and were "
        f"re-asked once; {corrected} corrected, {len(failed) - corrected} dropped (see flags)"
    )


def _finished(grounded: Grounded, flags: list[Flag], bluf: str) -> Grounded:
    grounded.flags = flags
    grounded.bluf = bluf
    return grounded


def _describe_failure(kind: str, why: str, item: Any) -> str:
    return f"{kind} {json.dumps(item, ensure_ascii=False)}: {why}"


def _uncorrected(failed: list[Failure], fixed: Grounded) -> list[Failure]:
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


def truncated_flag(outcome: Outcome, chunk: Chunk, *, repair: bool = False) -> Flag:
    data = outcome.data or {}
    kept = len(items(data, "claims")) + len(items(data, "framing"))
    answer = "repair answer" if repair else "answer"
    return Flag(
        code="truncated_output",
        message=f"the model's {answer}{chunk.where} hit its output token limit "
        f"(finish_reason=length); {kept} complete item(s) kept, later ones may be missing "
        "(raise engine.max_output_tokens)",
    )
