"""Delivering rendered output: stdout or files, written atomically (``briefer.atomic``)."""

from __future__ import annotations

import sys

from briefer.atomic import write_atomic

__all__ = ["write_atomic", "write_stdout"]


def write_stdout(content: str) -> None:
    sys.stdout.write(content if content.endswith("\n") else content + "\n")
    sys.stdout.flush()
