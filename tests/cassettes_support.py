"""vcrpy set-up shared by the cassette tests and the recording scripts.

Replay only (record_mode "none"); request bodies are matched as JSON (not host or port, which
differ between recording and replay); credentials and cookies are scrubbed before anything is
written; compressed bodies are stored decoded. Each cassette starts with a comment saying where
it was recorded.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vcr
from vcr.persisters.filesystem import FilesystemPersister

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes"
SECRET_HEADERS = (
    "authorization",
    "api-key",
    "x-api-key",
    "cookie",
    "set-cookie",
    "openai-organization",
    "openai-project",
)


def json_body(first: Any, second: Any) -> None:
    """vcrpy matcher: equal request bodies as JSON values."""
    assert _json(first.body) == _json(second.body), "request bodies differ"


def _json(body: Any) -> Any:
    if body is None:
        return None
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    try:
        return json.loads(body)
    except ValueError:
        return body


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            del headers[name]
    return response


def recorder(record_mode: str = "none", recorded_at: str | None = None) -> vcr.VCR:
    machine = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=record_mode,
        match_on=["method", "path", "json_body"],
        filter_headers=list(SECRET_HEADERS),
        decode_compressed_response=True,
        before_record_response=_scrub_response,
    )
    machine.register_matcher("json_body", json_body)
    machine.register_persister(_Labelled.with_label(recorded_at))
    return machine


def recording(cassette: str, label: str) -> Any:
    """A context that records ``cassette`` afresh, labelled with where it was recorded (the
    recording scripts' one way in; "all" mode appends to an existing file, so it goes first)."""
    (CASSETTES / cassette).unlink(missing_ok=True)
    return recorder(record_mode="all", recorded_at=label).use_cassette(cassette)


class _Labelled(FilesystemPersister):
    label: str | None = None

    @classmethod
    def with_label(cls, label: str | None) -> type[_Labelled]:
        return type("LabelledPersister", (cls,), {"label": label})

    @classmethod
    def save_cassette(cls, cassette_path: str, cassette_dict: Any, serializer: Any) -> None:
        super().save_cassette(cassette_path, cassette_dict, serializer)
        if cls.label:
            path = Path(cassette_path)
            path.write_text(
                f"# recorded: {cls.label}\n" + path.read_text(encoding="utf-8"), encoding="utf-8"
            )


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any socket connection fails: replayed tests must not touch the network, even loopback."""

    def refuse(self: socket.socket, address: Any) -> None:
        raise OSError(f"network blocked in cassette tests (tried {address!r})")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield


def recorded_at(name: str) -> str:
    """The label on a cassette's first line."""
    first = (CASSETTES / name).read_text(encoding="utf-8").splitlines()[0]
    return first.removeprefix("# recorded: ")
