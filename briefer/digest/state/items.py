"""Items seen and the briefings reused for them: what is new, what is left out, what is briefed.

Briefings are stored once per article text and engine (``article_sha256``), so syndicated copies
and re-runs reuse them; an item row says where an article came from and what became of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from briefer.contract import Briefing
from briefer.digest.state.database import (
    Database,
    before,
    chunks,
    iso,
    now_utc,
    parse_moment,
)

# ``items.skipped`` of an item published before the run's --since window.
OUTSIDE = "outside --since"
# (item_id, feed_id, source, link, title, published) of an entry left out by the window.
OutsideRow = tuple[str, str | None, str, str | None, str | None, datetime]


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


class Items(Database):
    """The ``items`` and ``briefings`` tables."""

    def processed_item_ids(
        self, item_ids: Sequence[str], engine: str, since: datetime | None = None
    ) -> set[str]:
        """Of ``item_ids``, those needing no more work: briefed with ``engine``, or published
        before ``since`` (an item left out by a window is reconsidered by a wider one). Failed
        items are not processed: they are retried."""
        found: set[str] = set()
        for chunk in chunks(list(item_ids)):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT i.item_id, i.skipped, i.published FROM items i WHERE i.item_id IN "
                f"({marks}) AND i.error IS NULL AND (i.skipped IS NOT NULL OR EXISTS (SELECT 1 "
                "FROM briefings b WHERE b.article_sha256 = i.article_sha256 AND b.engine = ?))",
                (*chunk, engine),
            )
            for item_id, skipped, published in rows:
                if skipped is None or before(published, since):
                    found.add(item_id)
        return found

    def record_outside(self, rows: Sequence[OutsideRow]) -> None:
        """Feed entries dated before the window, in one transaction: kept (unbriefed) so that
        a wider window later knows to read their feed in full again."""
        stamp = iso(now_utc())
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO items (item_id, feed_id, source, link, title, published, skipped, "
                "first_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (item_id) DO NOTHING",
                [
                    (item_id, feed_id, source, link, title, iso(published), OUTSIDE, stamp, stamp)
                    for item_id, feed_id, source, link, title, published in rows
                ],
            )

    def outside_window(self, item_ids: Sequence[str], since: datetime | None) -> set[str]:
        """Of ``item_ids``, those left out because they were published before ``since``."""
        found: set[str] = set()
        for chunk in chunks(list(item_ids)):
            rows = self.db.execute(
                f"SELECT item_id, published FROM items WHERE item_id IN "
                f"({','.join('?' * len(chunk))}) AND skipped IS NOT NULL AND error IS NULL",
                chunk,
            )
            found.update(item_id for item_id, published in rows if before(published, since))
        return found

    def has_entries_within(self, feed_id: str, since: datetime | None) -> bool:
        """Whether entries of the feed that an earlier, narrower window left out fall inside
        this one: then its validators must not be sent, or a 304 would hide them."""
        rows = self.db.execute(
            "SELECT published FROM items WHERE feed_id=? AND skipped IS NOT NULL AND error IS NULL",
            (feed_id,),
        )
        return any(not before(published, since) for (published,) in rows)

    def delivered_among(self, item_ids: Sequence[str]) -> set[str]:
        """Of ``item_ids``, those in a digest (sent or pending), by id or by link."""
        found: set[str] = set()
        for chunk in chunks(list(item_ids)):
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
        stamp = iso(now_utc())
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
                    iso(published),
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
        for chunk in chunks(list(feed_ids)):
            clauses.append((f"feed_id IN ({','.join('?' * len(chunk))})", chunk))
        for chunk in chunks(list(item_ids)):
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
        published=parse_moment(row[6]),
        content_hash=row[7],
        article_sha256=row[8],
        engine=row[9],
        error=row[10],
        first_seen=datetime.fromisoformat(row[11]),
    )
