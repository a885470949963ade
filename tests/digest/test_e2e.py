"""End to end: real feeds over loopback HTTP, a real SMTP server, the real CLI entry point.

Every test reads the SQLite state back and checks it is consistent.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import digest_fixtures as fx
import pytest
from smtp_server import Handler, SmtpServer, running_server

from briefer.cli import main
from briefer.digest.state import State

ROOT = Path(__file__).resolve().parents[2]


def smtp_env(monkeypatch: pytest.MonkeyPatch, server: SmtpServer) -> None:
    monkeypatch.setenv("BRIEFER_SMTP_HOST", server.host)
    monkeypatch.setenv("BRIEFER_SMTP_PORT", str(server.port))
    monkeypatch.setenv("BRIEFER_SMTP_SECURITY", "none")
    monkeypatch.setenv("BRIEFER_SMTP_FROM", "Briefer <digest@example.org>")
    monkeypatch.setenv("BRIEFER_SMTP_TIMEOUT", "20")


def digest(state: Path, *args: str) -> int:
    return main(["digest", "--state", str(state), "--engine", "rules", *args])


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    return part.get_content()


def consistent(state: Path) -> State:
    db = State(state)
    assert fx.problems(db) == []
    return db


def sent_items(state: Path) -> list[str]:
    with sqlite3.connect(state) as db:
        rows = db.execute(
            "SELECT di.item_id FROM digest_items di JOIN digests d USING (digest_id) "
            "WHERE d.status='sent'"
        ).fetchall()
    return [row[0] for row in rows]


def test_three_feeds_one_email_then_nothing_then_only_the_new_item(
    env: Path,
    http_server: object,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    now = datetime.now(UTC)
    urls = fx.install(http_server, now, etags=True)
    smtp_env(monkeypatch, smtp_server)
    feeds = list(urls.values())

    assert digest(env, *feeds, "--send", "--to", "analyst@example.org") == 0
    assert len(smtp_server.received) == 1
    message = smtp_server.received[0].message()
    assert smtp_server.received[0].rcpt_tos == ["analyst@example.org"]
    assert message.get_content_type() == "multipart/alternative"
    html, text = body(message, "html"), body(message, "plain")

    # Inline styles present (css-inline ran), no <style> rule left unapplied for the layout.
    assert 'style="' in html and "border-left: 4px solid #1f4f99" in html
    assert len(html.encode("utf-8")) < 100_000
    # Article text is escaped: the invented title carries markup.
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in text  # plain text is not HTML: shown as written
    # Links to every article, in both parts.
    for slug in ("gazette-desal", "courier-desal", "gazette-quota", "wire-orchard"):
        assert f'href="{http_server.url(f"/{slug}.html")}"' in html  # type: ignore[attr-defined]
        assert http_server.url(f"/{slug}.html") in text  # type: ignore[attr-defined]
    # The syndicated airline story is merged into one entry, the desalination vote grouped
    # with a corroborated claim, each outlet's framing side by side.
    assert text.count("  * Northwind") == 1
    assert "Also in:" in text
    assert re.search(r"\[CORROBORATED\] [^\n]*Ruiz[^\n]*\(Harbor Gazette, Valley Courier\)", text)
    assert "Framing by outlet:" in text
    assert "8 articles from 3 outlets" in text
    assert "KEY POINTS" in text and "SOURCE INVENTORY" in text

    db = consistent(env)
    [record] = fx.digests(db)
    assert record.status == "sent" and record.message_id == message["Message-ID"]
    assert len(record.item_ids) == 8
    db.close()

    # Second run: nothing new, nothing sent; the feeds answered 304 to their ETags.
    capsys.readouterr()
    assert digest(env, *feeds, "--send", "--to", "analyst@example.org") == 0
    assert len(smtp_server.received) == 1
    assert "nothing new" in capsys.readouterr().err
    assert any(
        r.headers.get("if-none-match")
        for r in http_server.requests  # type: ignore[attr-defined]
    )

    # A new item in one feed: the third run sends only it.
    fx.install(http_server, now, extra={"/wire/rss.xml": [fx.LATE_STORY]}, etags=True)
    assert digest(env, *feeds, "--send", "--to", "analyst@example.org") == 0
    assert len(smtp_server.received) == 2
    third = smtp_server.received[1].message()
    third_text = body(third, "plain")
    assert "Eastport bridge reopens" in third_text
    assert "1 article from 1 outlet" in third_text
    assert "Riverton" not in third_text
    assert third["Message-ID"] != message["Message-ID"]

    db = consistent(env)
    assert [len(d.item_ids) for d in fx.digests(db)] == [8, 1]
    assert len(sent_items(env)) == len(set(sent_items(env))) == 9
    db.close()


def test_faults_go_to_the_appendix_and_the_run_succeeds(
    env: Path,
    http_server: object,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = datetime.now(UTC)
    urls = fx.install(http_server, now)
    smtp_env(monkeypatch, smtp_server)
    server = http_server
    missing = server.url("/gone/rss.xml")  # type: ignore[attr-defined]
    # Never answers (until teardown): the 1 s timeout fires however loaded the machine is.
    slow = server.add("/slow/rss.xml", hold=True)  # type: ignore[attr-defined]
    broken = server.add(  # type: ignore[attr-defined]
        "/broken/rss.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
        "<item><title>Half an item</title><link>"
        + server.url("/wire-orchard.html")  # type: ignore[attr-defined]
        + "</link></item><item><title>Cut off",
        content_type="application/rss+xml",
    )
    garbage = server.add(  # type: ignore[attr-defined]
        "/garbage.xml", "<?xml version='1.0'?><rss><<<", content_type="application/rss+xml"
    )
    dead_link = server.add(  # type: ignore[attr-defined]
        "/dead/rss.xml",
        fx.rss("Dead Links", "http://x/", [(fx.LATE_STORY, server.url("/nope.html"))], now),  # type: ignore[attr-defined]
        content_type="application/rss+xml",
    )
    sources = [*urls.values(), missing, slow, broken, garbage, dead_link]
    # The held feed costs the whole timeout; 4 s (not 1) keeps the pages that do answer from
    # timing out too on a machine whose cores are busy with other work.
    assert digest(env, *sources, "--send", "--to", "a@example.org", "--timeout", "4") == 0
    [received] = smtp_server.received
    text = body(received.message(), "plain")
    appendix = text.split("APPENDIX: FAILURES AND WARNINGS", 1)[1]
    assert "gone/rss.xml returned HTTP 404" in appendix
    assert re.search(r"slow/rss\.xml did not answer within 4 second", appendix)
    assert "garbage.xml could not be parsed" in appendix
    assert "nope.html returned HTTP 404" in appendix
    assert "broken/rss.xml is malformed" in appendix  # bozo with entries: a warning
    html = body(received.message(), "html")
    assert "Appendix: failures and warnings" in html

    db = consistent(env)
    with sqlite3.connect(env) as raw:
        errors = dict(raw.execute("SELECT link, error FROM items WHERE error IS NOT NULL"))
    # The broken feed's cut-off entry has no link; its first entry links to the orchard
    # page that the Coastal Wire feed also lists: one article, shown once.
    assert set(errors) == {None, server.url("/nope.html")}  # type: ignore[attr-defined]
    assert "has no link and no content" in errors[None]
    assert text.count("* Kestrel Hill orchard festival draws record crowd") == 1
    [record] = fx.digests(db)
    assert record.status == "sent" and len(record.item_ids) == 8
    db.close()

    # The failed item is retried (and fails again) but nothing is sent twice.
    assert digest(env, *sources, "--send", "--to", "a@example.org", "--timeout", "4") == 0
    assert len(smtp_server.received) == 1
    consistent(env).close()


def test_eml_and_output_do_not_mark_sent_unless_asked(
    env: Path, http_server: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(UTC)
    feeds = list(fx.install(http_server, now).values())
    monkeypatch.setenv("BRIEFER_SMTP_FROM", "digest@example.org")
    eml = tmp_path / "digest.eml"
    assert digest(env, *feeds, "--eml", str(eml), "--to", "x@example.org") == 0
    from email import message_from_bytes
    from email.policy import default

    parsed = message_from_bytes(eml.read_bytes(), policy=default)
    assert parsed["To"] == "x@example.org" and parsed["Message-ID"]
    assert parsed.get_body(preferencelist=("html",)) is not None
    assert sent_items(env) == []

    page = tmp_path / "digest.html"
    assert digest(env, *feeds, "-o", str(page)) == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sent_items(env) == []

    plain = tmp_path / "digest.txt"
    assert digest(env, *feeds, "-o", str(plain), "--mark-sent") == 0
    assert "KEY POINTS" in plain.read_text(encoding="utf-8")
    assert len(sent_items(env)) == 8
    again = tmp_path / "again.txt"
    assert digest(env, *feeds, "-o", str(again)) == 0
    assert not again.exists()  # nothing new
    assert digest(env, *feeds, "-o", str(again), "--resend") == 0
    assert again.exists()
    consistent(env).close()


def test_user_errors_are_one_line(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert digest(env, "feed.xml", "--since", "yesterday") == 2
    err = capsys.readouterr().err
    assert err.startswith("briefer: error: --since 'yesterday' is not a duration")
    assert err.count("\n") == 1
    assert digest(env, "feed.xml", "--send", "--to", "a@example.org") == 2
    assert "smtp.host" in capsys.readouterr().err
    assert digest(env) == 2
    assert "no sources" in capsys.readouterr().err
    monkeypatch.setenv("BRIEFER_SMTP_FROM", "digest@example.org")
    assert digest(env, "feed.xml", "--eml", "x.eml", "--to", "not an address") == 2
    assert "recipient 'not an address'" in capsys.readouterr().err


def test_every_source_failing_is_an_error_but_some_failing_is_not(
    env: Path, http_server: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = http_server.url("/gone.xml")  # type: ignore[attr-defined]
    assert digest(env, gone, str(tmp_path / "missing.txt")) == 1
    err = capsys.readouterr().err
    assert err.startswith("briefer: error: none of the 2 source(s) could be read: ")
    assert "gone.xml returned HTTP 404" in err and err.count("\n") == 1
    article = tmp_path / "a.txt"
    article.write_text("Officials said the bridge would reopen.\n", encoding="utf-8")
    assert digest(env, gone, str(article)) == 0
    out = capsys.readouterr().out
    assert "gone.xml returned HTTP 404" in out.split("APPENDIX", 1)[1]
    consistent(env).close()


# ---- crash safety: SIGKILL in the middle of a send -----------------------------------------


@dataclass
class BlockingHandler(Handler):
    """Holds the first DATA until released, then refuses it (the client is dead by then)."""

    block_data: bool = True
    block_quit: bool = False
    entered: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    unacknowledged: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.block_data:
            self.block_data = False
            self.unacknowledged.append(envelope.original_content or b"")  # type: ignore[attr-defined]
            self.entered.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 client went away"
        return await super().handle_DATA(server, session, envelope)  # type: ignore[arg-type]

    async def handle_QUIT(self, server: object, session: object, envelope: object) -> str:
        # Only the QUIT after an accepted message: the controller's own start-up probe also
        # connects and quits, possibly after this handler is installed.
        if self.block_quit and self.received:
            self.block_quit = False
            self.entered.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "221 Bye"


@pytest.fixture
def blocking_smtp() -> Iterator[tuple[SmtpServer, BlockingHandler]]:
    with running_server() as server:
        # running_server builds its own Handler; the controller calls hooks on that object, so
        # it is turned into a BlockingHandler in place (same fields plus the blocking ones).
        server.handler.__class__ = BlockingHandler
        for name, value in vars(BlockingHandler()).items():
            vars(server.handler).setdefault(name, value)
        yield server, server.handler  # type: ignore[misc]


@pytest.fixture
def children() -> Iterator[list[subprocess.Popen]]:
    """Every ``briefer`` child a test starts is killed and reaped at teardown, also when an
    assertion fails half-way: a left-over child would keep pytest from exiting."""
    started: list[subprocess.Popen] = []
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)
            for pipe in (process.stdout, process.stderr):
                if pipe is not None:
                    pipe.close()


def spawn_digest(
    state: Path,
    feeds: list[str],
    server: SmtpServer,
    config: Path,
    children: list[subprocess.Popen],
) -> subprocess.Popen:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFER_", "OPENAI_"))}
    environ.update(
        BRIEFER_CONFIG=str(config),
        BRIEFER_ENGINE="rules",
        BRIEFER_SMTP_HOST=server.host,
        BRIEFER_SMTP_PORT=str(server.port),
        BRIEFER_SMTP_SECURITY="none",
        BRIEFER_SMTP_FROM="digest@example.org",
        BRIEFER_SMTP_TIMEOUT="60",
        PYTHONPATH=str(ROOT),
    )
    command = [sys.executable, "-m", "briefer", "digest", "--state", str(state), "--send"]
    command += ["--to", "analyst@example.org", *feeds]
    process = subprocess.Popen(
        command, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    children.append(process)
    return process


def kill_when_blocked(process: subprocess.Popen, handler: BlockingHandler) -> None:
    # Only a guard against a hang (the step takes seconds); the outcome is what is asserted.
    deadline = time.monotonic() + 120
    while not handler.entered.wait(0.1):
        if process.poll() is not None or time.monotonic() > deadline:
            _, err = process.communicate(timeout=30)
            pytest.fail(f"briefer never reached the SMTP step: {err.decode()[-2000:]}")
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL


def test_sigkill_during_data_then_rerun_sends_once_with_the_same_message_id(
    env: Path,
    http_server: object,
    blocking_smtp: tuple[SmtpServer, BlockingHandler],
    children: list[subprocess.Popen],
) -> None:
    server, handler = blocking_smtp
    feeds = list(fx.install(http_server, datetime.now(UTC)).values())
    config = Path(os.environ["BRIEFER_CONFIG"])

    process = spawn_digest(env, feeds, server, config, children)
    kill_when_blocked(process, handler)
    handler.release.set()

    # Killed mid-DATA: the digest is pending (reserved before sending), nothing confirmed.
    db = consistent(env)
    [pending] = db.pending_digests()
    assert pending.message is not None and len(pending.item_ids) == 8
    assert sent_items(env) == []
    assert server.received == []
    db.close()

    # The next run re-sends the same bytes (same Message-ID) and then has nothing new.
    rerun = spawn_digest(env, feeds, server, config, children)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    assert b"re-sent 1 unconfirmed digest" in err
    [delivered] = server.received
    assert delivered.message()["Message-ID"] == pending.message_id
    blocked_id = [
        line for line in handler.unacknowledged[0].split(b"\n") if line.startswith(b"Message-ID")
    ]
    assert blocked_id and pending.message_id.encode() in blocked_id[0]

    db = consistent(env)
    assert db.pending_digests() == []
    [record] = fx.digests(db)
    assert record.status == "sent" and sorted(record.item_ids) == sorted(pending.item_ids)
    assert record.message is None
    db.close()
    assert sorted(sent_items(env)) == sorted(pending.item_ids)  # no loss, no duplicate


def test_sigkill_after_acceptance_resends_with_the_same_message_id(
    env: Path,
    http_server: object,
    blocking_smtp: tuple[SmtpServer, BlockingHandler],
    children: list[subprocess.Popen],
) -> None:
    """The at-least-once edge: the server accepted, the client died before recording it."""
    server, handler = blocking_smtp
    handler.block_data = False
    handler.block_quit = True
    feeds = list(fx.install(http_server, datetime.now(UTC)).values())
    config = Path(os.environ["BRIEFER_CONFIG"])

    process = spawn_digest(env, feeds, server, config, children)
    kill_when_blocked(process, handler)
    handler.release.set()
    assert len(server.received) == 1
    db = consistent(env)
    [pending] = db.pending_digests()
    db.close()

    rerun = spawn_digest(env, feeds, server, config, children)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    # Delivered twice, but as one message: receivers dedupe on the Message-ID.
    ids = [r.message()["Message-ID"] for r in server.received]
    assert ids == [pending.message_id, pending.message_id]
    db = consistent(env)
    [record] = fx.digests(db)
    assert record.status == "sent" and db.pending_digests() == []
    db.close()

    # And nothing more on the run after.
    third = spawn_digest(env, feeds, server, config, children)
    _, err = third.communicate(timeout=120)
    assert third.returncode == 0 and b"nothing new" in err
    assert len(server.received) == 2


def test_article_urls_and_feeds_from_the_config(
    env: Path, http_server: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(UTC)
    urls = fx.install(http_server, now)
    page = http_server.url("/gazette-quota.html")  # type: ignore[attr-defined]
    out = tmp_path / "one.txt"
    assert digest(env, page, "-o", str(out), "--mark-sent") == 0
    text = out.read_text(encoding="utf-8")
    assert "Fishing boats blockade Port Mallow" in text and "1 article from 1 outlet" in text
    # No SOURCE arguments: digest.feeds (here from the environment) is used.
    monkeypatch.setenv("BRIEFER_DIGEST_FEEDS", ",".join(urls.values()))
    out = tmp_path / "feeds.txt"
    assert digest(env, "-o", str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert "7 articles from 3 outlets" in text  # the page sent above is not new
    assert "Fishing boats" not in text
    consistent(env).close()
