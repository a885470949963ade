"""``briefer brief``: one briefing per article."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefer.config import load_settings, max_bytes_from_env
from briefer.console import ProgressLine, say
from briefer.console import error as console_error
from briefer.contract import Article
from briefer.deliver.files import write_atomic, write_stdout
from briefer.engines import Engine, get_engine
from briefer.engines.openai.usage import UsageTotals
from briefer.errors import BrieferError
from briefer.ingest import (
    DEFAULT_MAX_BYTES,
    load_article,
    unique_stems,
)
from briefer.ingest.fetch import DEFAULT_TIMEOUT, is_url
from briefer.pipeline import brief_async
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


def engine_options(args: argparse.Namespace) -> dict[str, Any]:
    """Options the CLI passes to engines; engines ignore what they do not use."""
    names = ("model", "base_url", "prompts", "no_cache", "timeout")
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}


@dataclass
class _Batch:
    """Progress of a multi-article run, for the progress line and the usage summary."""

    total: int
    done: int = 0
    failed: int = 0
    usage: UsageTotals = field(default_factory=UsageTotals)
    line: ProgressLine = field(default_factory=lambda: ProgressLine(enabled=False))

    def progress(self) -> None:
        self.line(self.done, self.total, self.failed)

    def finish_progress(self) -> None:
        self.line.clear()


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
    preloaded: dict[int, Article | BrieferError] = {}
    for index, source in enumerate(args.articles):
        if is_url(source):
            continue
        try:
            preloaded[index] = load_article(source, max_bytes=args.max_bytes)
        except BrieferError as problem:
            if not several:
                raise
            preloaded[index] = problem
    batch = _Batch(
        total=len(args.articles), line=ProgressLine(enabled=several and sys.stderr.isatty())
    )
    codes = asyncio.run(
        _brief_all(args, engine, stems, templates, max(1, concurrency), batch, several, preloaded)
    )
    batch.finish_progress()
    if batch.usage.articles and (batch.usage.input_tokens or batch.usage.cached):
        batch.usage.failed = batch.failed
        say(f"briefer: {batch.usage.summary()}")
    failed = [source for source, code in zip(args.articles, codes, strict=True) if code]
    if not failed:
        return 0
    if several:
        say(f"briefer: {len(failed)} of {len(codes)} articles failed: {', '.join(failed)}")
    return max(code for code in codes if code)


async def _brief_all(
    args: argparse.Namespace,
    engine: Engine,
    stems: list[str],
    templates: Any,
    concurrency: int,
    batch: _Batch,
    several: bool,
    preloaded: dict[int, Article | BrieferError],
) -> list[int]:
    """Brief every article with at most ``concurrency`` in flight; stdout keeps input order."""
    limit = asyncio.Semaphore(concurrency)
    ready: dict[int, str | None] = {}
    next_out = 0

    def flush_stdout() -> None:
        nonlocal next_out
        while next_out in ready:
            output = ready.pop(next_out)
            if output is not None:
                write_stdout(output)
            next_out += 1

    async def one(index: int, source: str, stem: str) -> int:
        nonlocal next_out
        output: str | None = None
        code = 0
        async with limit:
            try:
                article = preloaded.get(index)
                if isinstance(article, BrieferError):
                    raise article
                if article is None:
                    # Fetching a URL blocks; keep it off the loop so other articles progress.
                    article = await asyncio.to_thread(
                        load_article,
                        source,
                        max_bytes=args.max_bytes,
                        timeout=args.timeout or DEFAULT_TIMEOUT,
                    )
                briefing = await brief_async(article, engine=engine)
                output = render(briefing, args.format, templates_dir=templates)
                batch.usage.add(
                    briefing.provenance.input_tokens,
                    briefing.provenance.output_tokens,
                    briefing.provenance.cost_usd,
                    briefing.provenance.cached,
                )
                if args.output is not None:
                    target = (
                        args.output / f"{stem}{EXTENSIONS[args.format]}" if several else args.output
                    )
                    write_atomic(target, output)
                    output = None
            except BrieferError as error:
                if not several:
                    raise
                batch.failed += 1
                code = error.exit_code
                batch.finish_progress()
                message = str(error)
                console_error(message if source in message else f"{source}: {message}")
            finally:
                batch.done += 1
                ready[index] = output
                if args.output is None:
                    flush_stdout()
                batch.progress()
        return code

    try:
        return list(
            await asyncio.gather(
                *(
                    one(i, s, stem)
                    for i, (s, stem) in enumerate(zip(args.articles, stems, strict=True))
                )
            )
        )
    finally:
        await engine.aclose()


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
