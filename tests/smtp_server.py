"""A real SMTP server on loopback for tests, with scriptable failures.

Its fixtures are registered for every test by ``tests/conftest.py`` (tests/ is on sys.path
through pytest's ``pythonpath`` setting)::

    if TYPE_CHECKING:
        from smtp_server import SmtpServer

    def test_sends(smtp_server: SmtpServer) -> None:
        send_message(message, smtp_server.settings())
        assert len(smtp_server.received) == 1

Behaviour is set on the handler before (or between) sends::

    smtp_server.handler.data_replies = ["451 4.3.0 try later"] * 2   # then accept
    smtp_server.handler.data_replies = ["550 5.7.1 rejected"]
    smtp_server.handler.drops = 1       # close the connection instead of answering DATA
    smtp_server.handler.rcpt_replies["x@example.org"] = ["450 4.2.1 mailbox busy"]

``make_smtp_server(auth=("user", "secret"))`` requires AUTH; ``starttls=tls_files`` offers
STARTTLS with a self-signed certificate, ``implicit_tls=tls_files`` speaks TLS on connect.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from briefer.config import SmtpSettings


@dataclass
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.content, policy=default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Handler:
    """aiosmtpd handler that records accepted messages and plays scripted failures."""

    received: list[Received] = field(default_factory=list)
    # Replies to the next DATA commands, used up in order; when empty, DATA is accepted.
    data_replies: list[str] = field(default_factory=list)
    # Per recipient, replies to the next RCPT TO commands naming it.
    rcpt_replies: dict[str, list[str]] = field(default_factory=dict)
    # How many of the next DATA commands are answered by closing the connection.
    drops: int = 0
    data_commands: int = 0
    connections: int = 0
    auth_attempts: list[str] = field(default_factory=list)

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list
    ) -> list:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        replies = self.rcpt_replies.get(address)
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.data_commands += 1
        if self.drops > 0:
            self.drops -= 1
            assert server.transport is not None
            server.transport.close()
            return "421 4.4.2 connection dropped"
        if self.data_replies:
            return self.data_replies.pop(0)
        content = envelope.original_content or b""
        self.received.append(Received(envelope.mail_from or "", list(envelope.rcpt_tos), content))
        return "250 2.0.0 OK queued"


@dataclass
class SmtpServer:
    """A running server: where it listens and what it received."""

    host: str
    port: int
    handler: Handler
    security: str = "none"

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def settings(self, **overrides: Any) -> SmtpSettings:
        """SmtpSettings pointing at this server."""
        values: dict[str, Any] = {"host": self.host, "port": self.port, "security": self.security}
        values["timeout"] = 5.0
        values.update(overrides)
        return SmtpSettings(**values)


@dataclass
class TlsFiles:
    """A self-signed certificate for 127.0.0.1 / localhost and its key."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts only this certificate (hostname checked)."""
        context = ssl.create_default_context(cafile=str(self.cert))
        return context


class _Authenticator:
    def __init__(self, user: str, password: str, attempts: list[str]) -> None:
        self.user = user.encode()
        self.password = password.encode()
        self.attempts = attempts

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        self.attempts.append(auth_data.login.decode())
        ok = auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok, handled=False)


class _Controller(Controller):
    """Controller on a socket bound before start, so port 0 (any free port) works race-free."""

    def __init__(self, handler: Handler, *, sock: socket.socket, **kwargs: Any) -> None:
        self._sock = sock
        host, port = sock.getsockname()[:2]
        super().__init__(handler, hostname=host, port=port, server_hostname="localhost", **kwargs)

    def factory(self) -> SMTP:
        # aiosmtpd warns that AUTH without TLS is unsafe; on loopback in a test it is the point.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return super().factory()

    def _create_server(self) -> Any:
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


@contextmanager
def running_server(
    *,
    auth: tuple[str, str] | None = None,
    starttls: TlsFiles | None = None,
    implicit_tls: TlsFiles | None = None,
) -> Iterator[SmtpServer]:
    """Start a server on 127.0.0.1 and a free port; stop it on exit."""
    handler = Handler()
    kwargs: dict[str, Any] = {"ready_timeout": 10.0}
    security = "none"
    if auth is not None:
        kwargs.update(
            auth_required=True,
            auth_require_tls=False,
            authenticator=_Authenticator(*auth, handler.auth_attempts),
        )
    if starttls is not None:
        kwargs["tls_context"] = starttls.server_context()
        kwargs["require_starttls"] = True
        security = "starttls"
    if implicit_tls is not None:
        kwargs["ssl_context"] = implicit_tls.server_context()
        security = "ssl"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        controller = _Controller(handler, sock=sock, **kwargs)
        controller.start()
        # The controller's start-up probe counts as a connection; tests count only their own.
        handler.connections = 0
        try:
            yield SmtpServer("127.0.0.1", sock.getsockname()[1], handler, security)
        finally:
            controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain (security = "none") server that accepts everything."""
    with running_server() as server:
        yield server


@pytest.fixture
def make_smtp_server() -> Iterator[Callable[..., SmtpServer]]:
    """Factory: ``make_smtp_server(auth=..., starttls=..., implicit_tls=...)``."""
    with ExitStack() as stack:
        yield lambda **options: stack.enter_context(running_server(**options))


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A throwaway self-signed certificate, made with the openssl CLI (skips without it)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    files = TlsFiles(cert=folder / "cert.pem", key=folder / "key.pem")
    command = [
        openssl,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        str(files.key),
        "-out",
        str(files.cert),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        pytest.skip(f"openssl could not make a test certificate: {result.stderr.strip()}")
    return files
