"""Sending a built message over SMTP, retrying what the server says is temporary.

Only two outcomes reach the caller: the function returns (the server accepted the message with a
250 after DATA) or it raises SmtpTransientError / SmtpPermanentError with a one-line message
naming ``host:port`` and the SMTP reply code. The password never appears in either.
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import random
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

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
    to ``attempts`` times with exponential backoff and jitter. ``context`` overrides the TLS
    context (by default the system's trusted CAs, with hostname checking).
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    host, port = _endpoint(settings)
    if bool(settings.user) != (settings.password is not None):
        raise ConfigError(
            "set both smtp.user and smtp.password (or BRIEFER_SMTP_USER and "
            "BRIEFER_SMTP_PASSWORD), or neither"
        )
    where = f"{host}:{port}"
    sender, pending = _envelope(message)
    secrets = _secret_forms(settings)
    # Once any recipient has the message, failing would make the caller send it again to
    # everyone; from then on, problems with the remaining recipients are only logged.
    delivered = False
    for attempt in range(1, attempts + 1):
        try:
            rejected = _attempt(message, settings, host, port, sender, pending, context)
        except _Retry as problem:
            text = _scrub(problem.message, secrets)
            if attempt < attempts:
                delay = _delay(backoff, attempt)
                log.warning(
                    "SMTP %s attempt %d/%d failed: %s; retrying in %.1fs",
                    where,
                    attempt,
                    attempts,
                    text,
                    delay,
                )
                sleep(delay)
                continue
            if delivered:
                break
            raise SmtpTransientError(
                f"SMTP server {where} still failing after {attempts} attempts: {text} "
                "(the message was not delivered; run again later)",
                code=problem.code,
            ) from None
        except SmtpError as problem:
            text = _scrub(str(problem), secrets)
            if delivered:
                log.warning("%s", text)
                break
            raise type(problem)(text, code=problem.code) from None
        delivered = True
        log.info("SMTP %s accepted %s", where, message["Message-ID"])
        # Some recipients refused while others got it: retry only the temporarily refused.
        pending = []
        for address, (code, reply) in rejected.items():
            if 400 <= code < 500:
                pending.append(address)
            else:
                log.warning("SMTP %s refused recipient %s: %s", where, address, _reply(code, reply))
        if not pending:
            return
        if attempt < attempts:
            sleep(_delay(backoff, attempt))
    if pending:
        log.warning(
            "SMTP %s never accepted recipient(s) %s; the others got the message",
            where,
            ", ".join(pending),
        )


def _delay(backoff: float, attempt: int) -> float:
    """Exponential backoff with up to 50% jitter, so many cron jobs do not retry in step."""
    return min(MAX_DELAY, backoff * 2 ** (attempt - 1)) * random.uniform(1.0, 1.5)


def _attempt(
    message: EmailMessage,
    settings: SmtpSettings,
    host: str,
    port: int,
    sender: str,
    recipients: list[str],
    context: ssl.SSLContext | None,
) -> dict[str, tuple[int, bytes]]:
    """One connection: returns refused recipients (empty when all accepted), or raises."""
    where = f"{host}:{port}"
    client: smtplib.SMTP | None = None
    try:
        if settings.security == "ssl":
            client = smtplib.SMTP_SSL(
                host, port, timeout=settings.timeout, context=context or _tls_context()
            )
        else:
            client = smtplib.SMTP(host, port, timeout=settings.timeout)
        client.ehlo()
        if settings.security == "starttls":
            if not client.has_extn("starttls"):
                raise SmtpPermanentError(
                    f"SMTP server {where} does not offer STARTTLS; refusing to send in clear "
                    'text (use smtp.security = "ssl" if it speaks TLS on connect, e.g. port 465)'
                )
            client.starttls(context=context or _tls_context())
            client.ehlo()
        if settings.user and settings.password is not None:
            client.login(settings.user, settings.password.get_secret_value())
        rejected = client.send_message(message, from_addr=sender, to_addrs=recipients)
    except SmtpError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        code = exc.smtp_code
        text = f"login as {settings.user!r} refused ({_reply(code, exc.smtp_error)})"
        if 400 <= code < 500:
            raise _Retry(text, code) from None
        raise SmtpPermanentError(
            f"SMTP server {where} {text}; check smtp.user and smtp.password "
            "(or BRIEFER_SMTP_USER / BRIEFER_SMTP_PASSWORD)",
            code=code,
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        codes = {code for code, _ in exc.recipients.values()}
        detail = "; ".join(
            f"{address}: {_reply(code, reply)}" for address, (code, reply) in exc.recipients.items()
        )
        if all(400 <= code < 500 for code in codes):
            raise _Retry(f"recipients refused ({detail})", min(codes)) from None
        raise SmtpPermanentError(
            f"SMTP server {where} refused the recipients ({detail})", code=max(codes)
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise SmtpPermanentError(f"SMTP server {where}: {_one_line(str(exc))}") from None
    except smtplib.SMTPServerDisconnected as exc:
        # smtplib reports a read timeout as a disconnection; say which it was.
        if "timed out" in str(exc):
            raise _Retry(f"timed out after {settings.timeout:g}s") from None
        raise _Retry("connection closed by the server") from None
    except smtplib.SMTPResponseException as exc:
        # Covers refused sender, refused DATA, bad greeting and bad HELO: all carry a code.
        code = exc.smtp_code
        what = {
            smtplib.SMTPSenderRefused: "refused the sender",
            smtplib.SMTPDataError: "refused the message",
            smtplib.SMTPConnectError: "refused the connection",
            smtplib.SMTPHeloError: "refused EHLO",
        }.get(type(exc), "answered")
        if 400 <= code < 500:
            raise _Retry(f"server {what} ({_reply(code, exc.smtp_error)})", code) from None
        raise SmtpPermanentError(
            f"SMTP server {where} {what} ({_reply(code, exc.smtp_error)})", code=code
        ) from None
    except smtplib.SMTPException as exc:
        raise SmtpPermanentError(f"SMTP server {where}: {_one_line(str(exc))}") from None
    except ssl.SSLCertVerificationError as exc:
        raise SmtpPermanentError(
            f"SMTP server {where} TLS certificate not trusted ({exc.verify_message}); "
            "fix the server's certificate or point SSL_CERT_FILE at its CA"
        ) from None
    except (ssl.SSLEOFError, ssl.SSLZeroReturnError):
        raise _Retry("TLS connection closed by the server") from None
    except ssl.SSLError as exc:
        raise SmtpPermanentError(
            f"SMTP server {where} TLS handshake failed ({exc.reason or exc}); check smtp.port "
            "and smtp.security (ssl is usually port 465, starttls port 587)"
        ) from None
    except socket.gaierror as exc:
        raise _Retry(f"cannot resolve host {host!r} ({exc.strerror})") from None
    except TimeoutError:
        raise _Retry(f"timed out after {settings.timeout:g}s") from None
    except OSError as exc:
        raise _Retry(f"cannot connect ({exc.strerror or type(exc).__name__})") from None
    finally:
        if client is not None:
            _close(client)
    return rejected


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
