import os
import stat
from pathlib import Path

import pytest

from briefer.deliver.files import write_atomic
from briefer.errors import BrieferError


def test_write_atomic_writes_with_the_default_mode(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.md"
    old = os.umask(0o022)
    try:
        write_atomic(target, "hello")
    finally:
        os.umask(old)
    assert target.read_text() == "hello"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["out.md"]


def test_write_atomic_keeps_an_existing_mode_and_honours_an_explicit_one(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    secret = tmp_path / "config.toml"
    write_atomic(secret, "x", mode=0o600)
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_write_atomic_failure_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(BrieferError, match="cannot write"):
        write_atomic(blocker / "out.md", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
