"""The state database itself: its schema, opening and checking it, transactions, and meta keys."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from platformdirs import user_state_dir

from briefer.errors import BrieferError

SCHEMA = 1

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
    feed_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT
);
CREATE TABLE IF NOT EXISTS items (
    item_id TEXT PRIMARY KEY,
    feed_id TEXT,
    source TEXT NOT NULL,
    link TEXT,
    title TEXT,
    outlet TEXT,
    published TEXT,
    content_hash TEXT,
    article_sha256 TEXT,
    engine TEXT,
    error TEXT,
    skipped TEXT,
    first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_feed ON items (feed_id);
CREATE TABLE IF NOT EXISTS briefings (
    article_sha256 TEXT NOT NULL,
    engine TEXT NOT NULL,
    briefing TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (article_sha256, engine)
);
CREATE TABLE IF NOT EXISTS digests (
    digest_id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    mode TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
    message BLOB,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS digest_items (
    digest_id INTEGER NOT NULL REFERENCES digests (digest_id),
    item_id TEXT NOT NULL REFERENCES items (item_id),
    PRIMARY KEY (digest_id, item_id)
);
CREATE INDEX IF NOT EXISTS digest_items_item ON digest_items (item_id);
"""


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """How a moment is stored: UTC, to the second."""
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def before(published: str | None, since: datetime | None) -> bool:
    """Whether a stored publication time falls before ``since`` (never, without either)."""
    moment = parse_moment(published)
    return since is not None and moment is not None and moment < since


def chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    """``values`` in slices small enough for one ``IN (...)`` (SQLite limits parameters)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def state_error(path: Path, exc: sqlite3.Error) -> BrieferError:
    """What went wrong with the state database, and what to do about it, in one line."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN", "SQLITE_AUTH")):
        return BrieferError(
            f"state database {path} cannot be written ({exc}); make the file and its folder "
            "writable (SQLite adds -wal and -shm files beside it), or use --state elsewhere"
        )
    if name.startswith(("SQLITE_FULL", "SQLITE_IOERR")):
        return BrieferError(
            f"state database {path} could not be written ({exc}); free disk space or check "
            "the disk, then run again"
        )
    if name.startswith("SQLITE_NOTADB"):
        return BrieferError(
            f"{path} is not a briefer state database ({exc}); point --state at another file, "
            "or move it aside"
        )
    return BrieferError(
        f"state database {path} is damaged ({exc}); move it and its -wal/-shm files aside "
        "to start afresh (items already sent will be sent again), or use another --state"
    )


def default_state_path() -> Path:
    return Path(user_state_dir("briefer")) / "digest.sqlite3"


class Database:
    """One SQLite connection; every write is its own short transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a transaction's
            # boundaries are exactly the ones written in this package.
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30.0)
        except OSError as exc:
            raise BrieferError(
                f"cannot create the folder of state database {path} ({exc.strerror}); "
                "use --state with a path in a writable folder"
            ) from None
        except sqlite3.Error as exc:
            raise state_error(path, exc) from None
        try:
            self._prepare()
        except sqlite3.Error as exc:
            self.db.close()
            raise state_error(path, exc) from None

    def _prepare(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit that returned is on disk, so "marked sent" survives a power cut.
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        # executescript commits any open transaction itself, so it runs outside one; every
        # statement in it is idempotent.
        self.db.executescript(_TABLES)
        with self.transaction():
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is not None and int(row[0]) > SCHEMA:
                raise BrieferError(
                    f"state database {self.path} was written by a newer briefer "
                    f"(schema {row[0]}); upgrade briefer or use another --state"
                )
            # Always a real write: a read-only file or folder fails here, when the state is
            # opened, not after a digest has been written or sent.
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) "
                "DO UPDATE SET value=excluded.value",
                (str(SCHEMA) if row is None else row[0],),
            )

    def verify(self) -> None:
        """``PRAGMA quick_check``: a damaged page is found before a run relies on the state."""
        try:
            rows = [str(row[0]) for row in self.db.execute("PRAGMA quick_check")]
        except sqlite3.Error as exc:
            raise state_error(self.path, exc) from None
        if rows != ["ok"]:
            raise state_error(self.path, sqlite3.DatabaseError(rows[0] if rows else "no answer"))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value=excluded.value",
                (key, value),
            )
