"""Briefing many articles through the OpenAI Batch API, at half the synchronous price: the
openai engine's batch runner with the pipeline's steps around it (the rules engine's draft for
the seeded modes, then the cross-check and assembly ``brief()`` does). ``docs/batch-api.md``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from briefer.contract import Article, Briefing
from briefer.engines.drafts import Draft
from briefer.engines.openai import OpenAIEngine
from briefer.engines.openai.batch_api import (
    BatchFailure,
    BatchItem,
    BatchPending,
    Result,
    run_batch,
)
from briefer.pipeline import crosscheck, finish

__all__ = ["BatchFailure", "BatchItem", "BatchPending", "brief_via_batch_api"]


def brief_via_batch_api(
    items: Sequence[BatchItem],
    *,
    engine: OpenAIEngine | Mapping[str, Any],
    state_path: Path,
    **options: Any,
) -> Iterator[Result]:
    """(item id, Briefing or BatchFailure) for each item, through the Batch API; ``engine`` is
    an openai engine or its options. A call with a ``state_path`` that holds a submitted run
    collects it instead of submitting again. ``options``: ``poll_seconds``, ``sleep``,
    ``clock``, ``wait``, ``submit_only``, ``max_requests``, ``progress`` (see ``run_batch``)."""
    runner = engine if isinstance(engine, OpenAIEngine) else OpenAIEngine(**engine)

    def finished(article: Article, draft: Draft, seed: Draft | None) -> Briefing:
        return finish(article, draft, runner, rules=seed)

    return run_batch(
        items,
        engine=runner,
        state_path=state_path,
        seed_for=crosscheck.rules_draft,
        finish=finished,
        **options,
    )
