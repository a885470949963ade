"""``briefer batch``: a corpus in, one Briefing JSON line per article out, resumable."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from briefer.cli.brief import _positive_float, _positive_int, add_engine_options, engine_options
from briefer.config import load_settings, max_bytes_from_env
from briefer.console import say
from briefer.corpus.batch_api import BatchAPIRunner, BatchSubmitted, default_state_path
from briefer.corpus.cluster import ClusterRunner
from briefer.corpus.concurrency import ConcurrentRunner
from briefer.corpus.inputs import Limits, read_inputs
from briefer.corpus.jobs import EngineSpec
from briefer.corpus.pool import PoolRunner, default_workers
from briefer.corpus.run import Paths, default_errors_path, run_batch
from briefer.corpus.runner import Runner
from briefer.corpus.summary.profile_csv import write_profile_csv
from briefer.engines import Engine, get_engine, resolve_engine_name
from briefer.engines.openai import OpenAIEngine
from briefer.errors import BrieferError
from briefer.ingest import DEFAULT_MAX_BYTES
from briefer.ingest.fetch import DEFAULT_TIMEOUT
from briefer.pipeline.batch_api import BatchPending

# Exit code of a run whose batch is still running after --wait (EX_TEMPFAIL: try again later).
PENDING_EXIT = 75


def computes(engine: Engine) -> bool:
    """Whether an engine computes rather than waits: one with no ``analyze_async`` of its own
    (the rules engine) gets a process pool, one that does I/O an event loop."""
    return type(engine).analyze_async is Engine.analyze_async


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="brief a corpus into a JSONL file, resumably",
        description="Brief a corpus: one Briefing JSON per line of OUT, in input order, each "
        "with its input's id in article.id. Rerun the same command after a crash or Ctrl-C: "
        "what OUT already holds (same id and text) is skipped. Failures go to the errors file "
        "and the run goes on. See docs/batch.md.",
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="a .jsonl of articles ('text', optional 'id', 'title', 'outlet', 'url', "
        "'published'), a folder of .txt/.md/.html files, a file of URLs (one a line), a feed "
        "(file or URL), an article file or URL",
    )
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.jsonl", help="output JSONL"
    )
    parser.add_argument(
        "--errors",
        type=Path,
        metavar="PATH",
        help="failures of this run, one JSON line each with id and reason "
        "(default: OUT.errors.jsonl beside OUT)",
    )
    parser.add_argument(
        "--profile-csv",
        dest="profile_csv",
        type=Path,
        metavar="OUT.csv",
        help="write per-outlet sourcing figures of every briefing in OUT to this CSV",
    )
    parser.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help=f"processes for the rules engine (default: the number of cores, {default_workers()})",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive_int,
        metavar="N",
        help="model engines: articles in flight at once (default: engine.concurrency, 4)",
    )
    parser.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="run on a Dask cluster (tcp://HOST:8786), or 'local' for two workers on this "
        "machine; needs briefer[dask]",
    )
    _add_batch_api_options(parser)
    add_engine_options(parser)
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        help=f"refuse inputs (files, pages, JSONL lines) larger than this (default "
        f"{DEFAULT_MAX_BYTES:,}, or BRIEFER_MAX_BYTES)",
    )
    parser.set_defaults(func=run)


def _add_batch_api_options(parser: argparse.ArgumentParser) -> None:
    api = parser.add_argument_group(
        "OpenAI Batch API (--engine openai; half the synchronous price, answers within 24 h)"
    )
    api.add_argument(
        "--batch-api",
        dest="batch_api",
        action="store_true",
        help="send every article's requests as one batch through /v1/files + /v1/batches and "
        "wait for it; rerun the same command to collect a batch that is still running",
    )
    api.add_argument(
        "--batch-state",
        dest="batch_state",
        type=Path,
        metavar="PATH",
        help="where the batch's id is kept (default: OUT.batch-api.json beside OUT)",
    )
    api.add_argument(
        "--resume",
        action="store_true",
        help="only collect the batch the state file names; never submit a new one",
    )
    api.add_argument(
        "--submit-only",
        dest="submit_only",
        action="store_true",
        help="submit the batch and exit; a later run with the same OUT collects it",
    )
    api.add_argument(
        "--wait",
        type=_positive_float,
        metavar="SECONDS",
        help="stop waiting for the batch after this long (exit 75; the state is kept)",
    )
    api.add_argument(
        "--poll",
        type=_positive_float,
        default=30.0,
        metavar="SECONDS",
        help="seconds between status checks of the batch (default 30)",
    )


def run(args: argparse.Namespace) -> int:
    max_bytes = max_bytes_from_env() if args.max_bytes is None else args.max_bytes
    if max_bytes <= 0:
        raise BrieferError("--max-bytes must be a positive number of bytes")
    if args.output.is_dir():
        raise BrieferError(f"-o {args.output} is a folder; give a .jsonl file")
    errors = args.errors or default_errors_path(args.output)
    options = engine_options(args)
    name = resolve_engine_name(args.engine, **options)
    engine = get_engine(name, **options)  # bad engine settings fail before any input is read
    _check_batch_api(args, engine)
    items = read_inputs(args.inputs, Limits(max_bytes, args.timeout or DEFAULT_TIMEOUT))
    runners: list[Runner] = []

    def make_runner() -> Runner:
        runners.append(_runner(args, name, options, engine))
        return runners[-1]

    try:
        totals = run_batch(items, Paths(args.output, errors), make_runner)
    except BatchSubmitted as submitted:
        say(f"briefer: {submitted}")
        return 0
    except BatchPending as pending:
        say(f"briefer: {pending}; rerun the same command to collect it")
        return PENDING_EXIT
    startup = getattr(runners[0], "startup_seconds", None) if runners else None
    if startup is not None:
        say(f"briefer: cluster {args.cluster} ready in {startup:.1f} s")
    say(f"briefer: {totals.summary()}")
    if args.profile_csv is not None:
        outlets = write_profile_csv(args.output, args.profile_csv)
        say(f"briefer: wrote {args.profile_csv} ({outlets} outlets)")
    if totals.failed:
        say(f"briefer: {totals.failed:,} failed; reasons in {errors}; rerun to retry them")
        return 1
    return 0


def _runner(args: argparse.Namespace, name: str, options: dict[str, Any], engine: Engine) -> Runner:
    if args.batch_api:
        assert isinstance(engine, OpenAIEngine)  # checked by _check_batch_api
        return BatchAPIRunner(
            engine,
            _state_path(args),
            poll_seconds=args.poll,
            wait=args.wait,
            submit_only=args.submit_only,
            progress=say,
        )
    spec = EngineSpec.of(name, options)
    if args.cluster:
        return ClusterRunner(spec, args.cluster)
    if computes(engine):
        return PoolRunner(spec, workers=args.workers or default_workers())
    concurrency = args.concurrency or load_settings().engine.concurrency
    return ConcurrentRunner(engine, concurrency=max(1, concurrency))


def _state_path(args: argparse.Namespace) -> Path:
    return args.batch_state or default_state_path(args.output)


def _check_batch_api(args: argparse.Namespace, engine: Engine) -> None:
    """Batch API options only with --batch-api and the openai engine; --resume needs a state."""
    used = [
        flag
        for flag, value in (
            ("--batch-state", args.batch_state),
            ("--resume", args.resume),
            ("--submit-only", args.submit_only),
            ("--wait", args.wait),
        )
        if value
    ]
    if not args.batch_api:
        if used:
            raise BrieferError(f"{used[0]} only goes with --batch-api")
        return
    if not isinstance(engine, OpenAIEngine):
        raise BrieferError("--batch-api needs the openai engine (--engine openai and a model)")
    if args.cluster:
        raise BrieferError("--batch-api and --cluster do not go together")
    if args.resume and not _state_path(args).exists():
        raise BrieferError(f"--resume: no batch state at {_state_path(args)}; nothing to collect")
