"""The SQLite state: items, briefings reused, the pending -> sent protocol, the run lock."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefer.errors import BrieferError
from briefer.models import Article, Briefing, Provenance
from briefer.state import RunLock, State


def briefing(text: str, outlet: str = "Harbor Gazette") -> Briefing:
    return Briefing(
        article=Article(text=text, outlet=outlet),
        bluf=text[:40],
        provenance=Provenance(engine="rules", created_at="2026-01-01T00:00:00+00:00"),
    )


def add(state: State, item_id: str, text: str, *, feed: str = "feed:a", **extra: object) -> None:
    state.record_item(
        item_id,
        feed_id=feed,
        source="http://x/feed",
        link=f"http://x/{item_id}",
        title=item_id,
        published=extra.pop("published", datetime.now(UTC)),  # type: ignore[arg-type]
        briefing=briefing(text),
        engine="rules",
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def state(tmp_path: Path) -> State:
    db = State(tmp_path / "state.sqlite3")
    yield db  # type: ignore[misc]
    assert db.check() == []
    db.close()


def candidates(state: State, **options: object) -> list[str]:
    found = state.candidate_items(
        feed_ids=["feed:a"],
        item_ids=[],
        since=None,
        engine="rules",
        **options,  # type: ignore[arg-type]
    )
    return [record.item_id for record in found]


def test_briefings_are_stored_once_and_reused_by_hash_and_engine(state: State) -> None:
    add(state, "i1", "Same text in two feeds.")
    add(state, "i2", "Same text in two feeds.", feed="feed:b")
    sha = briefing("Same text in two feeds.").article.sha256
    assert state.get_briefing(sha, "rules") is not None
    assert state.get_briefing(sha, "openai") is None
    count = state.db.execute("SELECT COUNT(*) FROM briefings").fetchone()[0]
    assert count == 1
    assert state.processed_item_ids(["i1", "i2", "i3"], "rules") == {"i1", "i2"}
    assert state.processed_item_ids(["i1"], "openai") == set()


def test_failed_items_are_retried_and_skipped_items_are_not(state: State) -> None:
    state.record_item(
        "bad", feed_id="feed:a", source="s", link="l", title=None, published=None, error="404"
    )
    state.record_item(
        "old", feed_id="feed:a", source="s", link="l", title=None, published=None, skipped="old"
    )
    assert state.processed_item_ids(["bad", "old"], "rules") == {"old"}
    assert candidates(state) == []


def test_pending_items_are_reserved_and_confirmed_together(state: State) -> None:
    for n in range(3):
        add(state, f"i{n}", f"Article number {n}.")
    assert candidates(state) == ["i0", "i1", "i2"]
    digest_id = state.reserve_digest(
        message_id="<1@example.org>",
        mode="smtp",
        recipients=["a@example.org"],
        subject="s",
        message=b"raw",
        item_ids=["i0", "i1"],
    )
    # Reserved items are neither offered again nor resent by --resend while pending.
    assert candidates(state) == ["i2"]
    assert candidates(state, include_sent=True) == ["i2"]
    [pending] = state.pending_digests()
    assert pending.message == b"raw" and pending.item_ids == ["i0", "i1"]
    assert state.sent_item_ids() == set()
    state.confirm_digest(digest_id)
    assert state.pending_digests() == []
    assert state.sent_item_ids() == {"i0", "i1"}
    [record] = state.digests()
    assert record.status == "sent" and record.message is None and record.sent_at is not None
    assert candidates(state, include_sent=True) == ["i0", "i1", "i2"]


def test_a_permanently_refused_digest_releases_its_items(state: State) -> None:
    add(state, "i0", "One.")
    digest_id = state.reserve_digest(
        message_id="<2@example.org>",
        mode="smtp",
        recipients=[],
        subject="s",
        message=b"m",
        item_ids=["i0"],
    )
    state.release_digest(digest_id)
    assert state.digests() == []
    assert candidates(state) == ["i0"]


def test_since_uses_published_then_first_seen(state: State) -> None:
    now = datetime.now(UTC)
    add(state, "new", "New.", published=now - timedelta(hours=1))
    add(state, "old", "Old.", published=now - timedelta(days=3))
    found = state.candidate_items(
        feed_ids=["feed:a"], item_ids=[], since=now - timedelta(hours=24), engine="rules"
    )
    assert [r.item_id for r in found] == ["new"]


def test_a_transaction_that_fails_leaves_nothing(state: State) -> None:
    add(state, "i0", "One.")
    with pytest.raises(sqlite3.IntegrityError):
        state.reserve_digest(
            message_id="<3@example.org>",
            mode="smtp",
            recipients=[],
            subject="s",
            message=b"m",
            item_ids=["i0", "i0"],  # duplicate key: the whole reservation rolls back
        )
    assert state.digests() == [] and candidates(state) == ["i0"]


def test_meta_and_feed_validators(state: State) -> None:
    assert state.get_meta("k") is None
    state.set_meta("k", "v1")
    state.set_meta("k", "v2")
    assert state.get_meta("k") == "v2"
    state.save_feed("feed:a", source="u", title="T", etag='"e"', last_modified="Mon")
    known = state.feed_validators("feed:a")
    assert known is not None and known.etag == '"e"' and known.last_modified == "Mon"


def test_an_unreadable_database_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(BrieferError, match="unreadable"):
        State(path)


def test_the_run_lock_excludes_a_second_process(tmp_path: Path) -> None:
    lock = tmp_path / "state.sqlite3.lock"
    with RunLock(lock):
        code = (
            "import sys; from pathlib import Path; from briefer.state import RunLock; "
            f"sys.exit(0 if RunLock(Path({str(lock)!r})).acquire() else 3)"
        )
        assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 3
        with pytest.raises(BrieferError, match="another 'briefer digest' is running"):
            RunLock(lock).__enter__()
    # Released (also what the kernel does when a holder is killed).
    assert RunLock(lock).acquire()


def test_one_link_in_two_feeds_is_one_item_and_not_new_once_sent(state: State) -> None:
    for item_id, feed in (("a1", "feed:a"), ("b1", "feed:b")):
        state.record_item(
            item_id,
            feed_id=feed,
            source="s",
            link="http://x/same",
            title=None,
            published=datetime.now(UTC),
            briefing=briefing("Same page."),
            engine="rules",
        )

    def both() -> list[str]:
        found = state.candidate_items(
            feed_ids=["feed:a", "feed:b"], item_ids=[], since=None, engine="rules"
        )
        return [r.item_id for r in found]

    assert len(both()) == 1
    digest_id = state.reserve_digest(
        message_id="<4@example.org>",
        mode="smtp",
        recipients=[],
        subject="s",
        message=b"m",
        item_ids=both(),
    )
    state.confirm_digest(digest_id)
    assert both() == []
