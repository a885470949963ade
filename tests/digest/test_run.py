"""The digest run without the network: local files, engine concurrency, reuse, stop requests."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import digest_fixtures as fx
import pytest

import briefer.digest.collect as collect_module
import briefer.digest.worker as worker_module
from briefer.contract import Article
from briefer.digest.request import DigestRequest, RunAborted, parse_since
from briefer.digest.run import run_digest
from briefer.digest.state import State
from briefer.engines.base import Engine
from briefer.engines.drafts import Draft
from briefer.errors import BrieferError


class SlowEngine(Engine):
    """Async engine that records how many briefings overlap and how many it made.

    Each call waits until the calls of its wave (``width`` at a time) have all started: no
    sleep, so the peak is the concurrency the digest allows, however busy the machine. With
    less concurrency than ``width`` the wait never ends, and the guard turns that into an
    error instead of a hang.
    """

    name: ClassVar[str] = "slow"
    width = 3
    expected = 0
    active = 0
    peak = 0
    calls = 0
    started: asyncio.Condition | None = None
    loop: asyncio.AbstractEventLoop | None = None

    def analyze(self, article: Article) -> Draft:
        raise AssertionError("the digest uses analyze_async")

    async def analyze_async(self, article: Article) -> Draft:
        cls = type(self)
        if cls.started is None or cls.loop is not asyncio.get_running_loop():
            # Each batch of a run has its own event loop; a condition belongs to one.
            cls.started, cls.loop = asyncio.Condition(), asyncio.get_running_loop()
        cls.calls += 1
        cls.active += 1
        cls.peak = max(cls.peak, cls.active)
        wave = min(cls.expected or cls.calls, -(-cls.calls // cls.width) * cls.width)
        async with cls.started:
            cls.started.notify_all()
            await asyncio.wait_for(cls.started.wait_for(lambda: cls.calls >= wave), 60)
        cls.active -= 1
        return Draft(bluf=article.text.split(".")[0] + ".")


@pytest.fixture
def slow_engine(monkeypatch: pytest.MonkeyPatch) -> type[SlowEngine]:
    SlowEngine.active = SlowEngine.peak = SlowEngine.calls = SlowEngine.expected = 0
    SlowEngine.started = None
    monkeypatch.setattr(collect_module, "resolve_engine_name", lambda name, **_: "slow")
    monkeypatch.setattr(worker_module, "get_engine", lambda name, **_: SlowEngine())
    return SlowEngine


def folder_of_articles(tmp_path: Path, count: int, *, copies: int = 0) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(count):
        (folder / f"a{n:02}.txt").write_text(
            f"Story number {n} happened in Town{n}.\n\nOfficials said it mattered.\n",
            encoding="utf-8",
        )
    for n in range(copies):
        (folder / f"copy{n}.txt").write_text(
            "Story number 0 happened in Town0.\n\nOfficials said it mattered.\n",
            encoding="utf-8",
        )
    return folder


def request(folder: Path, out: Path, **extra: Any) -> DigestRequest:
    values: dict[str, Any] = {
        "sources": [str(folder)],
        "since": timedelta(hours=24),
        "subject": "Digest",
        "engine": "slow",
        "mode": "output",
        "output": out,
        "mark_sent": True,
        "concurrency": 3,
    }
    values.update(extra)
    return DigestRequest(**values)


def test_briefings_run_concurrently_and_identical_texts_once(
    tmp_path: Path, slow_engine: type[SlowEngine]
) -> None:
    folder = folder_of_articles(tmp_path, 9, copies=2)
    slow_engine.expected = 9
    report = run_digest(request(folder, tmp_path / "d.txt"), state_path=tmp_path / "s.db")
    assert report.articles == 11
    assert slow_engine.calls == 9  # the two copies reuse the first one's briefing
    assert slow_engine.peak == 3
    with State(tmp_path / "s.db") as state:
        assert fx.problems(state) == []
        assert len(fx.sent_item_ids(state)) == 11
    # A second run briefs nothing and sends nothing.
    again = run_digest(request(folder, tmp_path / "e.txt"), state_path=tmp_path / "s.db")
    assert again.articles == 0 and slow_engine.calls == 9


def test_a_stop_request_aborts_before_anything_is_written(
    tmp_path: Path, slow_engine: type[SlowEngine]
) -> None:
    folder = folder_of_articles(tmp_path, 4)
    out = tmp_path / "d.txt"
    with pytest.raises(RunAborted):
        run_digest(request(folder, out), state_path=tmp_path / "s.db", stop=lambda: True)
    assert not out.exists()
    with State(tmp_path / "s.db") as state:
        assert fx.problems(state) == [] and fx.digests(state) == []
    # Nothing was lost: the next run sends all four.
    assert run_digest(request(folder, out), state_path=tmp_path / "s.db").articles == 4


def test_an_engine_crash_on_one_article_goes_to_the_appendix(
    tmp_path: Path, slow_engine: type[SlowEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = SlowEngine.analyze_async

    async def flaky(self: SlowEngine, article: Article) -> Draft:
        if "number 1 " in article.text:
            raise RuntimeError("model exploded")
        return await original(self, article)

    monkeypatch.setattr(SlowEngine, "analyze_async", flaky)
    folder = folder_of_articles(tmp_path, 3)
    out = tmp_path / "d.txt"
    report = run_digest(request(folder, out), state_path=tmp_path / "s.db")
    assert report.articles == 2 and report.failures == 1
    text = out.read_text(encoding="utf-8")
    assert "internal error (RuntimeError: model exploded)" in text.split("APPENDIX", 1)[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24h", timedelta(hours=24)),
        ("90m", timedelta(minutes=90)),
        ("2d", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
        ("all", None),
        ("12", timedelta(hours=12)),
    ],
)
def test_since_durations(value: str, expected: timedelta | None) -> None:
    assert parse_since(value) == expected


def test_bad_since_is_a_user_error() -> None:
    with pytest.raises(BrieferError, match="not a duration"):
        parse_since("-3h")


def test_a_bare_publication_date_counts_as_the_whole_day() -> None:
    article = Article(
        text="x", published=(datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    )
    published = worker_module._published(article)
    assert published is not None and published > datetime.now(UTC) - timedelta(hours=24)


def test_the_digest_closes_the_engine_it_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A model engine's HTTP client lives on the batch's event loop; the batch must close it.
    from briefer.engines.rules import RulesEngine

    closed: list[bool] = []

    async def record_close(self: RulesEngine) -> None:
        closed.append(True)

    monkeypatch.setattr(RulesEngine, "aclose", record_close)
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the budget was balanced, officials said on Monday.")
    request = DigestRequest(
        sources=[str(article)],
        since=None,
        subject="x",
        engine="rules",
        mode="output",
        output=tmp_path / "d.html",
    )
    run_digest(request, state_path=tmp_path / "s.sqlite3")
    assert closed == [True]


def test_a_stop_while_briefing_keeps_what_is_done_and_closes_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stop is checked as each briefing is recorded: the batch's other briefings are
    # cancelled, and the engine is still closed on the batch's loop.
    from briefer.engines.rules import RulesEngine

    closed: list[bool] = []

    async def record_close(self: RulesEngine) -> None:
        closed.append(True)

    monkeypatch.setattr(RulesEngine, "aclose", record_close)
    folder = folder_of_articles(tmp_path, 4)
    done: list[int] = []
    out = tmp_path / "d.txt"
    with pytest.raises(RunAborted, match="2 of 4 new item"):
        run_digest(
            request(folder, out, engine="rules"),
            state_path=tmp_path / "s.db",
            stop=lambda: len(done) >= 2,
            progress=lambda count, total: done.append(count),
        )
    assert closed == [True] and not out.exists()
    with State(tmp_path / "s.db") as state:
        assert state.db.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 2
        assert fx.problems(state) == []
