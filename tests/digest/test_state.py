"""The SQLite state: items, briefings reused, the pending -> sent protocol, the run lock."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import digest_fixtures as fx
import pytest

from briefer.contract import Article, Briefing, Provenance
from briefer.digest.state import OUTSIDE, RunLock, State
from briefer.errors import BrieferError


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
    assert fx.problems(db) == []
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


def test_failed_items_are_retried_and_items_outside_the_window_wait_for_a_wider_one(
    state: State,
) -> None:
    now = datetime.now(UTC)
    state.record_item(
        "bad", feed_id="feed:a", source="s", link="l", title=None, published=None, error="404"
    )
    old = now - timedelta(days=3)
    state.record_item(
        "old", feed_id="feed:a", source="s", link="l", title=None, published=old, skipped=OUTSIDE
    )
    day = now - timedelta(hours=24)
    assert state.processed_item_ids(["bad", "old"], "rules", since=day) == {"old"}
    assert state.outside_window(["bad", "old"], day) == {"old"}
    # A week's window covers it: it needs briefing now, and so does its feed in full.
    week = now - timedelta(weeks=1)
    assert state.processed_item_ids(["bad", "old"], "rules", since=week) == set()
    assert state.processed_item_ids(["old"], "rules", since=None) == set()
    assert state.outside_window(["old"], week) == set()
    assert not state.has_entries_within("feed:a", day)
    assert state.has_entries_within("feed:a", week) and state.has_entries_within("feed:a", None)
    assert candidates(state) == []


def test_entries_outside_the_window_are_recorded_at_once_and_never_overwrite(
    state: State,
) -> None:
    now = datetime.now(UTC)
    add(state, "i1", "Briefed already.")
    rows = [
        ("i1", "feed:a", "s", "http://x/i1", "i1", now - timedelta(days=9)),
        ("i2", "feed:a", "s", "http://x/i2", "i2", now - timedelta(days=9)),
    ]
    state.record_outside(rows)
    state.record_outside(rows)  # the next run sees them again: no change, no error
    assert candidates(state) == ["i1"]
    assert state.outside_window(["i1", "i2"], now - timedelta(days=1)) == {"i2"}
    digest_id = state.reserve_digest(
        message_id="<5@example.org>",
        mode="smtp",
        recipients=[],
        subject="s",
        message=b"m",
        item_ids=["i1"],
    )
    state.confirm_digest(digest_id)
    assert state.delivered_among(["i1", "i2"]) == {"i1"}


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
    assert fx.sent_item_ids(state) == set()
    state.confirm_digest(digest_id)
    assert state.pending_digests() == []
    assert fx.sent_item_ids(state) == {"i0", "i1"}
    [record] = fx.digests(state)
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
    assert fx.digests(state) == []
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
    assert fx.digests(state) == [] and candidates(state) == ["i0"]


def test_meta_and_feed_validators(state: State) -> None:
    assert state.get_meta("k") is None
    state.set_meta("k", "v1")
    state.set_meta("k", "v2")
    assert state.get_meta("k") == "v2"
    state.save_feed("feed:a", source="u", title="T", etag='"e"', last_modified="Mon")
    known = state.feed_validators("feed:a")
    assert known is not None and known.etag == '"e"' and known.last_modified == "Mon"


def test_a_file_that_is_not_sqlite_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(BrieferError, match="is not a briefer state database"):
        State(path)


def test_a_damaged_page_is_found_by_verify(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with State(path) as db:
        add(db, "i0", "One article.")
        (root,) = db.db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name='briefings'"
        ).fetchone()
        (size,) = db.db.execute("PRAGMA page_size").fetchone()
    with path.open("r+b") as raw:
        raw.seek((root - 1) * size)
        raw.write(b"\x13" * size)
    db = State(path)  # opening reads only the schema, which is intact
    try:
        with pytest.raises(BrieferError, match=r"is damaged .*move it and its -wal/-shm files"):
            db.verify()
    finally:
        db.close()


def test_an_unwritable_folder_for_the_lock_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(BrieferError, match="cannot create the lock file"):
        RunLock(blocker / "state.sqlite3.lock").__enter__()


def test_the_run_lock_excludes_a_second_process(tmp_path: Path) -> None:
    lock = tmp_path / "state.sqlite3.lock"
    with RunLock(lock):
        code = (
            "import sys; from pathlib import Path; from briefer.digest.state import RunLock; "
            f"sys.exit(0 if RunLock(Path({str(lock)!r})).acquire() else 3)"
        )
        assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 3
        with pytest.raises(BrieferError, match="another 'briefer digest' is running"):
            RunLock(lock).__enter__()
    # Released (also what the kernel does when a holder is killed).
    assert RunLock(lock).acquire()


def test_a_second_run_lock_is_refused_while_the_first_is_held(tmp_path: Path) -> None:
    lock = tmp_path / "state.sqlite3.lock"
    first, second = RunLock(lock), RunLock(lock)
    assert first.acquire()
    try:
        assert not second.acquire()
        with pytest.raises(BrieferError, match="another 'briefer digest' is running") as caught:
            second.__enter__()
        assert "\n" not in str(caught.value)
    finally:
        first.release()
    assert second.acquire()
    second.release()
    assert lock.exists()  # the path stays put, so later runs lock the same file


def test_a_lock_held_by_a_killed_process_is_released(tmp_path: Path) -> None:
    lock = tmp_path / "state.sqlite3.lock"
    code = (
        "import sys; from pathlib import Path; from briefer.digest.state import RunLock; "
        f"held = RunLock(Path({str(lock)!r})); "
        "print('held' if held.acquire() else 'refused', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    reader = ThreadPoolExecutor(max_workers=1)
    try:
        assert child.stdout is not None
        line = reader.submit(child.stdout.readline).result(timeout=60)
        assert line.strip() == "held"
        assert not RunLock(lock).acquire()
        child.kill()  # SIGKILL on POSIX: no cleanup code runs in the child
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=60)
        reader.shutdown(wait=True)  # the child is gone, so its readline has returned
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()
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
