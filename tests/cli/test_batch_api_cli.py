"""``briefer batch --batch-api`` against the scripted files/batches server on 127.0.0.1: submit
only, collect on a rerun, nothing sent twice, and the options that do not fit refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_api_server import BatchServer, Script

from briefer.contract import Briefing

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KEY = "sk-batch-cli-scripted-not-a-real-key"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    records = [
        {"id": "harbour", "text": (FIXTURES / "harbour.txt").read_text(encoding="utf-8")},
        {"id": "statement", "text": (FIXTURES / "statement.txt").read_text(encoding="utf-8")},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def batch_args(batch_server: BatchServer, corpus: Path, out: Path, *extra: str) -> list[str]:
    return [
        "batch",
        str(corpus),
        "-o",
        str(out),
        "--engine",
        "openai",
        "--model",
        "scripted-1",
        "--base-url",
        batch_server.base_url,
        "--batch-api",
        "--poll",
        "0.01",
        *extra,
    ]


def test_submit_only_then_a_rerun_collects_without_sending_again(
    cli, batch_server: BatchServer, corpus: Path, tmp_path: Path
) -> None:
    batch_server.push(Script(statuses=["validating", "in_progress", "completed"]))
    env = {"BRIEFER_API_KEY": KEY, "BRIEFER_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "out.jsonl"
    submitted = cli(*batch_args(batch_server, corpus, out, "--submit-only"), env=env)
    assert submitted.returncode == 0, submitted.stderr
    assert "submitted 2 article(s) as a batch" in submitted.stderr
    assert not out.exists() or out.read_text() == ""
    state = tmp_path / "out.batch-api.json"
    assert state.exists() and KEY not in state.read_text(encoding="utf-8")

    collected = cli(*batch_args(batch_server, corpus, out, "--resume"), env=env)
    assert collected.returncode == 0, collected.stderr
    briefings = [Briefing.model_validate_json(line) for line in out.read_text().splitlines()]
    assert [b.article.id for b in briefings] == ["harbour", "statement"]
    assert all(b.provenance.engine == "openai" for b in briefings)
    seen = batch_server.seen()
    assert (seen["upload"], seen["create"], seen["chat"]) == (1, 1, 0)

    again = cli(*batch_args(batch_server, corpus, out), env=env)
    assert again.returncode == 0 and "2 already in the output" in again.stderr
    assert batch_server.seen()["upload"] == 1  # nothing submitted for what OUT holds


def test_a_batch_still_running_after_wait_exits_75_and_keeps_its_state(
    cli, batch_server: BatchServer, corpus: Path, tmp_path: Path
) -> None:
    batch_server.push(Script(statuses=["in_progress"]))
    env = {"BRIEFER_API_KEY": KEY, "BRIEFER_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "out.jsonl"
    pending = cli(*batch_args(batch_server, corpus, out, "--wait", "0.05"), env=env)
    assert pending.returncode == 75, pending.stderr
    assert "rerun the same command to collect it" in pending.stderr
    assert (tmp_path / "out.batch-api.json").exists()
    assert not out.exists() or out.read_text() == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--engine", "rules", "--batch-api"), "--batch-api needs the openai engine"),
        (("--engine", "rules", "--submit-only"), "--submit-only only goes with --batch-api"),
    ],
)
def test_options_that_do_not_fit_are_refused(
    cli, corpus: Path, tmp_path: Path, extra: tuple[str, ...], message: str
) -> None:
    result = cli("batch", str(corpus), "-o", str(tmp_path / "out.jsonl"), *extra)
    assert result.returncode != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_resume_without_a_state_file_is_refused(
    cli, batch_server: BatchServer, corpus: Path, tmp_path: Path
) -> None:
    env = {"BRIEFER_API_KEY": KEY, "BRIEFER_CACHE_DIR": str(tmp_path / "cache")}
    result = cli(*batch_args(batch_server, corpus, tmp_path / "out.jsonl", "--resume"), env=env)
    assert result.returncode != 0 and "no batch state" in result.stderr
    assert batch_server.seen()["upload"] == 0
