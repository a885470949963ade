"""Command-line entry point: ``briefer COMMAND ...``; each command lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from briefer._version import __version__
from briefer.console import configure_logging, error, say
from briefer.errors import BrieferError

# Modules under briefer.cli that provide ``register(subparsers)``; missing ones are skipped so
# an optional command's import failure cannot take the others down.
COMMANDS = ("brief", "batch", "eval", "prompt", "digest", "config")


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
    _add_verbosity(parser, default=0)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands:
        try:
            module = importlib.import_module(f"briefer.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"briefer.cli.{name}":
                continue
            raise
        module.register(subparsers)
    for command in _subcommand_parsers(parser):
        _add_verbosity(command, default=argparse.SUPPRESS)
    return parser


def _add_verbosity(parser: argparse.ArgumentParser, *, default: object) -> None:
    """-v/-q before or after the command word (``briefer -v brief x`` = ``briefer brief -v x``).

    Subcommands use SUPPRESS so that their unset flags do not overwrite the top-level ones.
    """
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=1,
        default=default,
        help="log progress (and the HTML extractor's notes) to stderr",
    )
    group.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=-1,
        default=default,
        help="print errors only, no warnings",
    )


def _subcommand_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                found.append(child)
                found.extend(_subcommand_parsers(child))
    return found


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
    configure_logging(getattr(args, "verbosity", 0))
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except BrieferError as exc:
        error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        say("briefer: interrupted")
        return 130
    except BrokenPipeError:
        return 1
