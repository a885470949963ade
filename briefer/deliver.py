"""Delivering rendered output: stdout or files, written atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from briefer.errors import BrieferError


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename, so readers never see half."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BrieferError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BrieferError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def write_stdout(content: str) -> None:
    sys.stdout.write(content if content.endswith("\n") else content + "\n")
    sys.stdout.flush()
