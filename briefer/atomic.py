"""Writing a file atomically: whole or not at all, for every stage that writes one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from briefer.errors import BrieferError


def write_atomic(path: Path, content: str | bytes, *, mode: int | None = None) -> None:
    """Write via a temporary file in the same folder and rename, so readers never see half.

    ``mode`` defaults to what a plain ``open()`` would give (or the replaced file's mode).
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BrieferError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        # mkstemp creates 0600; give the file the mode a plain open() would have, unless it
        # replaces an existing file, whose mode is kept.
        if mode is None:
            mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
        os.chmod(temporary, mode)
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


def _umask() -> int:
    # Reading it from /proc avoids briefly setting the process umask, which races with threads.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current
