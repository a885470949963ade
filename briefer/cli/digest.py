"""``briefer digest``: a digest of new articles from feeds, folders and URLs, by email or file."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from briefer.config import DEFAULT_MAX_ENTRIES, load_settings
from briefer.console import ProgressLine, say, warn
from briefer.errors import BrieferError
from briefer.ingest.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from briefer.digest.request import DigestRequest, Mode


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "digest",
        help="a digest of new articles, by email or to a file",
        description="Brief every new item of the SOURCEs (feeds, article URLs, files, folders, "
        "globs; default: digest.feeds from the config) and send one digest. Items already sent "
        "are remembered in a state database and not sent again.",
    )
    parser.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="an RSS/Atom feed (file or URL), an article URL, a file, a folder or a glob",
    )
    parser.add_argument(
        "--since",
        help="skip items published longer ago than this: 24h, 90m, 2d, 1w, or 'all' "
        "(default: digest.since, 24h)",
    )
    parser.add_argument(
        "--to",
        action="append",
        metavar="ADDR",
        # One value per flag: a list-eating --to would swallow the SOURCEs that follow it.
        help="recipient; repeat the flag or separate with commas (default: digest.to)",
    )
    parser.add_argument("--subject", help="subject line (default: digest.subject)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--send", action="store_true", help="send by SMTP (smtp.* settings)")
    where.add_argument("--eml", type=Path, metavar="FILE", help="write the RFC 5322 message")
    where.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the HTML (.txt: plain text)"
    )
    parser.add_argument(
        "--mark-sent",
        action="store_true",
        help="with --eml/-o: record the items as sent, so later runs skip them",
    )
    parser.add_argument("--state", type=Path, help="state database (default: digest.state)")
    parser.add_argument(
        "--resend", action="store_true", help="include items already sent (within --since)"
    )
    parser.add_argument(
        "--engine",
        default=None,
        help="auto (a configured model engine, else rules), rules, openai, or a plugin's name",
    )
    parser.add_argument(
        "--every",
        metavar="CRON",
        help="stay in the foreground and run on this cron schedule, e.g. '0 7 * * *'",
    )
    parser.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        help=f"refuse feeds and pages larger than this (default {DEFAULT_MAX_BYTES:,}, "
        "or BRIEFER_MAX_BYTES)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for each feed or page (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-entries",
        type=int,
        default=None,
        metavar="N",
        help="read only the newest N entries of each feed, and count the rest "
        f"(default: digest.max_entries, {DEFAULT_MAX_ENTRIES})",
    )
    parser.set_defaults(func=run)


def build_request(args: argparse.Namespace) -> tuple[DigestRequest, Path]:
    # Imported here, not at module level: ``briefer --help`` registers every command, and the
    # digest machinery (feedparser, rapidfuzz, the digest models) is a quarter-second to load.
    from briefer.digest.request import DigestRequest, parse_since
    from briefer.digest.state import default_state_path

    settings = load_settings()
    digest = settings.digest
    mode: Mode = "stdout"
    output: Path | None = None
    if args.send:
        mode = "send"
    elif args.eml is not None:
        mode, output = "eml", args.eml
    elif args.output is not None:
        mode, output = "output", args.output
    if args.mark_sent and mode not in ("eml", "output"):
        raise BrieferError("--mark-sent goes with --eml or -o (--send always marks items sent)")
    if args.max_bytes is None:
        from briefer.config import max_bytes_from_env

        args.max_bytes = max_bytes_from_env()
    if args.max_bytes <= 0:
        raise BrieferError("--max-bytes must be a positive number of bytes")
    if args.timeout <= 0:
        raise BrieferError("--timeout must be a positive number of seconds")
    max_entries = digest.max_entries if args.max_entries is None else args.max_entries
    if max_entries <= 0:
        raise BrieferError("--max-entries must be a positive number of feed entries")
    recipients = [
        address.strip()
        for value in (args.to or digest.to)
        for address in value.split(",")
        if address.strip()
    ]
    engine = args.engine or settings.engine.name
    request = DigestRequest(
        sources=list(args.sources or digest.feeds),
        since=parse_since(args.since if args.since is not None else digest.since),
        subject=args.subject or digest.subject,
        engine=engine,
        max_bytes=args.max_bytes,
        timeout=args.timeout,
        resend=args.resend,
        mode=mode,
        output=output,
        recipients=recipients,
        sender=settings.smtp.sender or ("briefer@localhost" if mode == "eml" else None),
        smtp=settings.smtp,
        mark_sent=args.mark_sent,
        concurrency=settings.engine.concurrency,
        max_entries=max_entries,
    )
    state_path = args.state or digest.state or default_state_path()
    return request, Path(state_path).expanduser()


def run(args: argparse.Namespace) -> int:
    from briefer.digest.run import run_digest

    request, state_path = build_request(args)
    quiet = getattr(args, "verbosity", 0) < 0
    line = ProgressLine() if sys.stderr.isatty() and not quiet else None

    def job(stop: Callable[[], bool]) -> None:
        try:
            report = run_digest(request, state_path=state_path, stop=stop, progress=line)
        finally:
            if line is not None:
                line.clear()
        if quiet:
            return
        # Feed titles and links are in these lines: console's filter keeps them one line with
        # no control characters, so a feed cannot drive the reader's terminal.
        for message in [*report.warnings, *report.problems]:
            warn(message)
        say(f"briefer: {report.summary(request)}")

    from briefer.digest.schedule import check_cron, install_signal_handlers, run_every

    if args.every:
        check_cron(args.every)
        return run_every(args.every, job, state_path, request.sources)
    # From cron or systemd a single run also stops at a safe point on the first SIGTERM.
    stop = threading.Event()
    restore = install_signal_handlers(stop)
    try:
        job(stop.is_set)
    finally:
        restore()
    return 0
