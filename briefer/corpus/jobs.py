"""What a runner is given and what it hands back: a job (one corpus item, numbered), and its
result (the briefing's JSON line with a few facts about it, or the reason it failed).

The JSON line is made where the briefing is made, in the worker: serializing is a good part of
an article's cost, and the driver, which only writes lines, stays free for the workers.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from briefer.console import one_line
from briefer.contract import Briefing
from briefer.corpus.inputs import CorpusItem
from briefer.engines import Engine, get_engine
from briefer.errors import BrieferError
from briefer.pipeline import brief

# A reason is one line of the errors file, not a traceback or a copy of the article.
_REASON_CHARS = 500


@dataclass(frozen=True)
class Job:
    """The ``index``-th item to brief in this run (runs number their own to-do list)."""

    index: int
    item: CorpusItem


@dataclass(frozen=True)
class Facts:
    """What the run's summary and progress need from a briefing, without parsing its line."""

    claims: int
    framing: int
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None
    cached: bool = False


@dataclass(frozen=True)
class Briefed:
    line: str
    facts: Facts


@dataclass(frozen=True)
class Failed:
    reason: str


@dataclass(frozen=True)
class Result:
    index: int
    id: str
    outcome: Briefed | Failed

    @property
    def ok(self) -> bool:
        return isinstance(self.outcome, Briefed)


def briefed(briefing: Briefing) -> Briefed:
    """A briefing as its OUT line and facts (a runner that makes Briefings elsewhere, such as
    a batch API's, calls this too)."""
    provenance = briefing.provenance
    return Briefed(
        line=briefing.model_dump_json(),
        facts=Facts(
            claims=len(briefing.claims),
            framing=len(briefing.framing),
            input_tokens=provenance.input_tokens,
            output_tokens=provenance.output_tokens,
            cost_usd=provenance.cost_usd,
            cached=provenance.cached,
        ),
    )


def failure_reason(error: BaseException) -> str:
    """One line naming what went wrong, for the errors file."""
    text = str(error) if isinstance(error, BrieferError) else f"{type(error).__name__}: {error}"
    text = one_line(text).strip() or type(error).__name__
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 1] + "…"


def brief_job(job: Job, engine: Engine) -> Result:
    """Load and brief one job; any error becomes its ``Failed`` result."""
    try:
        briefing = brief(job.item.resolve(), engine=engine)
        outcome: Briefed | Failed = briefed(briefing)
    except Exception as error:
        outcome = Failed(failure_reason(error))
    return Result(job.index, job.item.id, outcome)


@dataclass(frozen=True)
class EngineSpec:
    """How a worker process builds its engine: picklable, and a key for the per-process cache."""

    name: str
    options: tuple[tuple[str, Hashable], ...] = ()

    @classmethod
    def of(cls, name: str, options: dict[str, Any]) -> EngineSpec:
        return cls(name, tuple(sorted(options.items())))


@functools.cache
def worker_engine(spec: EngineSpec) -> Engine:
    """The engine of this process: built on its first job, reused for every later one."""
    return get_engine(spec.name, **dict(spec.options))


def run_job(spec: EngineSpec, job: Job) -> Result:
    """A job in a worker process (pool or cluster), with the process's one engine."""
    return brief_job(job, worker_engine(spec))


def run_jobs(spec: EngineSpec, jobs: list[Job]) -> list[Result]:
    """Several jobs in one worker call: a cluster's per-task cost, paid once for all of them."""
    engine = worker_engine(spec)
    return [brief_job(job, engine) for job in jobs]


def portable(job: Job) -> Job | Result:
    """A job that may travel to another process: an item whose loader cannot (a feed entry's
    closure) is loaded here first; a load that fails is its result already."""
    if job.item.portable or job.item.article is not None:
        return job
    try:
        article = job.item.resolve()
    except Exception as error:
        return Result(job.index, job.item.id, Failed(failure_reason(error)))
    item = CorpusItem(id=job.item.id, source=job.item.source, article=article)
    return Job(job.index, item)
