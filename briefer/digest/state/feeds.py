"""Feeds read before, and the validators (ETag, Last-Modified) for fetching them conditionally."""

from __future__ import annotations

from dataclasses import dataclass

from briefer.digest.state.database import Database, iso, now_utc


@dataclass
class FeedValidators:
    etag: str | None
    last_modified: str | None


class Feeds(Database):
    """The ``feeds`` table."""

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
                (feed_id, source, title, etag, last_modified, iso(now_utc())),
            )
