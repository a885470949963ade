"""Bad input to ``briefer``: one-line errors, non-zero exit codes, nothing half-written.

None of these need an engine: every case fails while reading the input or the arguments. They
run ``main(argv)`` in-process (the ``cli`` fixture); the last test runs the installed console
script to show that it behaves the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli, CliResult, LoopbackServer

BIN = Path(sys.executable).parent / "briefer"
COMMAND = (
    [str(BIN)]
    if BIN.exists()
    else ([found] if (found := shutil.which("briefer")) else [sys.executable, "-m", "briefer"])
)


def assert_one_line_error(
    result: CliResult | subprocess.CompletedProcess[str], *expected: str, output: Path | None = None
) -> str:
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("briefer: error:"), line
    assert "Traceback" not in result.stderr
    for fragment in expected:
        assert fragment in line, line
    assert result.stdout == ""
    if output is not None:
        assert not output.exists()
        assert not list(output.parent.glob(f".{output.name}.*"))  # no temporary left behind
    return line


def test_missing_path(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    result = cli("brief", str(tmp_path / "missing.txt"), "-o", str(out))
    assert_one_line_error(result, "missing.txt does not exist", output=out)


def test_directory(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    (tmp_path / "folder").mkdir()
    result = cli("brief", str(tmp_path / "folder"), "-o", str(out))
    assert_one_line_error(result, "is a folder, not a file", output=out)


@pytest.mark.parametrize(("content", "expected"), [(b"", "is empty"), (b"\n \n", "whitespace")])
def test_empty_file(cli: Cli, tmp_path: Path, content: bytes, expected: str) -> None:
    article, out = tmp_path / "empty.txt", tmp_path / "out.md"
    article.write_bytes(content)
    assert_one_line_error(cli("brief", str(article), "-o", str(out)), expected, output=out)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF document"),
        ("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a PNG image"),
        ("data.md", b"some\x00binary\x00\x01\x02", "binary file"),
    ],
)
def test_binary_file(cli: Cli, tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    article, out = tmp_path / name, tmp_path / "out.md"
    article.write_bytes(content)
    assert_one_line_error(cli("brief", str(article), "-o", str(out)), expected, output=out)


def test_undecodable_text(cli: Cli, tmp_path: Path) -> None:
    article, out = tmp_path / "latin1.txt", tmp_path / "out.md"
    article.write_bytes("Headline\n\nLe café est fermé.\n".encode("latin-1"))
    line = assert_one_line_error(
        cli("brief", str(article), "-o", str(out)), "not valid UTF-8", output=out
    )
    assert str(article) in line and "convert it to UTF-8" in line


def test_fifty_megabyte_file(cli: Cli, tmp_path: Path) -> None:
    article, out = tmp_path / "huge.txt", tmp_path / "out.md"
    with article.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: instant, takes no disk space
    line = assert_one_line_error(
        cli("brief", str(article), "-o", str(out)),
        "is 52,428,800 bytes, over the 10,000,000-byte limit; raise it with --max-bytes",
        output=out,
    )
    assert str(article) in line


def test_max_bytes_from_environment(cli: Cli, tmp_path: Path) -> None:
    article, out = tmp_path / "small.txt", tmp_path / "out.md"
    article.write_text("Headline\n\n" + "word " * 400, encoding="utf-8")
    result = cli("brief", str(article), "-o", str(out), env={"BRIEFER_MAX_BYTES": "1000"})
    assert_one_line_error(result, "over the 1,000-byte limit", output=out)


def test_max_bytes_flag_beats_environment(cli: Cli, tmp_path: Path) -> None:
    article, out = tmp_path / "small.txt", tmp_path / "out.md"
    article.write_text("Headline\n\n" + "word " * 400, encoding="utf-8")
    result = cli(
        "brief", str(article), "--max-bytes", "500", "-o", str(out), env={"BRIEFER_MAX_BYTES": "1"}
    )
    assert_one_line_error(result, "over the 500-byte limit", output=out)


def test_unknown_format(cli: Cli, tmp_path: Path) -> None:
    article, out = tmp_path / "a.txt", tmp_path / "out.md"
    article.write_text("Headline\n\nBody.\n", encoding="utf-8")
    result = cli("brief", str(article), "--format", "pdf", "-o", str(out))
    assert result.returncode == 2
    assert_one_line_error(result, "--format", "pdf", output=out)


def test_unreachable_url(cli: Cli, tmp_path: Path, closed_port: int) -> None:
    out = tmp_path / "out.md"
    url = f"http://127.0.0.1:{closed_port}/story.html"
    result = cli("brief", url, "-o", str(out))
    assert_one_line_error(result, f"cannot connect to {url}", output=out)


def test_http_error(cli: Cli, tmp_path: Path, http_server: LoopbackServer) -> None:
    out = tmp_path / "out.md"
    url = http_server.add("/missing", "gone", status=404)
    result = cli("brief", url, "-o", str(out))
    assert_one_line_error(result, f"{url} returned HTTP 404", output=out)


@pytest.mark.parametrize("url", ["ftp://example.com/story.txt", "file:///etc/hostname"])
def test_unsupported_scheme(cli: Cli, tmp_path: Path, url: str) -> None:
    out = tmp_path / "out.md"
    result = cli("brief", url, "-o", str(out))
    assert_one_line_error(result, "only http:// and https:// URLs are supported", output=out)


def test_missing_article_in_a_batch_writes_nothing_for_it(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(
        "Bridge reopens\n\nThe bridge reopened on Monday, the mayor said.\n", encoding="utf-8"
    )
    folder = tmp_path / "briefings"
    result = cli("brief", str(tmp_path / "nope.txt"), str(tmp_path / "b.txt"), "-o", str(folder))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / 'nope.txt'} does not exist" in result.stderr.splitlines()[0]
    # The other article is still briefed; nothing, not even a temporary, for the missing one.
    assert sorted(path.name for path in folder.iterdir()) == ["b.md"]


def test_empty_stdin(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    assert_one_line_error(cli("brief", "-", "-o", str(out)), "stdin is empty", output=out)


def test_several_articles_get_unique_files(cli: Cli, tmp_path: Path) -> None:
    """Not an error case, but the other side of ``-o FOLDER``: same-named inputs never collide."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(
            "Bridge reopens\n\nThe bridge reopened on Monday, the mayor said.\n", encoding="utf-8"
        )
    out = tmp_path / "briefings"
    result = cli(
        "brief", str(tmp_path / "a/story.txt"), str(tmp_path / "b/story.txt"), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.iterdir()) == ["story-2.md", "story.md"]


def test_the_console_script_gives_the_same_one_line_error(tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    result = subprocess.run(
        [*COMMAND, "brief", str(tmp_path / "missing.txt"), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        env=environ,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert_one_line_error(result, "missing.txt does not exist", output=out)
