"""The resumable output: a JSONL file of whole lines, appended, fsynced in batches.

A line is written with one ``write`` of its bytes, newline included, on a descriptor opened
with ``O_APPEND`` and no user-space buffer: a killed process leaves every line it wrote whole,
except perhaps the last one (a kill during a large write, or a power cut before an fsync).
``scan_output`` finds such a torn last line and cuts it off before a run appends again.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefer.errors import InputError

log = logging.getLogger(__name__)


@dataclass
class Done:
    """What OUT already holds: article id -> the SHA-256 of the text it was briefed from."""

    sha256: dict[str, str] = field(default_factory=dict)
    lines: int = 0
    # Bytes cut off the end: a torn last line.
    dropped: int = 0


def scan_output(path: Path) -> Done:
    """The ids and hashes in OUT, after cutting off a torn last line (in place).

    A line other than the last that is not a briefing with ``article.id`` is an error: OUT was
    not written by ``briefer batch``, or was edited, and appending to it could hide that.
    """
    done = Done()
    try:
        handle = path.open("rb+")
    except FileNotFoundError:
        return done
    except OSError as exc:
        raise InputError(f"cannot open {path}: {exc.strerror or exc}") from None
    with handle:
        good_end = 0  # where the last whole, valid line ends
        previous: tuple[int, bytes] | None = None
        for number, raw in enumerate(handle, start=1):
            if previous is not None:
                _keep(done, _identity(previous[1], path, previous[0]))
                good_end += len(previous[1])
            previous = (number, raw)
        if previous is not None:
            identity = _identity(previous[1], path, previous[0], last=True)
            if identity is not None and previous[1].endswith(b"\n"):
                _keep(done, identity)
                good_end += len(previous[1])
        size = handle.seek(0, os.SEEK_END)
        if size > good_end:
            done.dropped = size - good_end
            handle.truncate(good_end)
            handle.flush()
            os.fsync(handle.fileno())
            log.warning(
                "%s: cut off a torn last line (%d bytes); it is briefed again", path, done.dropped
            )
    return done


def _keep(done: Done, identity: tuple[str, str] | None) -> None:
    # None only for a torn last line, which callers check for first.
    assert identity is not None
    item_id, sha256 = identity
    done.sha256[item_id] = sha256
    done.lines += 1


def _identity(raw: bytes, path: Path, number: int, *, last: bool = False) -> tuple[str, str] | None:
    """(id, sha256) of one line; None for a torn last line; an error for a bad earlier one."""
    try:
        article = json.loads(raw)["article"]
        item_id, sha256 = article["id"], article["sha256"]
        if not isinstance(item_id, str) or not isinstance(sha256, str):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        if last:
            return None
        raise InputError(
            f"{path} line {number} is not a briefing with an article id; "
            "give -o a new file or one written by 'briefer batch'"
        ) from None
    return item_id, sha256


class LineWriter:
    """Appends whole lines; fsyncs every ``every`` lines or ``seconds``, and on close."""

    def __init__(
        self,
        path: Path,
        *,
        every: int = 64,
        seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        self.every = every
        self.seconds = seconds
        self.clock = clock
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.fd: int | None = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
        self.unsynced = 0
        self.synced_at = clock()
        self.fsyncs = 0

    def write(self, line: str) -> None:
        """One line (no newline inside it); the newline is added here."""
        if "\n" in line:
            raise ValueError("a line must not contain a newline")
        assert self.fd is not None, "writer is closed"
        data = (line + "\n").encode("utf-8")
        while data:
            written = os.write(self.fd, data)
            data = data[written:]
        self.unsynced += 1
        if self.unsynced >= self.every or self.clock() - self.synced_at >= self.seconds:
            self.sync()

    def sync(self) -> None:
        if self.fd is not None and self.unsynced:
            os.fsync(self.fd)
            self.fsyncs += 1
            self.unsynced = 0
            self.synced_at = self.clock()

    def close(self) -> None:
        if self.fd is not None:
            self.sync()
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> LineWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
