"""The OpenAI Batch API as a runner: every job submitted as one batch, collected when it ends.

Unlike the other runners it takes all its jobs at once (the point is one upload), so the
results come when the batch is done: cache hits first, then the rest in job order. The batch's
id and where each request came from live in a state file beside OUT, so rerunning the same
command collects the batch instead of sending the requests again (``docs/batch-api.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from briefer.corpus.jobs import Failed, Job, Result, briefed, failure_reason
from briefer.engines.openai import OpenAIEngine
from briefer.errors import BrieferError
from briefer.pipeline.batch_api import BatchFailure, BatchItem, brief_via_batch_api


class BatchSubmitted(BrieferError):
    """``--submit-only``: the batch is on its way; a later run with the same state collects."""


def default_state_path(output: Path) -> Path:
    """``out.jsonl`` -> ``out.batch-api.json``, beside it."""
    return output.with_name(f"{output.stem}.batch-api.json")


class BatchAPIRunner:
    """A ``Runner`` sending every job's requests as one OpenAI batch."""

    name = "batch-api"

    def __init__(
        self,
        engine: OpenAIEngine,
        state_path: Path,
        *,
        poll_seconds: float = 30.0,
        wait: float | None = None,
        submit_only: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self.state_path = state_path
        self.poll_seconds = poll_seconds
        self.wait = wait
        self.submit_only = submit_only
        self.progress = progress

    def results(self, jobs: Iterator[Job]) -> Iterator[Result]:
        by_id: dict[str, Job] = {}
        items: list[BatchItem] = []
        for job in jobs:
            try:
                article = job.item.resolve()
            except Exception as error:  # an unreadable file fails its job, not the batch
                yield Result(job.index, job.item.id, Failed(failure_reason(error)))
                continue
            by_id[job.item.id] = job
            items.append(BatchItem(id=job.item.id, article=article))
        if not items:
            return
        answers = brief_via_batch_api(
            items,
            engine=self.engine,
            state_path=self.state_path,
            poll_seconds=self.poll_seconds,
            wait=self.wait,
            submit_only=self.submit_only,
            progress=self.progress,
        )
        if self.submit_only:
            raise BatchSubmitted(
                f"submitted {len(items):,} article(s) as a batch (state in {self.state_path}); "
                "rerun the same command to collect the answers"
            )
        for item_id, outcome in answers:
            job = by_id[item_id]
            if isinstance(outcome, BatchFailure):
                yield Result(job.index, item_id, Failed(outcome.reason))
            else:
                yield Result(job.index, item_id, briefed(outcome))
