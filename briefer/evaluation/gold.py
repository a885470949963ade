"""Reading gold JSONL files: one record per line, each an object with a ``text`` string."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefer.errors import InputError


def read_jsonl(path: Path, expected: str, limit: int | None = None) -> Iterator[tuple[int, dict]]:
    """``(line number, record)`` for the first ``limit`` records; a bad file is a one-line
    user error naming ``expected`` (what the task reads, e.g. "PolNeAR-format JSONL")."""
    try:
        stream = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}; pass {expected}") from None
    count = 0
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                return
            try:
                record: Any = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{path}:{number}: not JSON ({exc.msg}); pass {expected}"
                ) from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InputError(
                    f"{path}:{number}: a record needs a 'text' string; pass {expected}"
                )
            count += 1
            yield number, record
