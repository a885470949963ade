"""A SQLite cache of engine drafts, so re-briefing an unchanged article makes no model call.

Key: article sha256 + engine + model + prompt digest + schema and draft versions. Each write is one
transaction in WAL mode, so concurrent writers (threads here, other briefer processes) are safe
and a reader never sees half a row.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path

from briefer.config import cache_root
from briefer.contract import SCHEMA_VERSION
from briefer.engines.drafts import Draft

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    key TEXT PRIMARY KEY,
    draft TEXT NOT NULL,
    created REAL NOT NULL
)
"""


# Bump when what a cached draft holds changes. 2: no cross-check flags (the pipeline adds
# them after the engine, on every briefing, so an older draft would carry them twice).
DRAFT_FORMAT = "2"


def default_path() -> Path:
    return cache_root() / "drafts.sqlite3"


def cache_key(
    *, article_sha256: str, engine: str, model: str, prompt_digest: str, llm_schema: str
) -> str:
    parts = (article_sha256, engine, model, prompt_digest, llm_schema, SCHEMA_VERSION, DRAFT_FORMAT)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class DraftCache:
    """One connection per cache, shared by this process's threads in turn.

    Keeping it open matters: closing the last connection to a WAL database checkpoints it with
    an fsync, which per article cost more than the lookup itself.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a crash may lose the last writes, never corrupt the file.
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(_SCHEMA)
            self._connection = connection
        return self._connection

    def open(self) -> None:
        """Open (and create) the database now; a cache that cannot be opened stays unused."""
        try:
            with self._lock:
                self._connect()
        except (sqlite3.Error, OSError):
            return

    def get(self, key: str) -> Draft | None:
        try:
            with self._lock:
                row = (
                    self._connect()
                    .execute("SELECT draft FROM drafts WHERE key = ?", (key,))
                    .fetchone()
                )
        except (sqlite3.Error, OSError):
            return None  # a broken cache must never stop a briefing
        if row is None:
            return None
        try:
            return Draft.model_validate_json(row[0])
        except ValueError:
            return None

    def put(self, key: str, draft: Draft) -> None:
        data = draft.model_dump_json()
        try:
            with self._lock:
                self._connect().execute(
                    "INSERT OR REPLACE INTO drafts (key, draft, created) VALUES (?, ?, ?)",
                    (key, data, time.time()),
                )
        except (sqlite3.Error, OSError):
            return

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
