"""``briefer brief``: one briefing per article."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from briefer.deliver import write_atomic, write_stdout
from briefer.errors import BrieferError
from briefer.ingest import DEFAULT_MAX_BYTES, load_article, max_bytes_from_env, unique_stems
from briefer.pipeline import brief
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


def engine_options(args: argparse.Namespace) -> dict[str, Any]:
    """Options the CLI passes to engines; engines ignore what they do not use."""
    names = ("model", "base_url", "prompts", "no_cache", "timeout")
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
    for source, stem in zip(args.articles, stems, strict=True):
        article = load_article(source, max_bytes=args.max_bytes)
        briefing = brief(article, engine=args.engine, **options)
        output = render(briefing, args.format, templates_dir=templates)
        if args.output is None:
            write_stdout(output)
        elif several:
            target = args.output / f"{stem}{EXTENSIONS[args.format]}"
            write_atomic(target, output)
        else:
            write_atomic(args.output, output)
    return 0
