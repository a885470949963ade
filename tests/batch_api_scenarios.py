"""Batch API runs against the scripted files/batches server, and the script that records them
as cassettes (``cassettes/batch_api_*.yaml``).

Re-record (after a change to the checked prompts, the rules engine or the request format)::

    python tests/batch_api_scenarios.py        # all, or name some: resume expired ...

Each scenario is a series of calls of ``brief_via_batch_api`` as separate runs would make them
(a new engine per call, one state file and one cache), so the replay shows what a resumed run
sends and what it does not.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from batch_api_server import BatchServer, Script

from briefer.config import EngineSettings
from briefer.contract import Article, Briefing
from briefer.engines.openai import OpenAIEngine
from briefer.pipeline.batch_api import BatchFailure, BatchItem, brief_via_batch_api

ROOT = Path(__file__).resolve().parent.parent

LABEL = "scripted Batch API server (tests/batch_api_server.py) on 127.0.0.1"
FIXTURES = ROOT / "tests" / "fixtures"
KEY = "sk-batch-scripted-not-a-real-key"
POLL = 60.0
# The harbour article twice (under two ids) and the statement: articles a1 (8 questions) and
# a2 (2 questions) in the batch.
HARBOUR = Article(text=(FIXTURES / "harbour.txt").read_text(encoding="utf-8"))
STATEMENT = Article(text=(FIXTURES / "statement.txt").read_text(encoding="utf-8"))
ITEMS = [
    BatchItem("harbour", HARBOUR),
    BatchItem("statement", STATEMENT),
    BatchItem("harbour-again", HARBOUR),
]
Results = dict[str, Briefing | BatchFailure]


class Interrupted(Exception):
    """Stands for the process stopping (Ctrl-C, a crash) in the middle of polling."""


@dataclass
class FakeTime:
    """The runner's clock and sleep: sleeping moves the clock and is recorded; ``stop_at``
    raises ``Interrupted`` at that sleep (1: the first)."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)
    stop_at: int | None = None

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.stop_at is not None and len(self.sleeps) >= self.stop_at:
            raise Interrupted
        self.now += seconds


def engine(base_url: str, folder: Path, **extra: Any) -> OpenAIEngine:
    """A new engine, as a new run makes one: the same cache file each time."""
    options: dict[str, Any] = {
        "settings": EngineSettings(),
        "base_url": base_url,
        "api_key": KEY,
        "model": "scripted-1",
        "cache_path": folder / "cache.sqlite3",
    }
    options.update(extra)
    return OpenAIEngine(**options)


def run(
    base_url: str,
    folder: Path,
    fake: FakeTime | None = None,
    engine_options: dict[str, Any] | None = None,
    items: list[BatchItem] = ITEMS,
    **extra: Any,
) -> Results:
    """One call of the runner over ``items``, its results by item id."""
    fake = fake or FakeTime()
    results = brief_via_batch_api(
        items,
        engine=engine(base_url, folder, **(engine_options or {})),
        state_path=folder / "run.state.json",
        poll_seconds=POLL,
        sleep=fake.sleep,
        clock=fake.clock,
        **extra,
    )
    return dict(results)


@dataclass
class Outcome:
    """What each call of a scenario returned."""

    calls: list[Results] = field(default_factory=list)
    interrupted: bool = False
    sleeps: list[float] = field(default_factory=list)


def resume(base_url: str, folder: Path) -> Outcome:
    """Submit only; a run interrupted in its first wait; a run that resumes and collects; a
    last run that finds every answer in the cache."""
    outcome = Outcome()
    outcome.calls.append(run(base_url, folder, submit_only=True))
    stopped = FakeTime(stop_at=1)
    try:
        run(base_url, folder, stopped)
    except Interrupted:
        outcome.interrupted = True
    later = FakeTime()
    outcome.calls.append(run(base_url, folder, later))
    outcome.sleeps = later.sleeps
    outcome.calls.append(run(base_url, folder))
    return outcome


def single(base_url: str, folder: Path) -> Outcome:
    return Outcome(calls=[run(base_url, folder)])


def _statement(cid: str) -> bool:
    return cid.startswith("a2-")


SCRIPTS: dict[str, list[Script]] = {
    "resume": [Script(statuses=["validating", "in_progress", "finalizing", "completed"])],
    # The statement's questions and one of the harbour's go unanswered; resubmitted, answered.
    "expired": [
        Script(
            statuses=["in_progress", "expired"],
            unanswered=lambda cid: _statement(cid) or cid == "a1-q7",
        ),
        Script(statuses=["validating", "completed"]),
    ],
    # The statement's questions expire twice: that article fails, the harbour's is briefed.
    "expired_twice": [
        Script(statuses=["expired"], unanswered=_statement),
        Script(statuses=["in_progress", "expired"], unanswered=_statement),
    ],
    # One of the statement's two questions fails (HTTP 500 in the error file).
    "partial": [
        Script(
            statuses=["in_progress", "finalizing", "completed"],
            fail=lambda cid: (
                "The server had an error processing your request." if cid == "a2-q1" else None
            ),
        )
    ],
    "failed": [
        Script(
            statuses=["validating", "failed"],
            errors=[
                {
                    "code": "model_not_found",
                    "message": "The model scripted-1 does not exist or you do not have access.",
                    "param": "body.model",
                    "line": 1,
                }
            ],
        )
    ],
    "seeded": [Script(statuses=["in_progress", "completed"])],
    "free": [Script(statuses=["in_progress", "completed"])],
}


def seeded(base_url: str, folder: Path) -> Outcome:
    return Outcome(calls=[run(base_url, folder, engine_options={"extraction": "seeded"})])


def free(base_url: str, folder: Path) -> Outcome:
    """The harbour article's free extraction: one request in the batch, one repair sent
    synchronously."""
    options = {"extraction": "free"}
    return Outcome(calls=[run(base_url, folder, engine_options=options, items=ITEMS[:1])])


STEPS: dict[str, Callable[[str, Path], Outcome]] = {
    "resume": resume,
    "expired": single,
    "expired_twice": single,
    "partial": single,
    "failed": single,
    "seeded": seeded,
    "free": free,
}


def main(names: list[str]) -> None:
    import tempfile

    from cassettes_support import recording

    for name in names or list(SCRIPTS):
        server = BatchServer().start()
        try:
            server.push(*SCRIPTS[name])
            with (
                tempfile.TemporaryDirectory() as folder,
                recording(f"batch_api_{name}.yaml", LABEL),
            ):
                STEPS[name](server.base_url, Path(folder))
            print(f"batch_api_{name}.yaml: {dict(server.seen())}")
        finally:
            server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
