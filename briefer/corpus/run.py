"""One batch run: items in, what OUT already has skipped, the rest briefed by a runner, each
result written in order to OUT or to the errors file, then the totals.

Order: a run writes its lines in input order. A resumed run appends what is left, again in
input order; OUT as a whole is in input order when the first run failed nothing, else the
retried failures come after the lines that were written before them (ids say which is which).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefer.corpus.inputs import CorpusItem
from briefer.corpus.jobs import Briefed, Job, Result, failure_reason
from briefer.corpus.order import ReorderBuffer
from briefer.corpus.progress import Progress
from briefer.corpus.runner import Runner
from briefer.corpus.store import Done, LineWriter, scan_output
from briefer.corpus.summary.totals import Totals
from briefer.deliver.files import write_atomic
from briefer.errors import BrieferError

log = logging.getLogger(__name__)


def default_errors_path(output: Path) -> Path:
    """``out.jsonl`` -> ``out.errors.jsonl``, beside it."""
    return output.with_name(f"{output.stem}.errors{output.suffix or '.jsonl'}")


@dataclass
class Plan:
    """What a run does: the items to brief, the ones OUT already has, the ones refused."""

    todo: list[CorpusItem] = field(default_factory=list)
    skipped: int = 0
    refused: list[tuple[CorpusItem, str]] = field(default_factory=list)


def plan(items: Sequence[CorpusItem], done: Done) -> Plan:
    """Skip an item OUT holds with the same id and text (SHA-256); refuse one whose id is there
    with another text. A fetched item's text is not fetched again to compare: its id decides."""
    result = Plan()
    for item in items:
        known = done.sha256.get(item.id)
        if known is None:
            result.todo.append(item)
            continue
        if not item.local:
            result.skipped += 1
            continue
        try:
            sha256 = item.resolve().sha256
        except Exception as error:
            result.refused.append(
                (item, f"cannot read it again to compare: {failure_reason(error)}")
            )
            continue
        if sha256 == known:
            result.skipped += 1
        else:
            result.refused.append(
                (
                    item,
                    "the output already has this id for another text (SHA-256 differs); give "
                    "the article a new id or remove its line from the output",
                )
            )
    return result


@dataclass
class Paths:
    output: Path
    errors: Path


def run_batch(
    items: Sequence[CorpusItem],
    paths: Paths,
    make_runner: Callable[[], Runner],
    *,
    progress: Callable[[int], Progress] = Progress,
    clock: Callable[[], float] = time.monotonic,
) -> Totals:
    """Brief what OUT lacks and append it; failures go to the errors file (which lists this
    run's failures only: every run retries the earlier ones)."""
    if paths.errors.resolve() == paths.output.resolve():
        raise BrieferError("--errors must be another file than -o")
    done = scan_output(paths.output)
    work = plan(items, done)
    write_atomic(paths.errors, "")
    totals = Totals(skipped=work.skipped)
    shown = progress(len(work.todo))
    started = clock()
    with LineWriter(paths.output) as out, LineWriter(paths.errors) as errors:
        for item, reason in work.refused:
            _write_error(errors, item.id, item.source, reason)
            totals.failed += 1
        if work.todo:
            sources = {index: item.source for index, item in enumerate(work.todo)}
            try:
                results = make_runner().results(_jobs(work.todo))
                for result in _ordered(results, len(work.todo)):
                    if isinstance(result.outcome, Briefed):
                        out.write(result.outcome.line)
                    else:
                        _write_error(
                            errors, result.id, sources[result.index], result.outcome.reason
                        )
                    totals.add(result)
                    shown.advance(ok=result.ok)
            finally:
                shown.clear()
    totals.seconds = clock() - started
    return totals


def _jobs(items: Sequence[CorpusItem]) -> Iterator[Job]:
    return (Job(index, item) for index, item in enumerate(items))


def _ordered(results: Iterator[Result], expected: int) -> Iterator[Result]:
    """Results in job order; a runner that yields too few is an error, not a short OUT."""
    buffer: ReorderBuffer[Result] = ReorderBuffer()
    try:
        for result in results:
            yield from buffer.push(result.index, result)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
    if buffer.next != expected:
        raise BrieferError(
            f"the runner gave no result for job {buffer.next}; "
            f"{expected - buffer.next} left unwritten, rerun to resume"
        )


def _write_error(errors: LineWriter, item_id: str, source: str, reason: str) -> None:
    errors.write(
        json.dumps({"id": item_id, "source": source, "reason": reason}, ensure_ascii=False)
    )
