"""Hostile and unlucky input to ``briefer digest`` (issue 8): feed links naming local files,
terminal escapes in feeds, time windows, damaged or read-only state, very large feeds."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

import digest_fixtures as fx
import pytest

import briefer.digest.worker as worker_module
import briefer.pipeline.batch as batch_module
from briefer.cli import main
from briefer.digest.request import DigestRequest, RunAborted
from briefer.digest.run import run_digest
from briefer.digest.state import State

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ESC = "\x1b"
SECRET = "hunter2-smtp-password"


def digest(state: Path, *args: str) -> int:
    return main(["digest", "--state", str(state), "--engine", "rules", *args])


def item(title: str, link: str | None, *, summary: str | None = None, guid: str = "") -> str:
    parts = [f"<title>{escape(title)}</title>"]
    if link is not None:
        parts.append(f"<link>{escape(link)}</link>")
    parts.append(f'<guid isPermaLink="false">{escape(guid or title)}</guid>')
    if summary is not None:
        parts.append(f"<description>{escape(summary)}</description>")
    return "<item>" + "".join(parts) + "</item>"


def article_html(lead: str) -> str:
    """Feed-embedded text long enough for the HTML extractor to take it as an article."""
    more = (
        "Harbour master Ines Moreau told reporters that ferries would use the south quay "
        "until then. Fishing crews said the closure had cost them weeks of landings, and the "
        "council said it would review the maintenance contract before the next budget."
    )
    return f"<p>{escape(lead)}</p><p>{escape(more)}</p><p>{escape(more)}</p>"


def feed(items: list[str], title: str = "Local desk") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title>{''.join(items)}</channel></rss>"
    )


# ---- item 4: a feed's links never read local files ------------------------------------------


@pytest.fixture
def secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config file with an SMTP password, where a hostile feed would point."""
    home = tmp_path / "home"
    (home / ".config" / "briefer").mkdir(parents=True)
    path = home / ".config" / "briefer" / "config.toml"
    path.write_text(
        f'[smtp]\nhost = "mail.example.org"\npassword = "{SECRET}"\n'
        "# Officials said the harbour would reopen next week, the council said.\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    return path


def test_feed_links_to_local_paths_are_never_read(
    env: Path,
    tmp_path: Path,
    secret: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    shutil.copy(secret, folder / "config.toml")
    shutil.copy(secret, tmp_path / "config.toml")
    own_text = article_html(
        "The harbour authority said on Monday that the north pier would reopen in March "
        "after repairs costing 4 million pounds, according to a statement."
    )
    hostile = feed(
        [
            item("Absolute path", str(secret)),
            item("File URL", secret.as_uri()),
            item("Relative path", "config.toml"),
            item("Parent path", "../config.toml"),
            item("Home path", "~/.config/briefer/config.toml"),
            item("Own text", str(secret), summary=own_text),
        ]
    )
    source = folder / "local.xml"
    source.write_text(hostile, encoding="utf-8")
    html = tmp_path / "d.html"
    assert digest(env, str(source), "--since", "all", "-o", str(html)) == 0
    err = capsys.readouterr().err
    page = html.read_text(encoding="utf-8")
    assert SECRET not in page and "mail.example.org" not in page
    # The entry with text of its own is in the digest, from that text, with no local link.
    assert "north pier would reopen" in page
    assert str(secret) not in page.split("Appendix", 1)[0]  # not linked to, either
    assert "entry link(s) are not http(s) URLs" in err
    appendix = page.split("Appendix", 1)[1]
    assert appendix.count("not an http(s) URL, and has no text of its own") == 5

    eml = tmp_path / "d.eml"
    args = ["--since", "all", "--resend", "--eml", str(eml), "--to", "a@example.org"]
    monkeypatch.setenv("BRIEFER_SMTP_FROM", "digest@example.org")
    assert digest(env, str(source), *args) == 0
    assert SECRET.encode() not in eml.read_bytes()


def test_a_fetched_feed_resolves_relative_links_against_its_url(http_server: object) -> None:
    from briefer.digest.sources import expand_sources

    now = datetime.now(UTC)
    story = fx.STORIES["gazette-quota"]
    http_server.add("/news/quota.html", fx.page(story, now), content_type="text/html")  # type: ignore[attr-defined]
    url = http_server.add(  # type: ignore[attr-defined]
        "/news/rss.xml",
        feed([item(story.title, "quota.html"), item("Local", "file:///etc/passwd")]),
        content_type="application/rss+xml",
    )
    out = expand_sources([url], max_bytes=1_000_000, timeout=10)
    first, second = out.candidates
    assert first.link == http_server.url("/news/quota.html")  # type: ignore[attr-defined]
    assert "Port Mallow" in first.load().text
    assert second.link is None
    with pytest.raises(Exception, match="not an http"):
        second.load()


# ---- item 5: nothing from a feed drives the terminal ------------------------------------------


def test_escape_sequences_in_feeds_never_reach_the_terminal(
    env: Path, tmp_path: Path, http_server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    retitle, clear = "\x1b]0;pwned\x07", "\x1b[2J"
    story = fx.STORIES["gazette-desal"]
    http_server.add("/desal.html", fx.page(story, datetime.now(UTC)), content_type="text/html")  # type: ignore[attr-defined]
    body = feed(
        [
            # A link with escapes: its fetch fails, and the failure names the link.
            item(f"Gone {retitle}", http_server.url(f"/gone{clear}.html")),  # type: ignore[attr-defined]
            item(f"Local {clear}", f"/etc/{retitle}passwd"),
            item(f"Riverton {retitle}{clear} vote", http_server.url("/desal.html")),  # type: ignore[attr-defined]
        ],
        title=f"Wire {retitle}",
    )
    url = http_server.add("/esc.xml", body, content_type="application/rss+xml")  # type: ignore[attr-defined]
    local = tmp_path / "esc.xml"
    local.write_text(body, encoding="utf-8")
    assert digest(env, url, str(local), "--since", "all") == 0
    out, err = capsys.readouterr()
    assert "briefer: warning:" in err and "nothing new" not in err
    assert ESC not in err and "\x07" not in err
    assert ESC not in out and "Riverton" in out  # the text digest on stdout is filtered too
    # Nothing but failures: the error line is filtered as well.
    assert digest(env, http_server.url(f"/x{clear}{retitle}.xml")) == 1  # type: ignore[attr-defined]
    err = capsys.readouterr().err
    assert err.startswith("briefer: error:") and ESC not in err and err.count("\n") == 1


# ---- item 6: a time window does not consume what it leaves out --------------------------------


def test_items_outside_since_come_in_with_a_wider_window(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = sorted(str(path) for path in EXAMPLES.glob("*.txt"))
    out = tmp_path / "d.html"
    assert digest(env, *examples, "-o", str(out)) == 0
    err = capsys.readouterr().err
    assert not out.exists()
    assert (
        f"nothing new to send ({len(examples)} item(s) seen, {len(examples)} published before "
        "the --since 24h window (a wider --since, e.g. --since all, brings them in))"
    ) in err
    assert digest(env, *examples, "--since", "all", "--resend", "-o", str(out)) == 0
    assert f"wrote a digest of {len(examples)} article(s)" in capsys.readouterr().err
    assert digest(env, *examples, "--since", "all", "-o", str(out), "--mark-sent") == 0
    capsys.readouterr()
    assert digest(env, *examples, "--since", "all", "-o", str(out)) == 0
    err = capsys.readouterr().err
    assert (
        f"nothing new to send ({len(examples)} item(s) seen, {len(examples)} already sent)" in err
    )
    with State(env) as state:
        assert fx.problems(state) == []


def test_feed_entries_outside_since_are_not_hidden_by_a_304(
    env: Path, tmp_path: Path, http_server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = list(fx.install(http_server, datetime.now(UTC), etags=True).values())
    first = tmp_path / "first.txt"
    assert digest(env, *feeds, "--since", "5h", "-o", str(first), "--mark-sent") == 0
    assert "3 articles from 2 outlets" in first.read_text(encoding="utf-8")
    assert "5 item(s) published before the --since 5h window" in capsys.readouterr().err
    # The same window again: the feeds answer 304, nothing new, and the reason is given.
    assert digest(env, *feeds, "--since", "5h", "-o", str(tmp_path / "x.txt")) == 0
    err = capsys.readouterr().err
    assert "3 feed(s) unchanged since the last run" in err
    # A wider window: the feeds are read in full again (a 304 would hide the older entries).
    wider = tmp_path / "wider.txt"
    assert digest(env, *feeds, "--since", "all", "-o", str(wider), "--mark-sent") == 0
    assert "5 articles from 3 outlets" in wider.read_text(encoding="utf-8")
    capsys.readouterr()
    assert digest(env, *feeds, "--since", "all", "-o", str(tmp_path / "y.txt")) == 0
    assert "nothing new to send" in capsys.readouterr().err
    with State(env) as state:
        assert fx.problems(state) == [] and len(fx.sent_item_ids(state)) == 8


# ---- item 8: damaged, foreign or read-only state -----------------------------------------------


def _made_state(env: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    article = tmp_path / "a.txt"
    article.write_text("Officials said the bridge would reopen on Friday.\n", encoding="utf-8")
    assert digest(env, str(article), "-o", str(tmp_path / "first.html")) == 0
    fresh = tmp_path / "b.txt"
    fresh.write_text("The council said the library would open late on Mondays.\n", "utf-8")
    return env, [str(article), str(fresh)]


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("briefer: error: "), err
    assert "Traceback" not in err
    return err


def test_a_state_with_a_damaged_page_is_refused_before_any_output(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state, sources = _made_state(env, tmp_path)
    with sqlite3.connect(state) as db:
        (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name='briefings'").fetchone()
        (size,) = db.execute("PRAGMA page_size").fetchone()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with state.open("r+b") as raw:
        raw.seek((root - 1) * size)
        raw.write(b"\x13" * size)
    damaged = state.read_bytes()
    out = tmp_path / "d.html"
    capsys.readouterr()
    assert digest(env, *sources, "-o", str(out), "--mark-sent") == 2
    err = _one_error_line(capsys)
    assert f"state database {state} is damaged" in err and "move it" in err
    assert not out.exists() and state.read_bytes() == damaged


def test_a_file_that_is_not_sqlite_is_refused(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env.write_text("not a database, but somebody's notes\n" * 200, encoding="utf-8")
    before = env.read_bytes()
    out = tmp_path / "d.html"
    article = tmp_path / "a.txt"
    article.write_text("Officials said the bridge would reopen.\n", encoding="utf-8")
    assert digest(env, str(article), "-o", str(out)) == 2
    err = _one_error_line(capsys)
    assert f"{env} is not a briefer state database" in err
    assert not out.exists() and env.read_bytes() == before


@pytest.fixture
def read_only() -> Iterator[Callable[[Path], None]]:
    """Make a file or folder unwritable -- for root too (the immutable attribute), since root
    ignores file modes -- and writable again afterwards, whatever the outcome."""
    undo: list[Callable[[], None]] = []

    def make(path: Path) -> None:
        if os.geteuid() != 0:
            mode = path.stat().st_mode
            path.chmod(0o555 if path.is_dir() else 0o444)
            undo.append(lambda: path.chmod(mode))
            return
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"cannot make {path} read-only for root here: {done.stderr!r}")
        undo.append(lambda: subprocess.run(["chattr", "-i", str(path)], check=False))

    try:
        yield make
    finally:
        for step in reversed(undo):
            step()


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_state_is_refused_before_any_output(
    env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    read_only: Callable[[Path], None],
    what: str,
) -> None:
    state, sources = _made_state(env, tmp_path)
    target = state if what == "file" else state.parent / "ro"
    if what == "folder":
        target.mkdir()
        shutil.move(state, target / state.name)
        shutil.move(f"{state}.lock", target / f"{state.name}.lock")
        state = target / state.name
    before = state.read_bytes()
    read_only(target)
    out = tmp_path / "d.html"
    capsys.readouterr()
    assert digest(state, *sources, "--since", "all", "-o", str(out), "--mark-sent") == 2
    err = _one_error_line(capsys)
    assert str(state) in err and "writable" in err
    assert not out.exists() and state.read_bytes() == before


# ---- item 9: very large feeds ------------------------------------------------------------------


def big_feed(path: Path, count: int, now: datetime) -> list[str]:
    """A local feed of ``count`` short articles, newest first; returns their titles."""
    titles, items = [], []
    for n in range(count):
        title = f"Bridge {n} reopens in Town{n}"
        titles.append(title)
        items.append(
            f"<item><title>{title}</title><guid>b{n}</guid>"
            f"<pubDate>{format_datetime(now - timedelta(minutes=n))}</pubDate><description>"
            + escape(article_html(f"Officials in Town{n} said bridge {n} would reopen on Friday."))
            + "</description></item>"
        )
    path.write_text(feed(items, title="Big desk"), encoding="utf-8")
    return titles


def test_a_feed_is_read_up_to_the_entry_cap_and_the_rest_is_counted(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "big.xml"
    titles = big_feed(source, 30, datetime.now(UTC))
    out = tmp_path / "d.txt"
    assert digest(env, str(source), "--max-entries", "10", "-o", str(out), "--mark-sent") == 0
    text = out.read_text(encoding="utf-8")
    assert "10 articles from 1 outlet" in text
    assert titles[0] in text and titles[9] in text and titles[10] not in text
    err = capsys.readouterr().err
    assert "feed " + str(source) + " lists 30 entries; read the newest 10 and left out 20" in err
    # The config's digest.max_entries (here from the environment) is the default.
    monkeypatch.setenv("BRIEFER_DIGEST_MAX_ENTRIES", "10")
    assert digest(env, str(source), "-o", str(tmp_path / "e.txt")) == 0
    err = capsys.readouterr().err
    assert "nothing new to send (10 item(s) seen, 10 already sent, 20 left out by" in err
    assert digest(env, str(source), "--max-entries", "0") == 2
    assert "--max-entries must be a positive number" in capsys.readouterr().err


def test_progress_is_shown_on_a_terminal_only(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "big.xml"
    big_feed(source, 4, datetime.now(UTC))
    assert digest(env, str(source), "-o", str(tmp_path / "a.txt")) == 0
    assert "briefing " not in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert digest(env, str(source), "-o", str(tmp_path / "b.txt"), "--resend") == 0
    assert "briefing " not in capsys.readouterr().err  # nothing left to brief: no line
    fresh = tmp_path / "fresh.xml"
    big_feed(fresh, 3, datetime.now(UTC) - timedelta(minutes=1))
    fresh.write_text(fresh.read_text(encoding="utf-8").replace("<guid>b", "<guid>f"), "utf-8")
    capsys.readouterr()
    assert digest(env, str(fresh), "-o", str(tmp_path / "d.txt")) == 0
    err = capsys.readouterr().err
    assert "\rbriefing 1/3\x1b[K" in err and "\rbriefing 3/3\x1b[K" in err
    # The line is cleared before the summary, which starts a clean line.
    assert "\r\x1b[Kbriefer: wrote a digest of" in err


def test_an_interrupted_run_keeps_what_it_briefed_and_says_so(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefer.digest.sources as sources_module

    count = worker_module.BATCH + 8
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(count):
        (folder / f"a{n:02}.txt").write_text(
            f"Story {n} happened in Town{n}.\n\nOfficials said it mattered to Town{n}.\n", "utf-8"
        )
    state = tmp_path / "s.db"
    loads: list[int] = []
    briefs: list[int] = []
    load, brief = sources_module.article_from_bytes, batch_module.brief_async

    def counting_load(*args: object, **options: object) -> object:
        loads.append(1)
        return load(*args, **options)  # type: ignore[arg-type]

    async def counting_brief(article: object, **options: object) -> object:
        briefs.append(1)
        return await brief(article, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(sources_module, "article_from_bytes", counting_load)
    monkeypatch.setattr(batch_module, "brief_async", counting_brief)

    def saved() -> int:
        with sqlite3.connect(state) as db:
            return int(db.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    request = DigestRequest(
        sources=[str(folder)],
        since=None,
        subject="Digest",
        engine="rules",
        mode="output",
        output=tmp_path / "d.txt",
        mark_sent=True,
    )
    # Stopped (as by SIGTERM) while the last items are being read: the first batch is briefed
    # and saved by then, so the work done survives the stop.
    with pytest.raises(RunAborted) as stopped:
        run_digest(request, state_path=state, stop=lambda: len(loads) > count - 4)
    kept = saved()
    assert kept == worker_module.BATCH
    assert f"{kept} of {count} new item(s) were saved" in str(stopped.value)
    assert f"continues with the other {count - kept}" in str(stopped.value)
    assert not request.output.exists()  # type: ignore[union-attr]
    # The next run briefs only the rest, and sends them all.
    done = len(briefs)
    report = run_digest(request, state_path=state)
    assert report.articles == count and len(briefs) - done == count - kept
    with State(state) as db:
        assert fx.problems(db) == [] and len(fx.sent_item_ids(db)) == count
