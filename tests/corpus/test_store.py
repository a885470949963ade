from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.corpus.store import LineWriter, scan_output
from briefer.errors import InputError


def line(item_id: str, sha: str = "s") -> str:
    return json.dumps({"article": {"id": item_id, "sha256": sha, "text": "t"}, "bluf": ""})


def test_missing_output_is_empty(tmp_path: Path) -> None:
    done = scan_output(tmp_path / "out.jsonl")
    assert done.sha256 == {} and done.lines == 0 and not (tmp_path / "out.jsonl").exists()


def test_whole_lines_are_read_back(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(line("a", "1") + "\n" + line("b", "2") + "\n")
    done = scan_output(out)
    assert done.sha256 == {"a": "1", "b": "2"} and done.lines == 2 and done.dropped == 0


def test_a_torn_last_line_is_cut_off(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    whole = line("a") + "\n"
    out.write_text(whole + line("b")[:17])
    done = scan_output(out)
    assert done.sha256 == {"a": "s"} and done.dropped == 17
    assert out.read_text() == whole


def test_a_last_line_without_its_newline_is_torn_even_if_it_parses(tmp_path: Path) -> None:
    # A kill between the bytes and the newline leaves valid JSON; the line was not finished.
    out = tmp_path / "out.jsonl"
    whole = line("a") + "\n"
    out.write_text(whole + line("b"))
    assert scan_output(out).sha256 == {"a": "s"}
    assert out.read_text() == whole


def test_a_garbled_last_line_with_a_newline_is_cut_off(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    whole = line("a") + "\n"
    out.write_bytes(whole.encode() + b"\x00\x00\x00\n")
    assert scan_output(out).sha256 == {"a": "s"}
    assert out.read_text() == whole


def test_a_bad_line_before_the_last_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(line("a") + "\n" + '{"bluf": "no article"}\n' + line("c") + "\n")
    with pytest.raises(InputError, match="line 2 is not a briefing with an article id"):
        scan_output(out)
    assert out.read_text().count("\n") == 3  # left as it was


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_writer_appends_whole_lines_and_fsyncs_in_batches(tmp_path: Path, monkeypatch) -> None:
    synced: list[int] = []
    monkeypatch.setattr("briefer.corpus.store.os.fsync", lambda fd: synced.append(fd))
    out = tmp_path / "out.jsonl"
    out.write_text(line("old") + "\n")
    clock = Clock()
    writer = LineWriter(out, every=3, seconds=10.0, clock=clock)
    for name in "abcd":
        writer.write(line(name))
    assert len(synced) == 1  # after the third line
    clock.now = 11.0
    writer.write(line("e"))  # the time limit passed
    assert len(synced) == 2
    writer.close()
    assert len(synced) == 2  # nothing left unsynced
    assert [json.loads(x)["article"]["id"] for x in out.read_text().splitlines()] == [
        "old",
        *"abcde",
    ]


def test_writer_refuses_a_line_break_inside_a_line(tmp_path: Path) -> None:
    with LineWriter(tmp_path / "out.jsonl") as writer, pytest.raises(ValueError):
        writer.write("two\nlines")
    assert (tmp_path / "out.jsonl").read_text() == ""


def test_writer_close_syncs_what_is_pending(tmp_path: Path, monkeypatch) -> None:
    synced: list[int] = []
    monkeypatch.setattr("briefer.corpus.store.os.fsync", lambda fd: synced.append(fd))
    with LineWriter(tmp_path / "out.jsonl", every=100) as writer:
        writer.write(line("a"))
        assert synced == []
    assert len(synced) == 1
