"""Sending a built message over SMTP, retrying what the server says is temporary.

Only two outcomes reach the caller: the function returns (the server accepted the message with a
250 after DATA) or it raises SmtpTransientError / SmtpPermanentError with a one-line message
naming ``host:port`` and the SMTP reply code. The password never appears in either.
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from briefer.backoff import Backoff, retrying
from briefer.config import SmtpSettings
from briefer.errors import BrieferError, ConfigError

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
MAX_DELAY = 60.0


class SmtpError(BrieferError):
    """Delivery failed; ``code`` is the SMTP reply code when the server sent one."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class SmtpTransientError(SmtpError):
    """Gave up after retrying temporary failures; running again later may succeed.

    Exit code 75 (EX_TEMPFAIL from sysexits.h), which cron wrappers and mail tools read as
    "try again later".
    """

    exit_code = 75


class SmtpPermanentError(SmtpError):
    """The server refused for good (5xx, bad credentials, no TLS); fix the setup first.

    Exit code 69 (EX_UNAVAILABLE from sysexits.h).
    """

    exit_code = 69


class _Retry(Exception):
    """One attempt failed temporarily; ``message`` is already safe to show."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class _StillPending(Exception):
    """Some recipients have the message, others refused it for now: try those again."""


@dataclass(frozen=True)
class _Server:
    """Where to send, and how to connect."""

    settings: SmtpSettings
    host: str
    port: int
    context: ssl.SSLContext | None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass
class _Progress:
    """Who still waits for the message. Once any recipient has it, failing would make the
    caller send it again to everyone: from then on, trouble is only logged."""

    pending: list[str]
    delivered: bool = False


def send_message(
    message: EmailMessage,
    settings: SmtpSettings,
    *,
    attempts: int = 4,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    context: ssl.SSLContext | None = None,
) -> None:
    """Deliver ``message`` to the recipients in its To/Cc/Bcc headers; return once accepted.

    Temporary failures (4xx replies, refused or dropped connections, timeouts) are retried up
    to ``attempts`` times on the shared schedule (``briefer.backoff``: exponential from
    ``backoff`` seconds, with jitter). ``context`` overrides the TLS context (by default the
    system's trusted CAs, with hostname checking).
    """
    policy = Backoff(attempts=attempts, base=backoff, cap=MAX_DELAY)
    host, port = _endpoint(settings)
    if bool(settings.user) != (settings.password is not None):
        raise ConfigError(
            "set both smtp.user and smtp.password (or BRIEFER_SMTP_USER and "
            "BRIEFER_SMTP_PASSWORD), or neither"
        )
    server = _Server(settings, host, port, context)
    sender, recipients = _envelope(message)
    secrets = _secret_forms(settings)
    progress = _Progress(pending=recipients)

    def warn(problem: BaseException, attempt: int, delay: float) -> None:
        # A retry for recipients refused for now, after the others got it, is not a failure.
        if isinstance(problem, _Retry):
            text = _scrub(problem.message, secrets)
            log.warning(
                "SMTP %s attempt %d/%d failed: %s; retrying in %.1fs",
                server.where,
                attempt,
                attempts,
                text,
                delay,
            )

    # On giving up, trouble after some recipients have the message is only logged (below).
    try:
        for attempt in retrying(policy, retry_if=_retried, sleep=sleep, on_retry=warn):
            with attempt:
                _deliver(message, server, sender, progress)
    except _Retry as problem:
        if not progress.delivered:
            raise SmtpTransientError(
                f"SMTP server {server.where} still failing after {attempts} attempts: "
                f"{_scrub(problem.message, secrets)} (the message was not delivered; run "
                "again later)",
                code=problem.code,
            ) from None
    except _StillPending:
        pass
    except SmtpError as problem:
        text = _scrub(str(problem), secrets)
        if not progress.delivered:
            raise type(problem)(text, code=problem.code) from None
        log.warning("%s", text)
    if progress.pending:
        log.warning(
            "SMTP %s never accepted recipient(s) %s; the others got the message",
            server.where,
            ", ".join(progress.pending),
        )


def _retried(problem: BaseException) -> bool:
    return isinstance(problem, _Retry | _StillPending)


def _deliver(message: EmailMessage, server: _Server, sender: str, progress: _Progress) -> None:
    """One attempt for the recipients still pending; raises ``_StillPending`` if some of them
    refused it for now."""
    rejected = _attempt(message, server, sender, progress.pending)
    progress.delivered = True
    log.info("SMTP %s accepted %s", server.where, message["Message-ID"])
    # Some recipients refused while others got it: retry only the temporarily refused.
    progress.pending = []
    for address, (code, reply) in rejected.items():
        if 400 <= code < 500:
            progress.pending.append(address)
        else:
            log.warning(
                "SMTP %s refused recipient %s: %s", server.where, address, _reply(code, reply)
            )
    if progress.pending:
        raise _StillPending


def _attempt(
    message: EmailMessage, server: _Server, sender: str, recipients: list[str]
) -> dict[str, tuple[int, bytes]]:
    """One connection: returns refused recipients (empty when all accepted), or raises."""
    client: smtplib.SMTP | None = None
    try:
        client = _connect(server)
        _secure(client, server)
        settings = server.settings
        if settings.user and settings.password is not None:
            client.login(settings.user, settings.password.get_secret_value())
        return client.send_message(message, from_addr=sender, to_addrs=recipients)
    except SmtpError:
        raise
    except OSError as exc:  # smtplib's and ssl's errors are OSErrors too
        raise _problem(exc, server) from None
    finally:
        if client is not None:
            _close(client)


def _connect(server: _Server) -> smtplib.SMTP:
    settings = server.settings
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(
            server.host,
            server.port,
            timeout=settings.timeout,
            context=server.context or _tls_context(),
        )
    return smtplib.SMTP(server.host, server.port, timeout=settings.timeout)


def _secure(client: smtplib.SMTP, server: _Server) -> None:
    """EHLO, and STARTTLS when asked for; never falls back to clear text."""
    client.ehlo()
    if server.settings.security != "starttls":
        return
    if not client.has_extn("starttls"):
        raise SmtpPermanentError(
            f"SMTP server {server.where} does not offer STARTTLS; refusing to send in clear "
            'text (use smtp.security = "ssl" if it speaks TLS on connect, e.g. port 465)'
        )
    client.starttls(context=server.context or _tls_context())
    client.ehlo()


def _problem(exc: OSError, server: _Server) -> _Retry | SmtpPermanentError:
    """What a failed attempt means: retry (temporary) or stop (permanent)."""
    if isinstance(exc, smtplib.SMTPException):
        return _smtp_problem(exc, server)
    where = server.where
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SmtpPermanentError(
            f"SMTP server {where} TLS certificate not trusted ({exc.verify_message}); "
            "fix the server's certificate or point SSL_CERT_FILE at its CA"
        )
    if isinstance(exc, ssl.SSLEOFError | ssl.SSLZeroReturnError):
        return _Retry("TLS connection closed by the server")
    if isinstance(exc, ssl.SSLError):
        return SmtpPermanentError(
            f"SMTP server {where} TLS handshake failed ({exc.reason or exc}); check smtp.port "
            "and smtp.security (ssl is usually port 465, starttls port 587)"
        )
    if isinstance(exc, socket.gaierror):
        return _Retry(f"cannot resolve host {server.host!r} ({exc.strerror})")
    if isinstance(exc, TimeoutError):
        return _Retry(f"timed out after {server.settings.timeout:g}s")
    return _Retry(f"cannot connect ({exc.strerror or type(exc).__name__})")


def _smtp_problem(exc: smtplib.SMTPException, server: _Server) -> _Retry | SmtpPermanentError:
    where = server.where
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        code = exc.smtp_code
        text = f"login as {server.settings.user!r} refused ({_reply(code, exc.smtp_error)})"
        if 400 <= code < 500:
            return _Retry(text, code)
        return SmtpPermanentError(
            f"SMTP server {where} {text}; check smtp.user and smtp.password "
            "(or BRIEFER_SMTP_USER / BRIEFER_SMTP_PASSWORD)",
            code=code,
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = {code for code, _ in exc.recipients.values()}
        detail = "; ".join(
            f"{address}: {_reply(code, reply)}" for address, (code, reply) in exc.recipients.items()
        )
        if all(400 <= code < 500 for code in codes):
            return _Retry(f"recipients refused ({detail})", min(codes))
        return SmtpPermanentError(
            f"SMTP server {where} refused the recipients ({detail})", code=max(codes)
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        # smtplib reports a read timeout as a disconnection; say which it was.
        if "timed out" in str(exc):
            return _Retry(f"timed out after {server.settings.timeout:g}s")
        return _Retry("connection closed by the server")
    if isinstance(exc, smtplib.SMTPResponseException):
        # Covers refused sender, refused DATA, bad greeting and bad HELO: all carry a code.
        code = exc.smtp_code
        what = {
            smtplib.SMTPSenderRefused: "refused the sender",
            smtplib.SMTPDataError: "refused the message",
            smtplib.SMTPConnectError: "refused the connection",
            smtplib.SMTPHeloError: "refused EHLO",
        }.get(type(exc), "answered")
        if 400 <= code < 500:
            return _Retry(f"server {what} ({_reply(code, exc.smtp_error)})", code)
        return SmtpPermanentError(
            f"SMTP server {where} {what} ({_reply(code, exc.smtp_error)})", code=code
        )
    # Including SMTPNotSupportedError: the server lacks what the message needs.
    return SmtpPermanentError(f"SMTP server {where}: {_one_line(str(exc))}")


def _close(client: smtplib.SMTP) -> None:
    # The message may already be accepted: a failing QUIT must not turn that into a retry.
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _endpoint(settings: SmtpSettings) -> tuple[str, int]:
    if not settings.host:
        raise ConfigError(
            "no SMTP server configured: set smtp.host in the config file or BRIEFER_SMTP_HOST"
        )
    host = settings.host
    if settings.security == "none" and not _is_loopback(host):
        raise ConfigError(
            f'smtp.security = "none" sends in clear text and is only allowed to a server on '
            f'this machine, not {host!r}; use "starttls" or "ssl"'
        )
    return host, settings.port or DEFAULT_PORTS[settings.security]


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _envelope(message: EmailMessage) -> tuple[str, list[str]]:
    sender = parseaddr(str(message.get("Sender") or message.get("From") or ""))[1]
    if not sender:
        raise BrieferError("the message has no From address (set smtp.sender or BRIEFER_SMTP_FROM)")
    fields = [str(value) for name in ("To", "Cc", "Bcc") for value in message.get_all(name, [])]
    recipients = list(dict.fromkeys(address for _, address in getaddresses(fields) if address))
    if not recipients:
        raise BrieferError("the message has no recipients (set digest.to or BRIEFER_DIGEST_TO)")
    return sender, recipients


def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _secret_forms(settings: SmtpSettings) -> list[str]:
    """The password and the encodings AUTH sends it in, so none can leak through a reply."""
    if settings.password is None:
        return []
    password = settings.password.get_secret_value()
    if not password:
        return []
    user = settings.user or ""
    forms = [password]
    for raw in (password, f"\0{user}\0{password}"):
        forms.append(base64.b64encode(raw.encode("utf-8")).decode("ascii"))
    return forms


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "********")
    return text


def _reply(code: int, reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return f"{code} {_one_line(reply)}".strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())
