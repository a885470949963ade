"""``briefer brief`` and ``briefer prompt`` with the openai engine, through the real entry point,
against the scripted server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from openai_scenarios import FIXTURE, GOOD
from openai_server import Reply, ScriptedServer

if TYPE_CHECKING:
    from conftest import Cli

BIN = Path(sys.executable).parent / "briefer"
COMMAND = (
    [str(BIN)]
    if BIN.exists()
    else ([found] if (found := shutil.which("briefer")) else [sys.executable, "-m", "briefer"])
)
SECRET = "sk-cli-secret-never-printed-42"


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFER_", "OPENAI_"))}
    config = tmp_path / "config.toml"
    # The scripted answers are free extractions; the default (checked) asks other questions.
    config.write_text(
        '[engine]\ncrosscheck = false\nbackoff = 0.05\nextraction = "free"\n', encoding="utf-8"
    )
    environ.update(
        {"BRIEFER_CONFIG": str(config), "BRIEFER_CACHE_DIR": str(tmp_path / "cache"), **env}
    )
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=True,
        # Under pytest-timeout's 120 s, so a hung child is killed by subprocess.run and the
        # failure names the command.
        timeout=60,
        env=environ,
        stdin=subprocess.DEVNULL,
    )


def _articles(tmp_path: Path, count: int) -> list[str]:
    paths = []
    for n in range(count):
        path = tmp_path / f"article{n}.txt"
        path.write_text(FIXTURE.read_text(encoding="utf-8") + f"\nEdition {n}.\n", "utf-8")
        paths.append(str(path))
    return paths


def _objects(text: str) -> list[dict[str, object]]:
    decoder, found, position = json.JSONDecoder(), [], 0
    while text[position:].strip():
        position += len(text[position:]) - len(text[position:].lstrip())
        value, position = decoder.raw_decode(text, position)
        found.append(value)
    return found


def _refuse_edition_1(body: dict[str, Any]) -> Reply:
    if "Edition 1." in body["messages"][1]["content"]:
        return Reply.answer(None, refusal="I can't help with that.")
    return Reply.answer(GOOD)


def test_batch_survives_a_failing_article(scripted_server: ScriptedServer, tmp_path: Path) -> None:
    scripted_server.responder = _refuse_edition_1
    paths = _articles(tmp_path, 3)
    result = run(
        tmp_path,
        "brief", *paths, "-f", "json", "--engine", "openai", "--concurrency", "2",
        BRIEFER_BASE_URL=scripted_server.base_url, OPENAI_API_KEY=SECRET,
    )  # fmt: skip
    assert result.returncode == 3
    briefings = _objects(result.stdout)
    assert len(briefings) == 2
    assert all(len(b["claims"]) == len(GOOD["claims"]) for b in briefings)
    # Input order is kept on stdout.
    assert briefings[0]["article"]["text"].rstrip().endswith("Edition 0.")
    assert briefings[1]["article"]["text"].rstrip().endswith("Edition 2.")
    errors = result.stderr.splitlines()
    assert any("article1.txt: the model refused" in line for line in errors)
    assert any(line.startswith("briefer: usage: 2 articles") for line in errors)
    assert "1 of 3 articles failed" in result.stderr
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal
    assert SECRET not in result.stdout + result.stderr
    assert scripted_server.count == 3


def test_missing_local_file_fails_before_any_request(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    scripted_server.default = Reply.answer(GOOD)
    result = run(
        tmp_path, "brief", str(tmp_path / "missing.txt"),
        "--engine", "openai", BRIEFER_BASE_URL=scripted_server.base_url,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"briefer: error: {tmp_path / 'missing.txt'} does not exist; check the path"
    ]
    assert scripted_server.count == 0


def test_missing_local_file_in_a_batch_is_reported_and_the_others_briefed(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    scripted_server.default = Reply.answer(GOOD)
    paths = _articles(tmp_path, 2)
    result = run(
        tmp_path, "brief", paths[0], str(tmp_path / "missing.txt"), paths[1],
        "-f", "json", "--engine", "openai", BRIEFER_BASE_URL=scripted_server.base_url,
    )  # fmt: skip
    assert result.returncode == 2
    assert "missing.txt does not exist; check the path" in result.stderr
    assert len(_objects(result.stdout)) == 2
    assert scripted_server.count == 2  # no request for the file that could not be read


def test_second_run_is_served_from_cache(scripted_server: ScriptedServer, tmp_path: Path) -> None:
    scripted_server.default = Reply.answer(GOOD)
    paths = _articles(tmp_path, 3)
    args = ("brief", *paths, "-o", str(tmp_path / "out"), "--engine", "openai")
    env = {"BRIEFER_BASE_URL": scripted_server.base_url}
    (tmp_path / "out").mkdir()
    assert run(tmp_path, *args, **env).returncode == 0
    assert scripted_server.count == 3
    again = run(tmp_path, *args, **env)
    assert again.returncode == 0
    assert scripted_server.count == 3
    assert "3 from cache" in again.stderr
    fresh = run(tmp_path, *args, "--no-cache", **env)
    assert fresh.returncode == 0 and scripted_server.count == 6
    assert len(list((tmp_path / "out").glob("*.md"))) == 3


def test_unreachable_server_one_line(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        "brief",
        str(FIXTURE),
        "--engine",
        "openai",
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--timeout",
        "2",
    )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("briefer: error: cannot reach the model server")


def test_model_and_prompts_flags(scripted_server: ScriptedServer, tmp_path: Path) -> None:
    scripted_server.default = Reply.answer(GOOD)
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "user.j2").write_text(
        "{# version: 7 #}\nARTICLE:\n{% for p in paragraphs %}[P{{ p.number }}] {{ p.text }}\n"
        "{% endfor %}",
        encoding="utf-8",
    )
    result = run(
        tmp_path,
        "brief",
        str(FIXTURE),
        "-f",
        "json",
        "--engine",
        "openai",
        "--model",
        "my-model",
        "--base-url",
        scripted_server.base_url,
        "--prompts",
        str(prompts),
    )
    assert result.returncode == 0, result.stderr
    body = scripted_server.requests[0]["body"]
    assert body["model"] == "my-model"
    assert body["messages"][1]["content"].startswith("ARTICLE:\n[P1] Harbour expansion")
    provenance = json.loads(result.stdout)["provenance"]
    assert provenance["prompt_version"].startswith("1-7-1+custom.")


def test_prompt_command_prints_messages_and_counts(tmp_path: Path) -> None:
    result = run(tmp_path, "prompt", str(FIXTURE))
    assert result.returncode == 0, result.stderr
    assert "----- system -----" in result.stdout
    assert "[P4] Mayor Ines Calder told reporters" in result.stdout
    assert "tokens (" in result.stderr and "x the article" in result.stderr
    counts = run(tmp_path, "prompt", str(FIXTURE), "--counts-only")
    assert counts.stdout.startswith("tokens (")


def test_prompt_command_shows_the_checked_and_seeded_calls(tmp_path: Path) -> None:
    checked = run(tmp_path, "prompt", str(FIXTURE), "--extraction", "checked")
    assert checked.returncode == 0, checked.stderr
    # One question per rules claim with a verb cue: 8 of the harbour's 9 ("According to" is not).
    assert checked.stdout.count("----- user -----") == 8
    assert 'is "told" used as a verb' in checked.stdout
    assert "in 8 call(s) (checked: 9 rules claims" in checked.stderr
    seeded = run(tmp_path, "prompt", str(FIXTURE), "--extraction", "seeded", "--counts-only")
    assert seeded.stdout.startswith("tokens (") and "in 1 call(s) (seeded:" in seeded.stdout


def test_progress_on_a_terminal(scripted_server: ScriptedServer, tmp_path: Path) -> None:
    import pty

    scripted_server.default = Reply.answer(GOOD)
    paths = _articles(tmp_path, 2)
    config = tmp_path / "config.toml"
    config.write_text('[engine]\ncrosscheck = false\nextraction = "free"\n', encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFER_", "OPENAI_"))}
    environ.update(
        {
            "BRIEFER_CONFIG": str(config),
            "BRIEFER_CACHE_DIR": str(tmp_path / "cache"),
            "BRIEFER_BASE_URL": scripted_server.base_url,
        }
    )
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*COMMAND, "brief", *paths, "-o", str(tmp_path / "out"), "--engine", "openai"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=environ,
    )
    os.close(follower)
    captured = b""
    try:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            captured += chunk
        assert process.wait(timeout=60) == 0
    finally:
        # Also when an assertion (or pytest-timeout) ends the test: no child outlives it.
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        os.close(leader)
    text = captured.decode()
    assert "briefing 2/2" in text
    assert "usage: 2 articles" in text


def test_missing_prompts_folder_is_one_line(tmp_path: Path) -> None:
    result = run(
        tmp_path, "brief", str(FIXTURE), "--engine", "openai",
        "--base-url", "http://127.0.0.1:9/v1", "--prompts", str(tmp_path / "nope"),
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"briefer: error: prompts folder {tmp_path / 'nope'} does not exist "
        "(check --prompts / engine.prompts)"
    ]


def test_deadline_flag_bounds_the_article_and_the_message_names_it(
    cli: Cli, scripted_server: ScriptedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in [key for key in os.environ if key.startswith("OPENAI_")]:
        monkeypatch.delenv(key)
    config = tmp_path / "config.toml"
    # The scripted answers are free extractions; the default (checked) asks other questions.
    config.write_text(
        '[engine]\ncrosscheck = false\nbackoff = 0.05\nextraction = "free"\n', encoding="utf-8"
    )
    # The server never answers: the 0.3 s deadline, not the 30 s timeout, ends the attempt.
    scripted_server.push(Reply.held())
    result = cli(
        "brief",
        str(FIXTURE),
        "--engine",
        "openai",
        "--base-url",
        scripted_server.base_url,
        "--timeout",
        "30",
        "--deadline",
        "0.3",
        env={"BRIEFER_CONFIG": str(config), "BRIEFER_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "after 0.3 s, the total deadline" in lines[0]
    assert "raise --deadline (engine.deadline, BRIEFER_DEADLINE)" in lines[0]
    assert "raise --timeout" not in lines[0]
