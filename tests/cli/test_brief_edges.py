"""Edges where the CLI and the library must agree: batches with a bad input, empty text,
verbosity flags, third-party log noise, terminal control characters, Markdown escaping."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import briefer
from briefer.console import TerminalFormatter, one_line, plain
from briefer.errors import InputError
from briefer.render import md_inline, md_quote, render
from briefer.resources import resource_dir

if TYPE_CHECKING:
    from conftest import Cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ESC = "\x1b"


# ---- one bad input does not stop a batch ------------------------------------------------------


def test_a_bad_file_does_not_abort_the_batch(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "out"
    result = cli(
        "brief",
        str(EXAMPLES / "harbor-report.txt"),
        str(empty),
        str(tmp_path / "missing.txt"),
        "-o",
        f"{out}/",
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["harbor-report.md"]
    assert "Attributed claims" in (out / "harbor-report.md").read_text()
    lines = result.stderr.splitlines()
    assert lines[-1] == (f"briefer: 2 of 3 articles failed: {empty}, {tmp_path / 'missing.txt'}")
    # Each failure is named once, with its reason, not "x: x is empty".
    assert f"briefer: error: {empty} is empty; there is no article text to brief" in lines
    assert not list(out.glob(".*"))  # no temporary file left behind


def test_a_bad_file_in_a_batch_to_stdout_still_prints_the_others(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    result = cli("brief", str(empty), str(EXAMPLES / "harbor-report.txt"))
    assert result.returncode == 2
    assert result.stdout.startswith("# ")
    assert "only whitespace" in result.stderr


def test_a_lone_bad_file_is_still_one_line(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = cli("brief", str(empty))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"briefer: error: {empty} is empty; there is no article text to brief"
    ]


# ---- the library refuses what the CLI refuses -------------------------------------------------


@pytest.mark.parametrize(("text", "what"), [("", "empty"), ("  \n\t", "only whitespace")])
def test_brief_refuses_empty_text_like_the_cli(text: str, what: str) -> None:
    with pytest.raises(InputError, match=f"the article is {what}; there is no article text"):
        briefer.brief(text, engine="rules")


def test_brief_refuses_an_empty_article_object() -> None:
    with pytest.raises(InputError, match="is empty"):
        briefer.brief(briefer.Article(text=""), engine="rules")


def test_brief_refuses_other_types() -> None:
    with pytest.raises(TypeError, match="takes a str or an Article, not bytes"):
        briefer.brief(b"bytes", engine="rules")  # type: ignore[arg-type]


# ---- verbosity and third-party log lines ------------------------------------------------------


@pytest.fixture
def html_with_no_text(tmp_path: Path) -> Path:
    # trafilatura logs "discarding data: None" at WARNING for a page it finds nothing in.
    page = tmp_path / "blank.html"
    page.write_text("<html><body><div></div></body></html>")
    return page


def test_extractor_notes_are_hidden_without_v(cli: Cli, html_with_no_text: Path) -> None:
    result = cli("brief", str(html_with_no_text))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"briefer: error: no article text found in {html_with_no_text}; "
        "pass the article page itself (or its text as .txt)"
    ]


@pytest.mark.parametrize("where", ["before", "after"])
def test_v_shows_extractor_notes_before_or_after_the_command(
    cli: Cli, html_with_no_text: Path, where: str
) -> None:
    args = ["brief", str(html_with_no_text)]
    args = ["-v", *args] if where == "before" else [*args, "-v"]
    result = cli(*args)
    assert result.returncode == 2
    assert "briefer: discarding data: None" in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1].startswith("briefer: error: no article text found")


def test_q_after_the_command_is_accepted(cli: Cli) -> None:
    result = cli("brief", str(EXAMPLES / "harbor-report.txt"), "-q", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("{")


def test_v_and_q_together_are_a_usage_error(cli: Cli) -> None:
    result = cli("brief", "-v", "-q", str(EXAMPLES / "harbor-report.txt"))
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


# ---- nothing from an article drives the terminal ------------------------------------------------


def test_one_line_removes_controls_and_line_breaks() -> None:
    hostile = f"title{ESC}]0;pwned\x07 and {ESC}[2J\r\nnext\u2028line\x9b31m"
    cleaned = one_line(hostile)
    assert ESC not in cleaned and "\x07" not in cleaned and "\x9b" not in cleaned
    assert "\n" not in cleaned and "\r" not in cleaned and "\u2028" not in cleaned
    assert cleaned.startswith("title\ufffd]0;pwned\ufffd and \ufffd[2J")


def test_plain_keeps_newlines_and_tabs() -> None:
    assert plain(f"a\tb\nc{ESC}[1m") == "a\tb\nc\ufffd[1m"


def test_log_records_are_filtered() -> None:
    record = logging.LogRecord(
        "briefer.x", logging.WARNING, __file__, 1, "feed %s is odd", (f"{ESC}[2Jx\ny",), None
    )
    line = TerminalFormatter("briefer: %(message)s").format(record)
    assert line == "briefer: feed \ufffd[2Jx y is odd"


def test_an_error_naming_a_hostile_path_prints_no_escape(cli: Cli, tmp_path: Path) -> None:
    hostile = tmp_path / f"{ESC}]0;pwned\x07{ESC}[2J.txt"
    result = cli("brief", str(hostile))
    assert result.returncode == 2
    assert ESC not in result.stderr and "\x07" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_batch_errors_naming_hostile_paths_print_no_escape(cli: Cli, tmp_path: Path) -> None:
    hostile = tmp_path / f"{ESC}[2J.txt"
    hostile.write_text("")
    result = cli("brief", str(EXAMPLES / "harbor-report.txt"), str(hostile))
    assert result.returncode == 2
    assert ESC not in result.stderr


# ---- Markdown escaping: only what Markdown would misread ----------------------------------------


@pytest.mark.parametrize(
    "value",
    ["0.1.0", "127.0.0.1:8765", "2026-02-18", "-5 degrees", "+3 points", "#hashtag", "3.5%"],
)
def test_md_leaves_text_markdown_would_not_misread(value: str) -> None:
    assert md_inline(value) == value


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("1. First", "1\\. First"),
        ("12) Twelfth", "12\\) Twelfth"),
        ("# Heading", "\\# Heading"),
        ("### Heading", "\\### Heading"),
        ("- bullet", "\\- bullet"),
        ("+ bullet", "\\+ bullet"),
        ("> quote", "\\> quote"),
        ("* star", "\\* star"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("a *b* [c](d) `e` <f> |g|", "a \\*b\\* \\[c\\](d) \\`e\\` \\<f\\> \\|g\\|"),
    ],
)
def test_md_escapes_what_markdown_would_misread(value: str, escaped: str) -> None:
    assert md_inline(value) == escaped


def test_md_quote_escapes_each_line_start() -> None:
    assert md_quote("1. one\n# two\n0.5 three") == "> 1\\. one\n> \\# two\n> 0.5 three"


def test_rendered_markdown_has_no_backslash_before_digits() -> None:
    article = briefer.Article(
        text="The mayor said the budget is balanced.", outlet="127.0.0.1:8765", title="3 things"
    )
    output = render(briefer.brief(article, engine="rules"), "md")
    assert "**Outlet:** 127.0.0.1:8765" in output
    assert f"- briefer {briefer.__version__}" in output
    assert "\\1" not in output and "\\0" not in output and "\\3" not in output


# ---- the config template ---------------------------------------------------------------------


def test_config_template_names_a_sqlite_state_file() -> None:
    template = (resource_dir("templates") / "config.toml").read_text()
    state_lines = [line for line in template.splitlines() if line.lstrip("# ").startswith("state")]
    assert state_lines, "the template documents the digest state path"
    assert all(".json" not in line for line in state_lines)
    assert any(line.rstrip().endswith('.sqlite3"') for line in state_lines)


def test_options_with_an_engine_instance_are_refused() -> None:
    from briefer.engines import get_engine

    with pytest.raises(TypeError, match="got options modle with an engine instance"):
        briefer.brief("The mayor said so.", engine=get_engine("rules"), modle="x")
