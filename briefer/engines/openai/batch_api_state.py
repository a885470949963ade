"""The Batch API runner's state file: what was submitted, so that a later call collects it
instead of submitting it again.

One JSON document, rewritten whole and atomically (temporary file, fsync, rename) after every
step that changes it: the plan, each upload, each batch created, each status seen, each file
downloaded. The request files and the downloaded answers sit beside it, named after it. It holds
no key and no article text: only ids, digests and the server's file and batch ids.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from briefer.atomic import write_atomic
from briefer.errors import ConfigError

ENDPOINT = "/v1/chat/completions"
# Statuses after which a batch changes no more.
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestRef(_Strict):
    """Where one line of a batch came from."""

    item: str  # the id of the (first) item with this article
    sha256: str  # the article's
    index: int  # the question's place in the article's list of questions
    body_sha256: str  # the request body's, to check that a resumed run rebuilds the same one


class Part(_Strict):
    """One batch: its request file, and what the server said about it."""

    input: str  # the request file's name, beside the state file
    custom_ids: list[str]
    file_id: str | None = None
    creating: bool = False  # set just before batches.create: a crash then leaves it set
    batch_id: str | None = None
    status: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    output: str | None = None  # the downloaded output file's name
    errors: str | None = None  # the downloaded error file's name
    message: str | None = None  # why the batch failed, as the server put it
    retry_of: int | None = None  # a resubmission of what this (expired) part left unanswered

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL


class BatchState(_Strict):
    """Everything a later call needs to collect, and to check it is collecting the same run."""

    version: Literal[1] = 1
    endpoint: str = ENDPOINT
    base_url: str
    model: str
    requests: dict[str, RequestRef]
    parts: list[Part]

    def by_article(self) -> dict[str, dict[int, str]]:
        """Each article's custom ids (by its SHA-256), by request index."""
        index: dict[str, dict[int, str]] = {}
        for cid, ref in self.requests.items():
            index.setdefault(ref.sha256, {})[ref.index] = cid
        return index


def load(path: Path) -> BatchState | None:
    """The state at ``path``, or None when there is none yet; a broken one is a one-line error."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(f"cannot read the batch state {path}: {error.strerror}") from None
    try:
        return BatchState.model_validate(json.loads(raw))
    except (ValueError, ValidationError):
        raise ConfigError(
            f"{path} is not a briefer Batch API state file (or is damaged); "
            "pass another --state path"
        ) from None


def save(path: Path, state: BatchState) -> None:
    write_atomic(path, (state.model_dump_json(indent=1) + "\n").encode("utf-8"))


def beside(path: Path, suffix: str) -> Path:
    """A file next to the state file, named after it."""
    return path.with_name(f"{path.name}.{suffix}")


def write_beside(path: Path, suffix: str, data: bytes) -> str:
    """Write ``data`` atomically next to the state file; its name, for the state."""
    target = beside(path, suffix)
    write_atomic(target, data)
    return target.name
