"""A scripted OpenAI-protocol server on 127.0.0.1 for tests, cassette recording and the bench.

It answers ``POST /v1/chat/completions`` from a queue of ``Reply`` objects (then from a default
reply, if set) and counts and keeps every request. Used through the ``scripted_server`` fixture::

    def test_x(scripted_server):
        scripted_server.push(Reply(status=429, headers={"retry-after-ms": "100"}))
        scripted_server.push(Reply.answer({"bluf": "...", "claims": [], "framing": []}))
        engine = OpenAIEngine(base_url=scripted_server.base_url, ...)

Nothing here depends on how fast the machine is. ``Reply.held()`` never answers: the connection
stays open until the server stops, so a client timeout against it always fires. ``gate = n``
holds every request until ``n`` are in flight at once, and ``max_in_flight`` records the most
there were, so concurrency is shown by the requests themselves rather than by a stopwatch.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from loopback import QuietHTTPServer

if TYPE_CHECKING:
    from briefer.engines.openai import OpenAIEngine

MODEL = "scripted-1"


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict -> JSON; str/bytes -> as is
    headers: dict[str, str] = field(default_factory=dict)
    hold: bool = False  # never answer; the connection is closed when the server stops

    @classmethod
    def answer(
        cls,
        content: Any,
        *,
        finish_reason: str = "stop",
        refusal: str | None = None,
        prompt_tokens: int = 900,
        completion_tokens: int = 300,
    ) -> Reply:
        """A chat completion whose message content is ``content`` (JSON-encoded if not a str)."""
        text = content if isinstance(content, str) or content is None else json.dumps(content)
        return cls(body=completion(text, finish_reason, refusal, prompt_tokens, completion_tokens))

    @classmethod
    def held(cls) -> Reply:
        """No answer at all, until the server stops: the client's timeout decides."""
        return cls(hold=True)

    @classmethod
    def error(cls, status: int, message: str, **headers: str) -> Reply:
        kind = "rate_limit_exceeded" if status == 429 else "server_error"
        return cls(
            status=status,
            body={"error": {"message": message, "type": kind, "code": None}},
            headers={k.replace("_", "-"): v for k, v in headers.items()},
        )


def completion(
    content: str | None,
    finish_reason: str = "stop",
    refusal: str | None = None,
    prompt_tokens: int = 900,
    completion_tokens: int = 300,
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": 1_767_000_000,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


class _Server(QuietHTTPServer):
    # The default listen backlog (5) drops bursts of connections, which then wait for a SYN
    # retransmit (1 s): a batch test opens 16 at once.
    request_queue_size = 128


# How long a gated request waits for the others before the gate opens for good. A correct
# client never gets near it; one that sends a request at a time then fails its ``max_in_flight``
# check, instead of hanging until its own timeout.
GATE_LIMIT = 20.0


class ScriptedServer:
    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.default: Reply | None = None
        # Builds a reply from the request body when no scripted reply is queued.
        self.responder: Callable[[dict[str, Any]], Reply] | None = None
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.gate: int | None = None
        self.in_flight = 0
        self.max_in_flight = 0
        self.released = threading.Event()  # set when the server stops: held replies end
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                # /stats: the request count, for a server run in another process (the bench).
                with server.lock:
                    stats = {
                        "requests": len(server.requests),
                        "max_in_flight": server.max_in_flight,
                    }
                data = json.dumps(stats).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                with server.changed:
                    server.requests.append({"path": self.path, "body": body})
                    reply = server.replies.popleft() if server.replies else server.default
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                    server.changed.notify_all()
                try:
                    self._answer(body, reply)
                finally:
                    with server.changed:
                        server.in_flight -= 1

            def _answer(self, body: dict[str, Any], reply: Reply | None) -> None:
                if reply is None and server.responder is not None:
                    reply = server.responder(body)
                if reply is None:
                    reply = Reply.error(500, "scripted server: no reply queued")
                with server.changed:
                    # max_in_flight only grows, so a request that arrives after the others
                    # were let through is not held again.
                    opened = server.changed.wait_for(
                        lambda: (
                            server.gate is None
                            or server.released.is_set()
                            or server.max_in_flight >= server.gate
                        ),
                        timeout=GATE_LIMIT,
                    )
                    if not opened:
                        server.gate = None
                        server.changed.notify_all()
                if reply.hold:
                    server.released.wait()
                    self.close_connection = True
                    return
                payload = reply.body
                if isinstance(payload, dict | list):
                    data = json.dumps(payload).encode()
                elif isinstance(payload, str):
                    data = payload.encode()
                else:
                    data = payload or b""
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        # A short poll interval: shutdown() waits up to one interval, at every test teardown.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def push(self, *replies: Reply) -> None:
        with self.lock:
            self.replies.extend(replies)

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.requests)

    def start(self) -> ScriptedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        with self.changed:
            self.released.set()
            self.changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class FakeTime:
    """A clock and an async sleep for the retry loop (``OpenAIEngine(**fake.options())``):
    sleeping returns at once, moves the clock on and is recorded, so a test checks which waits
    were asked for and where the deadline stopped the retries, on any machine load."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def options(self) -> dict[str, Any]:
        return {"clock": self.clock, "sleep": self.sleep}


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def scripted_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer().start()
    try:
        yield server
    finally:
        server.stop()


async def _serve_fixed(content: Any, delay: float, ready: Callable[[str], None]) -> None:
    """A minimal asyncio HTTP/1.1 server: every POST gets ``content`` after ``delay`` seconds.

    Single-threaded and non-blocking, so its own overhead does not blur a client benchmark.
    """
    import asyncio

    body = json.dumps(completion(json.dumps(content))).encode()
    count = in_flight = most = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal count, in_flight, most
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                length = 0
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
                if lines[0].startswith("GET"):
                    data = json.dumps({"requests": count, "max_in_flight": most}).encode()
                else:
                    count += 1
                    in_flight += 1
                    most = max(most, in_flight)
                    try:
                        await asyncio.sleep(delay)
                    finally:
                        in_flight -= 1
                    data = body
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(data)}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass  # the client closed, or the server is shutting down
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=128)
    port = server.sockets[0].getsockname()[1]
    ready(f"http://127.0.0.1:{port}/v1")
    loop = asyncio.get_running_loop()
    import sys

    # Serve until standard input closes (the parent process is done).
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


def main() -> None:
    """Serve one fixed answer (a JSON file) after a delay, until stdin closes."""
    import argparse
    import asyncio

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("answer", help="JSON file: the message content of every reply")
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    with open(args.answer, encoding="utf-8") as handle:
        content = json.load(handle)
    asyncio.run(_serve_fixed(content, args.delay, lambda url: print(url, flush=True)))


if __name__ == "__main__":
    main()


def scripted_engine(server: ScriptedServer, tmp_path: Path, **extra: Any) -> OpenAIEngine:
    """An openai engine talking to ``server``: no cross-check, a private cache, short backoff."""
    from briefer.config import EngineSettings
    from briefer.engines.openai import OpenAIEngine

    options: dict[str, Any] = {
        "settings": EngineSettings(),
        "base_url": server.base_url,
        "model": "scripted-1",
        "cache_path": tmp_path / "cache.sqlite3",
        "crosscheck": False,
        "backoff": 0.05,
        "extraction": "free",  # the scripted answers are free extractions unless a test says
    }
    options.update(extra)
    return OpenAIEngine(**options)
