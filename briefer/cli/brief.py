"""``briefer brief``: one briefing per article."""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefer.config import load_settings, max_bytes_from_env
from briefer.console import ProgressLine, say
from briefer.console import error as console_error
from briefer.contract import Article
from briefer.deliver.files import write_atomic, write_stdout
from briefer.engines import get_engine
from briefer.engines.openai.usage import UsageTotals
from briefer.errors import BrieferError
from briefer.ingest import (
    DEFAULT_MAX_BYTES,
    load_article,
    unique_stems,
)
from briefer.ingest.fetch import DEFAULT_TIMEOUT, is_url
from briefer.pipeline.batch import ArticleSource, Outcome, brief_many_async
from briefer.render import EXTENSIONS, FORMATS, render, templates_folder


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "brief",
        help="brief one or more articles",
        description="Brief articles: attributed claims, outlet framing, sources, flags.",
    )
    parser.add_argument(
        "articles",
        nargs="+",
        metavar="ARTICLE",
        help="a .txt/.md/.html path, '-' for stdin, or an http(s) URL",
    )
    parser.add_argument("-f", "--format", choices=FORMATS, default="md", help="output format")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="output file; with several articles, a folder (one file per article)",
    )
    parser.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="folder of template overrides, searched before the shipped ones "
        "(default: BRIEFER_TEMPLATES)",
    )
    add_engine_options(parser)
    parser.add_argument(
        "--concurrency",
        type=_positive_int,
        metavar="N",
        help="brief up to N articles at once (default: engine.concurrency, 4)",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        help=f"refuse inputs larger than this (default {DEFAULT_MAX_BYTES:,}, "
        "or BRIEFER_MAX_BYTES)",
    )
    parser.set_defaults(func=run)


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        default="auto",
        help="auto (a configured model engine, else rules), rules, openai, or a plugin's name",
    )
    # API keys come only from the environment or the config file, never from a flag.
    parser.add_argument("--model", help="model name for the openai engine (default: gpt-4o-mini)")
    parser.add_argument(
        "--base-url",
        dest="base_url",
        metavar="URL",
        help="OpenAI-compatible server, e.g. http://localhost:11434/v1 (default: OpenAI)",
    )
    parser.add_argument(
        "--prompts", type=Path, metavar="DIR", help="folder of prompt template overrides"
    )
    parser.add_argument(
        "--no-cache",
        dest="no_cache",
        action="store_true",
        default=None,
        help="ask the model even when a cached draft exists",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="SECONDS",
        help="seconds allowed for fetching each URL (the whole fetch: connect, redirects and "
        f"body; default {DEFAULT_TIMEOUT:g}) and for each model request",
    )
    parser.add_argument(
        "--deadline",
        type=_positive_float,
        metavar="SECONDS",
        help="seconds allowed for all model requests of one article, retries included "
        "(default: engine.deadline, 300); a slow CPU server needs more",
    )
    parser.add_argument(
        "--extraction",
        choices=("free", "seeded", "checked"),
        help="openai engine: free (extract from the text), seeded (review the rules engine's "
        "items in one answer) or checked (one yes/no question per rules claim); default: "
        "engine.extraction, checked",
    )


def engine_options(args: argparse.Namespace) -> dict[str, Any]:
    """Options the CLI passes to engines; engines ignore what they do not use."""
    names = ("model", "base_url", "prompts", "no_cache", "timeout", "deadline", "extraction")
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}


def run(args: argparse.Namespace) -> int:
    if args.max_bytes is None:
        args.max_bytes = max_bytes_from_env()
    if args.max_bytes <= 0:
        raise BrieferError("--max-bytes must be a positive number of bytes")
    several = len(args.articles) > 1
    if several and args.output is not None and args.output.exists() and not args.output.is_dir():
        raise BrieferError(f"-o {args.output} must be a folder when briefing several articles")
    options = engine_options(args)
    templates = templates_folder(args.templates)  # a bad folder fails before any model call
    stems = unique_stems(args.articles)
    concurrency = args.concurrency or load_settings().engine.concurrency
    engine = get_engine(args.engine, **options)  # bad engine settings fail before any work
    # Local inputs are read first, before any model call: a lone mistyped path fails at once,
    # and in a batch a bad file is reported while the others are still briefed. URLs are
    # fetched in the batch, where one that fails does not stop the others either.
    sources: list[ArticleSource] = []
    for source in args.articles:
        if is_url(source):
            timeout = args.timeout or DEFAULT_TIMEOUT
            sources.append(
                functools.partial(load_article, source, max_bytes=args.max_bytes, timeout=timeout)
            )
            continue
        try:
            sources.append(load_article(source, max_bytes=args.max_bytes))
        except BrieferError as problem:
            if not several:
                raise
            sources.append(functools.partial(_raise, problem))
    writer = _Writer(
        args=args,
        stems=stems,
        templates=templates,
        several=several,
        line=ProgressLine(enabled=several and sys.stderr.isatty()),
    )
    try:
        asyncio.run(
            brief_many_async(
                sources, engine=engine, concurrency=max(1, concurrency), on_done=writer.done
            )
        )
    finally:
        writer.line.clear()
    usage = writer.usage
    if usage.articles and (usage.input_tokens or usage.cached):
        usage.failed = writer.failed
        say(f"briefer: {usage.summary()}")
    failed = [source for index, source in enumerate(args.articles) if writer.codes.get(index)]
    if not failed:
        return 0
    if several:
        say(f"briefer: {len(failed)} of {len(args.articles)} articles failed: {', '.join(failed)}")
    return max(writer.codes.values())


def _raise(problem: BrieferError) -> Article:
    raise problem


@dataclass
class _Writer:
    """Renders and writes each briefing as it is done; stdout keeps the input order."""

    args: argparse.Namespace
    stems: list[str]
    templates: Path | None
    several: bool
    line: ProgressLine
    usage: UsageTotals = field(default_factory=UsageTotals)
    codes: dict[int, int] = field(default_factory=dict)
    ready: dict[int, str | None] = field(default_factory=dict)
    next_out: int = 0
    finished: int = 0

    @property
    def failed(self) -> int:
        return len(self.codes)

    def done(self, outcome: Outcome) -> None:
        output: str | None = None
        try:
            output = self._output(outcome)
        except BrieferError as error:
            if not self.several:
                raise
            self.codes[outcome.index] = error.exit_code
            self.line.clear()
            source = self.args.articles[outcome.index]
            message = str(error)
            console_error(message if source in message else f"{source}: {message}")
        finally:
            self.finished += 1
            self.ready[outcome.index] = output
            if self.args.output is None:
                self._flush_stdout()
            self.line(self.finished, len(self.args.articles), self.failed)

    def _output(self, outcome: Outcome) -> str | None:
        """The text for stdout, or None once written to a file; raises the article's error."""
        if outcome.error is not None:
            raise outcome.error
        briefing = outcome.briefing
        assert briefing is not None
        output = render(briefing, self.args.format, templates_dir=self.templates)
        provenance = briefing.provenance
        self.usage.add(
            provenance.input_tokens,
            provenance.output_tokens,
            provenance.cost_usd,
            provenance.cached,
        )
        if self.args.output is None:
            return output
        target = self.args.output
        if self.several:
            target = target / f"{self.stems[outcome.index]}{EXTENSIONS[self.args.format]}"
        write_atomic(target, output)
        return None

    def _flush_stdout(self) -> None:
        while self.next_out in self.ready:
            output = self.ready.pop(self.next_out)
            if output is not None:
                write_stdout(output)
            self.next_out += 1


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if number <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number
