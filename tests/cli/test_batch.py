"""``briefer batch`` through its entry point: output, errors, bad input, and a real run killed
with SIGKILL midway and resumed."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefer.contract import Briefing

CORPUS_TESTS = Path(__file__).resolve().parent.parent / "corpus"
sys.path.insert(0, str(CORPUS_TESTS))

from corpus_fixtures import article_record, article_text, write_jsonl  # noqa: E402


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_a_jsonl_corpus_becomes_one_briefing_line_per_article(cli, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [article_record(n) for n in range(6)])
    out, table = tmp_path / "out.jsonl", tmp_path / "profile.csv"
    result = cli(
        "batch",
        str(source),
        "-o",
        str(out),
        "--workers",
        "2",
        "--engine",
        "rules",
        "--profile-csv",
        str(table),
    )
    assert result.returncode == 0, result.stderr
    briefings = [Briefing.model_validate_json(line) for line in lines_of(out)]
    assert [b.article.id for b in briefings] == [f"a{n:03d}" for n in range(6)]
    assert {b.article.outlet for b in briefings} == {"Harbour Herald", "Coast Courier"}
    assert "batch: 6 articles briefed, 0 failed" in result.stderr
    assert "\r" not in result.stderr  # not a terminal: no progress line
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert [row["outlet"] for row in rows] == ["Coast Courier", "Harbour Herald", "(all outlets)"]
    assert rows[2]["articles"] == "6"
    again = cli("batch", str(source), "-o", str(out), "--engine", "rules")
    assert again.returncode == 0 and "0 articles briefed, 6 already in the output" in again.stderr
    assert len(lines_of(out)) == 6


def test_failures_are_listed_and_the_exit_code_says_so(cli, tmp_path: Path) -> None:
    records = [article_record(n) for n in range(3)]
    records[1]["text"] = ""
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out, errors = tmp_path / "out.jsonl", tmp_path / "failed.jsonl"
    result = cli(
        "batch",
        str(source),
        "-o",
        str(out),
        "--errors",
        str(errors),
        "--engine",
        "rules",
        "--workers",
        "1",
    )
    assert result.returncode == 1
    assert [json.loads(line)["article"]["id"] for line in lines_of(out)] == ["a000", "a002"]
    (failure,) = [json.loads(line) for line in lines_of(errors)]
    assert failure["id"] == "a001" and failure["reason"]
    assert f"1 failed; reasons in {errors}" in result.stderr


def test_a_folder_of_articles(cli, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(article_text(n))
    out = tmp_path / "out.jsonl"
    assert cli("batch", str(folder), "-o", str(out), "--engine", "rules").returncode == 0
    ids = [json.loads(line)["article"]["id"] for line in lines_of(out)]
    assert ids == [str(folder / f"{n}.txt") for n in range(3)]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: [str(d / "missing.jsonl")], "does not exist"),
        (lambda d: [str(write_bad(d))], "bad.jsonl:2: not a JSON object"),
        (lambda d: [str(d / "in.jsonl"), "-o", str(d)], "is a folder"),
        (lambda d: [str(d / "in.jsonl"), "--max-bytes", "0"], "--max-bytes must be"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(cli, tmp_path: Path, make, message) -> None:
    write_jsonl(tmp_path / "in.jsonl", [article_record(0)])
    args = make(tmp_path)
    if "-o" not in args:
        args += ["-o", str(tmp_path / "out.jsonl")]
    result = cli("batch", *args, "--engine", "rules")
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def write_bad(folder: Path) -> Path:
    path = folder / "bad.jsonl"
    path.write_text(json.dumps(article_record(0)) + "\n{oops\n")
    return path


def test_cluster_without_the_extra_says_what_to_install(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    source = write_jsonl(tmp_path / "in.jsonl", [article_record(0)])
    result = cli(
        "batch",
        str(source),
        "-o",
        str(tmp_path / "o.jsonl"),
        "--cluster",
        "local",
        "--engine",
        "rules",
    )
    assert result.returncode != 0 and "pip install 'briefer[dask]'" in result.stderr
    assert result.stderr.count("\n") == 1


# ---- a real process, killed --------------------------------------------------------------

CHILD = """
import sys
sys.path.insert(0, {tests!r})
import briefer.engines
briefer.engines._BUILTIN["gated"] = "gated_engine:GatedEngine"
from briefer.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def child() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts; each is killed with its process group and reaped at the end."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def wait_for_lines(path: Path, count: int, process: subprocess.Popen[bytes]) -> int:
    """Poll OUT until it has ``count`` lines; the gate guarantees it stops there. Bounded, so
    a broken child fails the test instead of hanging it."""
    for _ in range(1800):
        lines = path.read_bytes().count(b"\n") if path.exists() else 0
        if lines >= count or process.poll() is not None:
            return lines
        time.sleep(0.05)
    return -1


def test_killed_with_sigkill_midway_then_resumed(cli, tmp_path: Path, child) -> None:
    total, hold = 30, 17
    records = [article_record(n) for n in range(total)]
    records[hold]["text"] = article_text(hold) + "HOLD\n"
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "BRIEFER_TEST_GATE": str(tmp_path / "never")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD.format(tests=str(CORPUS_TESTS)),
            "batch",
            str(source),
            "-o",
            str(out),
            "--engine",
            "gated",
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    child.append(process)
    assert wait_for_lines(out, hold, process) == hold, process.stderr and process.stderr.read()
    # Lines stop at the held article: the ones after it wait in the reorder buffer.
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    done = lines_of(out)
    assert len(done) == hold
    # As if the kill had cut a write short: half a line at the end.
    with out.open("a", encoding="utf-8") as stream:
        stream.write(done[-1][: len(done[-1]) // 2])

    result = cli("batch", str(source), "-o", str(out), "--engine", "rules", "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert f"{total - hold} articles briefed, {hold} already in the output" in result.stderr
    final = lines_of(out)
    assert len(final) == total
    ids = [Briefing.model_validate_json(line).article.id for line in final]
    assert ids == [f"a{n:03d}" for n in range(total)]


def test_the_rules_engine_gets_the_pool_and_a_waiting_engine_the_event_loop() -> None:
    from briefer.cli.batch import computes
    from briefer.engines import get_engine
    from briefer.engines.openai import OpenAIEngine

    assert computes(get_engine("rules"))
    assert not computes(OpenAIEngine(base_url="http://127.0.0.1:9/v1"))


def test_a_model_engine_runs_with_bounded_concurrency(cli, tmp_path, scripted_server) -> None:
    from openai_server import Reply

    scripted_server.default = Reply.answer(
        {"bluf": "The port plans dredging.", "claims": [], "framing": []}
    )
    scripted_server.gate = 2  # each request waits until two are in flight
    source = write_jsonl(tmp_path / "in.jsonl", [article_record(n) for n in range(4)])
    out = tmp_path / "out.jsonl"
    result = cli(
        "batch",
        str(source),
        "-o",
        str(out),
        "--engine",
        "openai",
        "--base-url",
        scripted_server.base_url,
        "--model",
        "scripted-1",
        "--extraction",
        "free",
        "--no-cache",
        "--concurrency",
        "2",
    )
    assert result.returncode == 0, result.stderr
    assert scripted_server.max_in_flight == 2
    ids = [Briefing.model_validate_json(line).article.id for line in lines_of(out)]
    assert ids == ["a000", "a001", "a002", "a003"]
    assert "4 articles briefed" in result.stderr and "output tokens" in result.stderr
