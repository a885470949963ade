"""Command-line entry point: ``briefer COMMAND ...``; each command lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from briefer import __version__
from briefer.errors import BrieferError

# Modules under briefer.cli that provide ``register(subparsers)``; missing ones are skipped so
# an optional command's import failure cannot take the others down.
COMMANDS = ("brief", "eval", "prompt", "digest", "config")


class OneLineErrorParser(argparse.ArgumentParser):
    """Usage errors as one line naming the problem and where to look, exit code 2."""

    def error(self, message: str) -> NoReturn:
        program = self.prog.split()[0]
        self.exit(2, f"{program}: error: {message} (see '{self.prog} --help')\n")


def build_parser(commands: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    """The parser, with the given commands registered (all of them by default)."""
    parser = OneLineErrorParser(
        prog="briefer",
        description="Turn news articles into analyst briefings: attributed claims (who said "
        "what) kept apart from the outlet's own framing, each tied to the article's text.",
    )
    parser.add_argument("--version", action="version", version=f"briefer {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands:
        try:
            module = importlib.import_module(f"briefer.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"briefer.cli.{name}":
                continue
            raise
        module.register(subparsers)
    return parser


def _needed_commands(argv: Sequence[str]) -> Sequence[str]:
    """The command modules this run needs: importing one pulls in the pipeline, the OpenAI
    client and more, so a run imports only its own command's module. Help and usage errors,
    which list every command, import them all; ``--version`` alone needs none.
    """
    word = next((arg for arg in argv if not arg.startswith("-")), None)
    if word in COMMANDS:
        return (word,)
    if word is None and "--version" in argv:
        return ()
    return COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_needed_commands(args_list))
    args = parser.parse_args(args_list)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="briefer: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except BrieferError as exc:
        print(f"briefer: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("briefer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
