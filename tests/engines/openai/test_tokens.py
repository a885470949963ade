"""Token counting: encodings loaded offline and verified, estimates when the model is unknown."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from briefer.engines.openai import tokens


def test_tokens_load_offline_and_verified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path))
    tokens.load_encoding.cache_clear()

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tiktoken tried to download")

    monkeypatch.setattr("tiktoken.load.read_file", no_network)
    tokenizer = tokens.tokenizer_for("gpt-4-turbo")
    assert tokenizer.exact and tokenizer.encoding_name == "cl100k_base"
    assert tokenizer.count("Hello world") == 2
    blob = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    copy = tmp_path / "tiktoken" / hashlib.sha1(blob.encode()).hexdigest()
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == tokens.EXPECTED_SHA256["cl100k_base"]
    tokens.load_encoding.cache_clear()


def test_tampered_encoding_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path / "cache"))
    fake = tmp_path / "tk"
    fake.mkdir()
    blob = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    (fake / hashlib.sha1(blob.encode()).hexdigest()).write_text("not a vocabulary")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(fake))
    monkeypatch.setattr("briefer.engines.openai.tokens._package_dirs", lambda package: [])
    tokens.load_encoding.cache_clear()
    assert tokens.load_encoding("o200k_base") is None
    tokens.load_encoding.cache_clear()


def test_unknown_model_falls_back_with_a_warning() -> None:
    name, warning = tokens.encoding_name_for("smollm2-135m-instruct")
    assert name == tokens.FALLBACK_ENCODING and warning and "estimates" in warning
    assert tokens.encoding_name_for("gpt-4o-mini") == ("o200k_base", None)
    assert tokens.encoding_name_for("azure/gpt-4.1") == ("o200k_base", None)
