"""Digests pending and sent, and the items each carries: the delivery protocol.

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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from briefer.digest.state.database import Database, iso, now_utc, parse_moment


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


class Digests(Database):
    """The ``digests`` and ``digest_items`` tables."""

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
                (iso(now_utc()), digest_id),
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
        stamp = iso(now_utc())
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
        """Digests reserved but not confirmed, oldest first: the next run re-sends them."""
        rows = self.db.execute(
            "SELECT digest_id, message_id, mode, recipients, subject, status, message, "
            "created_at, sent_at, attempts FROM digests WHERE status='pending' ORDER BY digest_id"
        ).fetchall()
        return [self._record(row) for row in rows]

    def _record(self, row: tuple) -> DigestRecord:
        items = [
            item[0]
            for item in self.db.execute(
                "SELECT item_id FROM digest_items WHERE digest_id=? ORDER BY item_id", (row[0],)
            )
        ]
        return DigestRecord(
            digest_id=row[0],
            message_id=row[1],
            mode=row[2],
            recipients=json.loads(row[3]),
            subject=row[4],
            status=row[5],
            message=row[6],
            created_at=datetime.fromisoformat(row[7]),
            sent_at=parse_moment(row[8]),
            attempts=row[9],
            item_ids=items,
        )
