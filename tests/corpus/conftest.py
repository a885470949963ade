"""Fixtures for the corpus tests; ``corpus_fixtures`` (beside this file) holds the articles."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The helpers beside this file, importable from the tests here (tests/ has a conftest too).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_fixtures import article_record, write_jsonl


@pytest.fixture
def corpus(tmp_path: Path):
    """``corpus(n)``: a JSONL of n articles; an article whose number is in ``empty`` has no
    text (it fails)."""

    def make(count: int, *, empty: tuple[int, ...] = (), name: str = "corpus.jsonl") -> Path:
        records = [article_record(number) for number in range(count)]
        for number in empty:
            records[number]["text"] = "   "
        return write_jsonl(tmp_path / name, records)

    return make
