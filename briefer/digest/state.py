"""Digest state in SQLite: items seen, briefings reused, digests pending and sent.

Delivery protocol (at-least-once, deduplicable by Message-ID):

1. ``reserve_digest`` records a *pending* digest -- its Message-ID, recipients, item ids and the
   exact message bytes -- in one transaction, before anything is sent.
2. After the SMTP server accepts the message, ``confirm_digest`` marks the digest and its items
   sent in one transaction.
3. The next run first re-sends every pending digest, byte for byte with the same Message-ID,
   then confirms it. Items in a pending digest are never put into a new digest.

A crash before step 1 sends nothing and loses nothing; between 1 and 2 the message may have
been accepted (the server said 250 but we died before committing), so the re-send can deliver
it twice -- with the same Message-ID, which receivers and list archives dedupe. Exactly-once is
impossible without the server taking part in our transaction, and losing a digest is worse for
an analyst than receiving a second copy of it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout
from platformdirs import user_state_dir

from briefer.contract import Briefing
from briefer.errors import BrieferError

SCHEMA = 1
# ``items.skipped`` of an item published before the run's --since window.
OUTSIDE = "outside --since"
# (item_id, feed_id, source, link, title, published) of an entry left out by the window.
OutsideRow = tuple[str, str | None, str, str | None, str | None, datetime]

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


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _before(published: str | None, since: datetime | None) -> bool:
    moment = _parse(published)
    return since is not None and moment is not None and moment < since


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


@dataclass
class ItemRecord:
    item_id: str
    feed_id: str | None
    source: str
    link: str | None
    title: str | None
    outlet: str | None
    published: datetime | None
    content_hash: str | None
    article_sha256: str | None
    engine: str | None
    error: str | None
    first_seen: datetime


@dataclass
class DigestRecord:
    digest_id: int
    message_id: str
    mode: str
    recipients: list[str]
    subject: str
    status: str
    message: bytes | None
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    item_ids: list[str]


@dataclass
class FeedValidators:
    etag: str | None
    last_modified: str | None


class State:
    """One SQLite database; every write is its own short transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a transaction's
            # boundaries are exactly the ones written below.
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30.0)
        except OSError as exc:
            raise BrieferError(
                f"cannot create the folder of state database {path} ({exc.strerror}); "
                "use --state with a path in a writable folder"
            ) from None
        except sqlite3.Error as exc:
            raise state_error(path, exc) from None
        try:
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
                        f"state database {path} was written by a newer briefer "
                        f"(schema {row[0]}); upgrade briefer or use another --state"
                    )
                # Always a real write: a read-only file or folder fails here, when the state is
                # opened, not after a digest has been written or sent.
                self.db.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) "
                    "DO UPDATE SET value=excluded.value",
                    (str(SCHEMA) if row is None else row[0],),
                )
        except sqlite3.Error as exc:
            self.db.close()
            raise state_error(path, exc) from None

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

    def __enter__(self) -> State:
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

    # ---- meta ---------------------------------------------------------------------------

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

    # ---- feeds --------------------------------------------------------------------------

    def feed_validators(self, feed_id: str) -> FeedValidators | None:
        row = self.db.execute(
            "SELECT etag, last_modified FROM feeds WHERE feed_id=?", (feed_id,)
        ).fetchone()
        return None if row is None else FeedValidators(etag=row[0], last_modified=row[1])

    def save_feed(
        self,
        feed_id: str,
        *,
        source: str,
        title: str | None,
        etag: str | None,
        last_modified: str | None,
    ) -> None:
        """Remember a feed's validators; call only once all of its entries are recorded."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO feeds (feed_id, source, title, etag, last_modified, checked_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (feed_id) DO UPDATE SET "
                "source=excluded.source, title=COALESCE(excluded.title, feeds.title), "
                "etag=excluded.etag, last_modified=excluded.last_modified, "
                "checked_at=excluded.checked_at",
                (feed_id, source, title, etag, last_modified, _iso(now_utc())),
            )

    # ---- items and briefings -----------------------------------------------------------

    def processed_item_ids(
        self, item_ids: Sequence[str], engine: str, since: datetime | None = None
    ) -> set[str]:
        """Of ``item_ids``, those needing no more work: briefed with ``engine``, or published
        before ``since`` (an item left out by a window is reconsidered by a wider one). Failed
        items are not processed: they are retried."""
        found: set[str] = set()
        for chunk in _chunks(list(item_ids)):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT i.item_id, i.skipped, i.published FROM items i WHERE i.item_id IN "
                f"({marks}) AND i.error IS NULL AND (i.skipped IS NOT NULL OR EXISTS (SELECT 1 "
                "FROM briefings b WHERE b.article_sha256 = i.article_sha256 AND b.engine = ?))",
                (*chunk, engine),
            )
            for item_id, skipped, published in rows:
                if skipped is None or _before(published, since):
                    found.add(item_id)
        return found

    def record_outside(self, rows: Sequence[OutsideRow]) -> None:
        """Feed entries dated before the window, in one transaction: kept (unbriefed) so that
        a wider window later knows to read their feed in full again."""
        stamp = _iso(now_utc())
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO items (item_id, feed_id, source, link, title, published, skipped, "
                "first_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (item_id) DO NOTHING",
                [
                    (item_id, feed_id, source, link, title, _iso(published), OUTSIDE, stamp, stamp)
                    for item_id, feed_id, source, link, title, published in rows
                ],
            )

    def outside_window(self, item_ids: Sequence[str], since: datetime | None) -> set[str]:
        """Of ``item_ids``, those left out because they were published before ``since``."""
        found: set[str] = set()
        for chunk in _chunks(list(item_ids)):
            rows = self.db.execute(
                f"SELECT item_id, published FROM items WHERE item_id IN "
                f"({','.join('?' * len(chunk))}) AND skipped IS NOT NULL AND error IS NULL",
                chunk,
            )
            found.update(item_id for item_id, published in rows if _before(published, since))
        return found

    def has_entries_within(self, feed_id: str, since: datetime | None) -> bool:
        """Whether entries of the feed that an earlier, narrower window left out fall inside
        this one: then its validators must not be sent, or a 304 would hide them."""
        rows = self.db.execute(
            "SELECT published FROM items WHERE feed_id=? AND skipped IS NOT NULL AND error IS NULL",
            (feed_id,),
        )
        return any(not _before(published, since) for (published,) in rows)

    def delivered_among(self, item_ids: Sequence[str]) -> set[str]:
        """Of ``item_ids``, those in a digest (sent or pending), by id or by link."""
        found: set[str] = set()
        for chunk in _chunks(list(item_ids)):
            rows = self.db.execute(
                f"SELECT item_id FROM items WHERE item_id IN ({','.join('?' * len(chunk))}) "
                "AND (item_id IN (SELECT item_id FROM digest_items) OR link IN (SELECT i.link "
                "FROM items i JOIN digest_items d USING (item_id) WHERE i.link IS NOT NULL))",
                chunk,
            )
            found.update(row[0] for row in rows)
        return found

    def record_item(
        self,
        item_id: str,
        *,
        feed_id: str | None,
        source: str,
        link: str | None,
        title: str | None,
        published: datetime | None,
        outlet: str | None = None,
        content_hash: str | None = None,
        briefing: Briefing | None = None,
        engine: str | None = None,
        error: str | None = None,
        skipped: str | None = None,
    ) -> None:
        """Record an item and (if briefed) its briefing together, so neither exists alone."""
        stamp = _iso(now_utc())
        sha = briefing.article.sha256 if briefing is not None else None
        with self.transaction() as db:
            if briefing is not None and engine is not None:
                db.execute(
                    "INSERT OR IGNORE INTO briefings (article_sha256, engine, briefing, "
                    "created_at) VALUES (?, ?, ?, ?)",
                    (sha, engine, briefing.model_dump_json(), stamp),
                )
            db.execute(
                "INSERT INTO items (item_id, feed_id, source, link, title, outlet, published, "
                "content_hash, article_sha256, engine, error, skipped, first_seen, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (item_id) DO UPDATE SET "
                "feed_id=excluded.feed_id, source=excluded.source, link=excluded.link, "
                "title=COALESCE(excluded.title, items.title), "
                "outlet=COALESCE(excluded.outlet, items.outlet), "
                "published=COALESCE(excluded.published, items.published), "
                "content_hash=COALESCE(excluded.content_hash, items.content_hash), "
                "article_sha256=COALESCE(excluded.article_sha256, items.article_sha256), "
                "engine=COALESCE(excluded.engine, items.engine), "
                "error=excluded.error, skipped=excluded.skipped, updated_at=excluded.updated_at",
                (
                    item_id,
                    feed_id,
                    source,
                    link,
                    title,
                    outlet,
                    _iso(published),
                    content_hash,
                    sha,
                    engine,
                    error,
                    skipped,
                    stamp,
                    stamp,
                ),
            )

    def get_briefing(self, article_sha256: str, engine: str) -> Briefing | None:
        row = self.db.execute(
            "SELECT briefing FROM briefings WHERE article_sha256=? AND engine=?",
            (article_sha256, engine),
        ).fetchone()
        if row is None:
            return None
        return Briefing.model_validate_json(row[0])

    def candidate_items(
        self,
        *,
        feed_ids: Sequence[str],
        item_ids: Sequence[str],
        since: datetime | None,
        engine: str,
        include_sent: bool = False,
    ) -> list[ItemRecord]:
        """Briefed items of these feeds (or these ids) not yet sent nor reserved by a pending
        digest, published (or first seen) at or after ``since``; oldest first."""
        wanted: dict[str, ItemRecord] = {}
        clauses: list[tuple[str, list[str]]] = []
        for chunk in _chunks(list(feed_ids)):
            clauses.append((f"feed_id IN ({','.join('?' * len(chunk))})", chunk))
        for chunk in _chunks(list(item_ids)):
            clauses.append((f"item_id IN ({','.join('?' * len(chunk))})", chunk))
        # An article already sent (or reserved) under another item -- the same link in a
        # second feed, or given as a URL -- is not new either.
        busy = (
            ""
            if include_sent
            else " AND item_id NOT IN (SELECT item_id FROM digest_items) AND (link IS NULL OR "
            "link NOT IN (SELECT i.link FROM items i JOIN digest_items d USING (item_id) "
            "WHERE i.link IS NOT NULL))"
        )
        for clause, values in clauses:
            rows = self.db.execute(
                _ITEM_SELECT
                + f" WHERE ({clause}) AND error IS NULL AND skipped IS NULL AND engine=?{busy}",
                (*values, engine),
            )
            for row in rows:
                record = _item(row)
                wanted[record.item_id] = record
        if include_sent:
            # --resend still never takes items that wait in a pending digest: that digest
            # will carry them.
            pending = {
                row[0]
                for row in self.db.execute(
                    "SELECT di.item_id FROM digest_items di JOIN digests d USING (digest_id) "
                    "WHERE d.status='pending'"
                )
            }
            wanted = {key: value for key, value in wanted.items() if key not in pending}
        chosen = [
            record
            for record in wanted.values()
            if since is None or (record.published or record.first_seen) >= since
        ]
        chosen.sort(key=lambda record: (record.published or record.first_seen, record.item_id))
        links: set[str] = set()
        unique = []
        for record in chosen:
            # One article in several feeds is one item of the digest.
            if record.link is None or record.link not in links:
                unique.append(record)
                links.add(record.link or "")
        return unique

    def sent_item_ids(self) -> set[str]:
        rows = self.db.execute(
            "SELECT di.item_id FROM digest_items di JOIN digests d USING (digest_id) "
            "WHERE d.status='sent'"
        )
        return {row[0] for row in rows}

    # ---- digests ------------------------------------------------------------------------

    def reserve_digest(
        self,
        *,
        message_id: str,
        mode: str,
        recipients: Sequence[str],
        subject: str,
        message: bytes | None,
        item_ids: Sequence[str],
    ) -> int:
        """Record a pending digest and claim its items, before anything leaves the machine."""
        return self._insert_digest(
            message_id=message_id,
            mode=mode,
            recipients=recipients,
            subject=subject,
            message=message,
            item_ids=item_ids,
            sent=False,
        )

    def release_digest(self, digest_id: int) -> None:
        """Forget a pending digest the server refused for good, so its items go out later."""
        with self.transaction() as db:
            db.execute("DELETE FROM digest_items WHERE digest_id=?", (digest_id,))
            db.execute("DELETE FROM digests WHERE digest_id=? AND status='pending'", (digest_id,))

    def note_attempt(self, digest_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE digests SET attempts = attempts + 1 WHERE digest_id=?", (digest_id,))

    def confirm_digest(self, digest_id: int) -> None:
        """The server accepted the message: the digest and all its items are sent, at once.

        The stored message bytes are dropped: once sent, nothing re-sends them.
        """
        with self.transaction() as db:
            db.execute(
                "UPDATE digests SET status='sent', sent_at=?, message=NULL WHERE digest_id=?",
                (_iso(now_utc()), digest_id),
            )

    def record_written(
        self, *, message_id: str, mode: str, subject: str, item_ids: Sequence[str]
    ) -> int:
        """A digest written to a file with --mark-sent: recorded as sent in one transaction."""
        return self._insert_digest(
            message_id=message_id,
            mode=mode,
            recipients=(),
            subject=subject,
            message=None,
            item_ids=item_ids,
            sent=True,
        )

    def _insert_digest(
        self,
        *,
        message_id: str,
        mode: str,
        recipients: Sequence[str],
        subject: str,
        message: bytes | None,
        item_ids: Sequence[str],
        sent: bool,
    ) -> int:
        """A digest and its items in one transaction: pending, or already sent."""
        stamp = _iso(now_utc())
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO digests (message_id, mode, recipients, subject, status, message, "
                "created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message_id,
                    mode,
                    json.dumps(list(recipients)),
                    subject,
                    "sent" if sent else "pending",
                    message,
                    stamp,
                    stamp if sent else None,
                ),
            )
            digest_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO digest_items (digest_id, item_id) VALUES (?, ?)",
                [(digest_id, item_id) for item_id in item_ids],
            )
        return digest_id

    def pending_digests(self) -> list[DigestRecord]:
        return self._digests("WHERE status='pending'")

    def digests(self) -> list[DigestRecord]:
        return self._digests("")

    def _digests(self, where: str) -> list[DigestRecord]:
        rows = self.db.execute(
            "SELECT digest_id, message_id, mode, recipients, subject, status, message, "
            f"created_at, sent_at, attempts FROM digests {where} ORDER BY digest_id"
        ).fetchall()
        records = []
        for row in rows:
            items = [
                item[0]
                for item in self.db.execute(
                    "SELECT item_id FROM digest_items WHERE digest_id=? ORDER BY item_id",
                    (row[0],),
                )
            ]
            records.append(
                DigestRecord(
                    digest_id=row[0],
                    message_id=row[1],
                    mode=row[2],
                    recipients=json.loads(row[3]),
                    subject=row[4],
                    status=row[5],
                    message=row[6],
                    created_at=datetime.fromisoformat(row[7]),
                    sent_at=_parse(row[8]),
                    attempts=row[9],
                    item_ids=items,
                )
            )
        return records

    def check(self) -> list[str]:
        """Consistency problems (empty when consistent); used by tests and ``--verbose``."""
        problems: list[str] = []
        for (item_id,) in self.db.execute(
            "SELECT item_id FROM digest_items GROUP BY item_id HAVING COUNT(*) > 1 AND "
            "SUM(digest_id IN (SELECT digest_id FROM digests WHERE status='pending')) > 0"
        ):
            problems.append(f"item {item_id} is in a pending digest and in another digest")
        for (digest_id,) in self.db.execute(
            "SELECT digest_id FROM digests WHERE status='pending' AND message IS NULL "
            "AND mode='smtp'"
        ):
            problems.append(f"pending digest {digest_id} has no stored message")
        for (item_id,) in self.db.execute(
            "SELECT item_id FROM items WHERE error IS NULL AND article_sha256 IS NOT NULL AND "
            "NOT EXISTS (SELECT 1 FROM briefings b WHERE b.article_sha256=items.article_sha256 "
            "AND b.engine=items.engine)"
        ):
            problems.append(f"item {item_id} has no stored briefing")
        for (item_id,) in self.db.execute(
            "SELECT item_id FROM digest_items WHERE item_id NOT IN (SELECT item_id FROM items)"
        ):
            problems.append(f"digest item {item_id} is unknown")
        return problems


_ITEM_SELECT = (
    "SELECT item_id, feed_id, source, link, title, outlet, published, content_hash, "
    "article_sha256, engine, error, first_seen FROM items"
)


def _item(row: tuple) -> ItemRecord:
    return ItemRecord(
        item_id=row[0],
        feed_id=row[1],
        source=row[2],
        link=row[3],
        title=row[4],
        outlet=row[5],
        published=_parse(row[6]),
        content_hash=row[7],
        article_sha256=row[8],
        engine=row[9],
        error=row[10],
        first_seen=datetime.fromisoformat(row[11]),
    )


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def lock_path(state_path: Path) -> Path:
    return state_path.with_name(state_path.name + ".lock")


class RunLock:
    """An exclusive, non-blocking lock file beside the state file (``filelock``: ``flock`` on
    Unix, ``msvcrt`` on Windows); the OS drops it if the process dies, so a killed run never
    leaves a stale lock behind."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(path, timeout=0)

    def acquire(self) -> bool:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except Timeout:  # before OSError: Timeout is a TimeoutError
            return False
        except OSError as exc:
            raise BrieferError(
                f"cannot create the lock file {self.path} ({exc.strerror or exc}); make its "
                "folder writable, or use --state in a writable folder"
            ) from None
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> RunLock:
        if not self.acquire():
            raise BrieferError(
                f"another 'briefer digest' is running (lock {self.path}); "
                "wait for it to finish or use another --state",
                exit_code=75,
            )
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
