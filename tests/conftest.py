"""Shared fixtures: a real HTTP server on loopback, a port nothing listens on, and an isolated
digest environment (``env``).

``http_server`` serves canned routes from a thread on 127.0.0.1 (port chosen by the OS) and
records every request, so tests can check headers such as ``If-None-Match``::

    def test_fetch(http_server):
        url = http_server.add("/a.html", "<html>...</html>", content_type="text/html")
        http_server.add("/old", status=301, headers={"Location": http_server.url("/a.html")})
        http_server.add("/feed", body, etag='"v1"')          # answers 304 to If-None-Match
        http_server.add("/silent", hold=True)                  # never answers: for timeouts
        http_server.add("/big", big_bytes, chunked=True)      # no Content-Length
        http_server.add("/custom", handler=lambda request: request.send_error(418))
"""

from __future__ import annotations

import io
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from batch_api_server import BatchServer
from loopback import QuietHTTPServer

# Fixtures that live beside the server they drive; registered once, here, for every test file.
pytest_plugins = ["smtp_server", "openai_server", "cassettes_support"]


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    delay: float = 0.0
    chunked: bool = False
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None
    hold: bool = False


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]


class LoopbackServer:
    """Routes by exact path (query string included); unknown paths get a 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[RecordedRequest] = []
        # Set at stop: a held request ends with the server, never on a timer.
        self.released = threading.Event()
        self._server = QuietHTTPServer(("127.0.0.1", 0), _make_handler(self))
        # Teardown must not wait for a handler that is still sleeping in a timeout test.
        self._server.daemon_threads = True
        self._server.block_on_close = False  # type: ignore[attr-defined]
        # shutdown() waits up to one poll interval, at every test's teardown.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str | None = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        delay: float = 0.0,
        chunked: bool = False,
        handler: Callable[[BaseHTTPRequestHandler], None] | None = None,
        hold: bool = False,
    ) -> str:
        """Serve ``body`` at ``path``; returns the route's full URL.

        ``hold=True`` never answers (the connection stays open until the server stops), so a
        client timeout against it fires however loaded the machine is; prefer it to ``delay``
        in timeout tests, where a delay races the timeout.
        """
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(
            status, data, content_type, dict(headers or {}), etag, delay, chunked, handler, hold
        )
        return self.url(path)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _make_handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._respond(send_body=True)

        def do_HEAD(self) -> None:
            self._respond(send_body=False)

        def _respond(self, *, send_body: bool) -> None:
            server.requests.append(
                RecordedRequest(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}
                )
            )
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            if route.hold:
                server.released.wait()
                self.close_connection = True
                return
            if route.delay:
                time.sleep(route.delay)
            if route.handler is not None:
                route.handler(self)
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(route.status)
            if route.content_type:
                self.send_header("Content-Type", route.content_type)
            if route.etag:
                self.send_header("ETag", route.etag)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                if send_body:
                    self._send_chunked(route.body)
                return
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if send_body:
                self.wfile.write(route.body)

        def _send_chunked(self, body: bytes) -> None:
            try:
                for start in range(0, len(body), 65536):
                    piece = body[start : start + 65536]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (e.g. it hit its size limit): expected

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1, started for the test and stopped after it."""
    server = LoopbackServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def batch_server() -> Iterator[BatchServer]:
    """The scripted files/batches server (tests/batch_api_server.py) on 127.0.0.1."""
    server = BatchServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening on it (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A digest state path with an isolated, empty config: no user settings or keys leak in."""
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    for name in list(os.environ):
        if name.startswith(("BRIEFER_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFER_CONFIG", str(config))
    monkeypatch.setenv("BRIEFER_ENGINE", "rules")
    return tmp_path / "state.sqlite3"


@dataclass
class CliResult:
    """What ``briefer ARGS`` did, in the shape of ``subprocess.CompletedProcess``."""

    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., CliResult]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run ``briefer.cli.main(argv)`` in this process, with no BRIEFER_* variables but ``env``
    and ``stdin`` as the input: the console script's behaviour without a 2 s interpreter start.
    A few tests keep a real subprocess to show that the installed entry point is the same."""
    from briefer.cli import main

    def run(*args: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> CliResult:
        for key in [key for key in os.environ if key.startswith("BRIEFER_")]:
            monkeypatch.delenv(key)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse: usage errors and --help
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
