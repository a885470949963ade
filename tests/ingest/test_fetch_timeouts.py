"""``timeout`` bounds a whole fetch: servers that never answer or trickle bytes, redirects.

The servers are real sockets on 127.0.0.1 that never finish a response, so a fetch can only
end through its deadline: the tests assert that it did (the one-line error), never how long it
took. Where the deadline logic itself is under test, the clock is a fake one.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from briefer.errors import InputError
from briefer.ingest.fetch import Deadline, _Expired, fetch_url, hop_limits

if TYPE_CHECKING:
    from conftest import Cli, LoopbackServer

TIMEOUT_MESSAGE = r"did not answer within {} seconds.*raise --timeout"


class StallingServer:
    """Accepts connections on loopback and never completes a response.

    ``mode``: "silent" sends nothing; "trickle-body" sends headers promising a large body,
    then one byte every ``interval`` seconds; "trickle-headers" never finishes a header line.
    """

    def __init__(self, mode: str, interval: float = 0.5) -> None:
        self.mode = mode
        self.interval = interval
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        # close() does not wake a blocked accept(); a short timeout lets stop() be prompt.
        self._listener.settimeout(0.1)
        self._clients: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}/story"

    def start(self) -> None:
        self._acceptor.start()

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        with self._lock:
            clients, threads = list(self._clients), list(self._threads)
        for client in clients:
            client.close()
        for thread in [self._acceptor, *threads]:
            thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # the listener was closed by stop()
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            with self._lock:
                self.connections += 1
                self._clients.append(client)
                self._threads.append(thread)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        try:
            client.recv(65536)  # the request
            if self.mode == "trickle-body":
                client.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
            elif self.mode == "trickle-headers":
                client.sendall(b"HTTP/1.1 200 OK\r\nX-Padding: ")
            while not self._stop.wait(self.interval):
                if self.mode != "silent":
                    client.sendall(b"a")
        except OSError:
            pass  # the client gave up and closed the connection: what the test wants


@pytest.fixture
def stalling() -> Iterator[Callable[[str], StallingServer]]:
    servers: list[StallingServer] = []

    def make(mode: str) -> StallingServer:
        server = StallingServer(mode)
        servers.append(server)
        server.start()
        return server

    try:
        yield make
    finally:
        for server in servers:
            server.stop()


class FakeClock:
    """A monotonic clock that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        self.now += self.step
        return self.now


@pytest.mark.parametrize("mode", ["silent", "trickle-body", "trickle-headers"])
def test_a_stalling_server_ends_in_the_timeout_error(
    stalling: Callable[[str], StallingServer], mode: str
) -> None:
    # Before the whole fetch had a deadline, the two trickling servers kept it open forever
    # (each byte restarted httpx's read timeout).
    server = stalling(mode)
    with pytest.raises(InputError, match=TIMEOUT_MESSAGE.format("1.5")) as caught:
        fetch_url(server.url, timeout=1.5)
    message = str(caught.value)
    assert server.url in message and "\n" not in message


def test_the_deadline_bounds_the_whole_body_not_each_read(http_server: LoopbackServer) -> None:
    # The body arrives at once in real time, but on the fake clock every read costs a second,
    # so a 5-second budget runs out long before the 2 MB are in.
    url = http_server.add("/long", b"a" * 2_000_000, chunked=True)
    clock = FakeClock(step=1.0)
    with pytest.raises(InputError, match=TIMEOUT_MESSAGE.format("5")):
        fetch_url(url, timeout=5, clock=clock)
    assert clock.reads < 20
    assert len(fetch_url(url).content) == 2_000_000  # with real time it is quick and whole


def test_redirect_hops_share_one_budget(http_server: LoopbackServer) -> None:
    # Each hop reads the fake clock, which moves two seconds a read: the 30 seconds are gone
    # after a few hops of the ten, although every hop alone is quick (and given seconds).
    for hop in range(10):
        http_server.add(f"/hop{hop}", status=302, headers={"Location": f"/hop{hop + 1}"})
    http_server.add("/hop10", "arrived")
    with pytest.raises(InputError, match=TIMEOUT_MESSAGE.format("30")):
        fetch_url(http_server.url("/hop0"), timeout=30, clock=FakeClock(step=2.0))
    assert 2 <= len(http_server.requests) < 10
    assert fetch_url(http_server.url("/hop0")).content == b"arrived"


def test_each_hop_gets_only_the_time_left() -> None:
    now = [0.0]
    limit = hop_limits(Deadline(10.0, clock=lambda: now[0]))
    first = httpx.Request("GET", "http://127.0.0.1/a")
    limit(first)
    assert first.extensions["timeout"] == dict.fromkeys(("connect", "read", "write", "pool"), 10.0)
    now[0] = 7.5
    second = httpx.Request("GET", "http://127.0.0.1/b")
    limit(second)
    assert second.extensions["timeout"]["connect"] == 2.5
    assert second.extensions["timeout"]["read"] == 2.5
    now[0] = 10.0
    with pytest.raises(_Expired):
        limit(httpx.Request("GET", "http://127.0.0.1/c"))


def test_deadline_on_a_fake_clock() -> None:
    now = [100.0]
    deadline = Deadline(3.0, clock=lambda: now[0])
    assert deadline.remaining() == 3.0 and not deadline.expired
    now[0] = 102.5
    assert deadline.remaining() == pytest.approx(0.5) and not deadline.expired
    now[0] = 103.0
    assert deadline.remaining() == 0.0 and deadline.expired
    now[0] = 200.0
    assert deadline.remaining() == 0.0 and deadline.expired


def test_brief_timeout_bounds_fetching_a_url(
    stalling: Callable[[str], StallingServer], cli: Cli
) -> None:
    server = stalling("trickle-body")
    result = cli("brief", server.url, "--engine", "rules", "--timeout", "1.5")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "did not answer within 1.5 seconds" in result.stderr
    assert "raise --timeout" in result.stderr
