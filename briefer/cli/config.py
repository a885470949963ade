"""``briefer config``: show the settings in effect, where the file lives, or write a template."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import tomllib
from pathlib import Path
from typing import Any

from briefer.config import (
    PROCESS_VARIABLES,
    config_path,
    environment_sources,
    load_settings,
    masked,
)
from briefer.console import say
from briefer.deliver.files import write_atomic, write_stdout
from briefer.errors import BrieferError
from briefer.resources import resource_dir

TEMPLATE = "config.toml"
_SECRETS = (("engine", "api_key"), ("smtp", "password"))


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "config",
        help="show or create the configuration",
        description="Show the settings in effect, print the config file's location, or write "
        "a commented template. Environment variables (BRIEFER_*) override the file.",
    )
    parser.set_defaults(func=lambda _args: _usage(parser))
    commands = parser.add_subparsers(dest="config_command", metavar="ACTION")

    def action(name: str, func: Any, help: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=description)
        sub.set_defaults(func=func)
        return sub

    show = action(
        "show",
        run_show,
        "print the settings in effect (secrets masked)",
        "Print the settings in effect after the config file and environment variables are "
        "applied, with secrets masked, and say which file and variables were used.",
    )
    show.add_argument(
        "--format", choices=("toml", "json"), default="toml", help="output format (default toml)"
    )
    action(
        "path",
        run_path,
        "print the config file's location",
        "Print where briefer reads its config file (BRIEFER_CONFIG, else the user config "
        "folder), whether or not it exists.",
    )
    init = action(
        "init",
        run_init,
        "write a commented config template",
        "Write a commented template of every setting to the config file (or --path), readable "
        "by you alone. Refuses to overwrite an existing file without --force.",
    )
    init.add_argument("--path", type=Path, help="write here instead of the config file location")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_path(args: argparse.Namespace) -> int:
    write_stdout(str(config_path()))
    return 0


def run_init(args: argparse.Namespace) -> int:
    target: Path = args.path or config_path()
    if target.is_dir():
        raise BrieferError(f"{target} is a folder; give a file path with --path")
    if target.exists() and not args.force:
        raise BrieferError(f"{target} already exists; edit it, or use --force to replace it")
    # Owner-only from the start: a password may go in later.
    write_atomic(target, template_text(), mode=0o600)
    say(f"wrote a config template to {target}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    environ = os.environ
    path = config_path(environ)
    settings = load_settings(path, environ)
    sources = environment_sources(environ)
    data = masked(settings)
    used = sorted(set(sources.values()) | _config_variable())
    if args.format == "json":
        report = {
            "config_file": str(path),
            "config_file_exists": path.is_file(),
            "environment": used,
            "settings": data,
        }
        write_stdout(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    lines = [f"# config file: {path} ({'found' if path.is_file() else 'not found'})"]
    lines.append(f"# environment: {', '.join(used) if used else 'no BRIEFER_* variables set'}")
    lines.extend(_permission_warning(path))
    for section, values in data.items():
        lines.append("")
        lines.append(f"[{section}]")
        for field, value in values.items():
            origin = sources.get((section, field))
            if value is None:
                # TOML has no null; an unset key is shown as a comment.
                lines.append(f"# {field} is not set")
            else:
                comment = f"  # from {origin}" if origin else ""
                lines.append(f"{field} = {_toml_value(value)}{comment}")
    write_stdout("\n".join(lines))
    return 0


def template_text() -> str:
    """The shipped, commented config template."""
    return (resource_dir("templates") / TEMPLATE).read_text(encoding="utf-8")


def _config_variable() -> set[str]:
    return {name for name in PROCESS_VARIABLES if os.environ.get(name)}


def _permission_warning(path: Path) -> list[str]:
    if os.name != "posix" or not path.is_file():
        return []
    try:
        mode = path.stat().st_mode
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []
    has_secret = any(
        isinstance(data.get(section), dict) and data[section].get(field)
        for section, field in _SECRETS
    )
    if has_secret and mode & (stat.S_IRWXG | stat.S_IRWXO):
        return [f"# warning: {path} holds a secret and others can read it; run chmod 600 {path}"]
    return []


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return f"{{ {items} }}" if items else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    # JSON strings, numbers and booleans are valid TOML values.
    return json.dumps(value, ensure_ascii=False)
