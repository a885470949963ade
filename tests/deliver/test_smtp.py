"""SMTP delivery against a real server on loopback: success, retries, permanent failures, TLS."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from briefer.config import SmtpSettings, load_settings
from briefer.deliver.mail import build_message, inline_css
from briefer.deliver.smtp import SmtpPermanentError, SmtpTransientError, _endpoint, send_message
from briefer.errors import BrieferError, ConfigError

if TYPE_CHECKING:
    from smtp_server import SmtpServer, TlsFiles

# The fixtures (smtp_server, make_smtp_server, tls_files) live in tests/smtp_server.py;
# importing it here instead would stop pytest from rewriting its asserts.

PASSWORD = "pa55-w0rd-Zq9"
HTML = (
    "<html><head><style>.claim{color:#1a5fb4}</style></head>"
    '<body><p class="claim">Officials said “no comment”.</p></body></html>'
)


@pytest.fixture
def message() -> EmailMessage:
    return build_message(
        subject="Morning digest – ünïcode",
        sender="Briefer <briefer@example.org>",
        to=["analyst@example.org", "editor@example.net"],
        text="Officials said “no comment”.\n",
        html=inline_css(HTML),
    )


class Sleeps(list[float]):
    """A fake ``sleep`` that records the delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port nothing listens on (bound, never listening, so no one else takes it)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


def test_delivers_once_and_the_message_parses_back(
    smtp_server: SmtpServer, message: EmailMessage
) -> None:
    send_message(message, smtp_server.settings())
    assert len(smtp_server.received) == 1
    received = smtp_server.received[0]
    assert received.mail_from == "briefer@example.org"
    assert received.rcpt_tos == ["analyst@example.org", "editor@example.net"]
    parsed = received.message()
    assert parsed["Subject"] == "Morning digest – ünïcode"
    assert parsed["Message-ID"] == message["Message-ID"]
    assert parsed["Date"] == message["Date"]
    assert parsed.get_content_type() == "multipart/alternative"
    plain, html = parsed.iter_parts()
    assert plain.get_content_type() == "text/plain" and plain.get_content_charset() == "utf-8"
    assert html.get_content_type() == "text/html" and html.get_content_charset() == "utf-8"
    assert "Officials said “no comment”." in plain.get_content()
    assert 'style="color: #1a5fb4;"' in html.get_content()


def test_bcc_recipients_get_it_but_the_header_is_not_sent(
    smtp_server: SmtpServer, message: EmailMessage
) -> None:
    message["Bcc"] = "hidden@example.org"
    send_message(message, smtp_server.settings())
    received = smtp_server.received[0]
    assert "hidden@example.org" in received.rcpt_tos
    assert b"hidden@example.org" not in received.content


def test_server_down_is_transient_after_all_attempts(
    closed_port: int, message: EmailMessage, sleeps: Sleeps
) -> None:
    settings = SmtpSettings(host="127.0.0.1", port=closed_port, security="none")
    with pytest.raises(SmtpTransientError) as caught:
        send_message(message, settings, attempts=3, backoff=2.0, sleep=sleeps)
    error = caught.value
    assert f"127.0.0.1:{closed_port}" in str(error)
    assert "after 3 attempts" in str(error)
    assert "\n" not in str(error)
    assert error.exit_code == 75
    assert isinstance(error, BrieferError)
    # The shared schedule: doubling from 2 s, plus up to 2 s of jitter: 2-4 s, then 4-6 s.
    assert len(sleeps) == 2
    assert 2.0 <= sleeps[0] <= 4.0 and 4.0 <= sleeps[1] <= 6.0
    sleeps.clear()
    with pytest.raises(SmtpTransientError, match="after 4 attempts"):
        send_message(message, settings, sleep=sleeps)
    assert len(sleeps) == 3


def test_451_then_accepted_delivers_exactly_once(
    smtp_server: SmtpServer, message: EmailMessage, sleeps: Sleeps
) -> None:
    smtp_server.handler.data_replies = ["451 4.3.0 Try again later"] * 2
    send_message(message, smtp_server.settings(), attempts=4, sleep=sleeps)
    assert len(smtp_server.received) == 1
    assert smtp_server.handler.data_commands == 3
    assert len(sleeps) == 2


def test_451_every_time_gives_up_naming_the_code(
    smtp_server: SmtpServer, message: EmailMessage, sleeps: Sleeps
) -> None:
    smtp_server.handler.data_replies = ["451 4.3.0 Try again later"] * 5
    with pytest.raises(SmtpTransientError, match=r"451 4\.3\.0 Try again later") as caught:
        send_message(message, smtp_server.settings(), attempts=2, sleep=sleeps)
    assert caught.value.code == 451
    assert smtp_server.received == []


def test_550_is_permanent_at_once(
    smtp_server: SmtpServer, message: EmailMessage, sleeps: Sleeps
) -> None:
    smtp_server.handler.data_replies = ["550 5.7.1 Message rejected as spam"]
    with pytest.raises(SmtpPermanentError) as caught:
        send_message(message, smtp_server.settings(), sleep=sleeps)
    error = caught.value
    assert error.code == 550 and error.exit_code == 69
    assert f"{smtp_server.host}:{smtp_server.port}" in str(error)
    assert "550 5.7.1 Message rejected as spam" in str(error)
    assert sleeps == [] and smtp_server.handler.data_commands == 1


def test_dropped_connection_mid_data_is_retried(
    smtp_server: SmtpServer, message: EmailMessage, sleeps: Sleeps
) -> None:
    smtp_server.handler.drops = 1
    send_message(message, smtp_server.settings(), sleep=sleeps)
    assert len(smtp_server.received) == 1
    assert smtp_server.handler.data_commands == 2
    assert len(sleeps) == 1


def test_timeout_is_transient(message: EmailMessage, sleeps: Sleeps) -> None:
    # Listening but never answering: the connection opens, the greeting never comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings = SmtpSettings(
            host="127.0.0.1", port=silent.getsockname()[1], security="none", timeout=0.2
        )
        with pytest.raises(SmtpTransientError, match="timed out"):
            send_message(message, settings, attempts=2, sleep=sleeps)


def test_all_recipients_refused_temporarily_is_retried(
    smtp_server: SmtpServer, message: EmailMessage, sleeps: Sleeps
) -> None:
    smtp_server.handler.rcpt_replies = {
        "analyst@example.org": ["450 4.2.1 Mailbox busy"],
        "editor@example.net": ["451 4.4.3 Try later"],
    }
    send_message(message, smtp_server.settings(), sleep=sleeps)
    assert len(smtp_server.received) == 1 and len(sleeps) == 1


def test_recipients_refused_permanently(
    smtp_server: SmtpServer, message: EmailMessage, sleeps: Sleeps
) -> None:
    smtp_server.handler.rcpt_replies = {
        "analyst@example.org": ["550 5.1.1 No such user"],
        "editor@example.net": ["550 5.1.1 No such user"],
    }
    with pytest.raises(SmtpPermanentError, match=r"analyst@example\.org: 550 5\.1\.1 No such user"):
        send_message(message, smtp_server.settings(), sleep=sleeps)
    assert sleeps == []


def test_one_recipient_refused_for_good_the_other_still_gets_it(
    smtp_server: SmtpServer, message: EmailMessage, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    smtp_server.handler.rcpt_replies = {"editor@example.net": ["550 5.1.1 No such user"]}
    with caplog.at_level(logging.WARNING, logger="briefer.deliver.smtp"):
        send_message(message, smtp_server.settings(), sleep=sleeps)
    assert [r.rcpt_tos for r in smtp_server.received] == [["analyst@example.org"]]
    assert "editor@example.net" in caplog.text and "550" in caplog.text
    assert sleeps == []


def test_one_recipient_refused_for_now_is_retried_alone(
    smtp_server: SmtpServer, message: EmailMessage, sleeps: Sleeps
) -> None:
    smtp_server.handler.rcpt_replies = {"editor@example.net": ["452 4.2.2 Mailbox full"]}
    send_message(message, smtp_server.settings(), sleep=sleeps)
    assert [r.rcpt_tos for r in smtp_server.received] == [
        ["analyst@example.org"],
        ["editor@example.net"],
    ]
    assert len(sleeps) == 1


def test_login_with_configured_credentials(
    make_smtp_server: Callable[..., SmtpServer], message
) -> None:
    server = make_smtp_server(auth=("briefer", PASSWORD))
    send_message(message, server.settings(user="briefer", password=PASSWORD))
    assert len(server.received) == 1
    assert server.handler.auth_attempts == ["briefer"]


def test_login_with_credentials_from_the_environment(
    make_smtp_server: Callable[..., SmtpServer], message: EmailMessage, tmp_path: Path
) -> None:
    server = make_smtp_server(auth=("briefer", PASSWORD))
    environ = {
        "BRIEFER_CONFIG": "",
        "BRIEFER_SMTP_HOST": server.host,
        "BRIEFER_SMTP_PORT": str(server.port),
        "BRIEFER_SMTP_SECURITY": "none",
        "BRIEFER_SMTP_USER": "briefer",
        "BRIEFER_SMTP_PASSWORD": PASSWORD,
    }
    settings = load_settings(tmp_path / "absent.toml", environ).smtp
    send_message(message, settings)
    assert len(server.received) == 1


def test_auth_failure_is_permanent_and_never_shows_the_password(
    make_smtp_server: Callable[..., SmtpServer],
    message: EmailMessage,
    sleeps: Sleeps,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = make_smtp_server(auth=("briefer", "the-right-one"))
    with (
        caplog.at_level(logging.DEBUG, logger="briefer"),
        pytest.raises(SmtpPermanentError) as caught,
    ):
        send_message(message, server.settings(user="briefer", password=PASSWORD), sleep=sleeps)
    error = caught.value
    assert error.code == 535 and "535" in str(error) and "smtp.password" in str(error)
    assert sleeps == [] and server.received == []
    for text in (str(error), repr(error), repr(error.args), caplog.text):
        assert PASSWORD not in text
    assert error.__cause__ is None and error.__suppress_context__


def test_password_echoed_by_the_server_is_scrubbed(
    make_smtp_server: Callable[..., SmtpServer],
    message: EmailMessage,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = make_smtp_server(auth=("briefer", PASSWORD))
    server.handler.data_replies = [
        f"451 4.3.0 debug {PASSWORD}",
        f"554 5.0.0 you sent {PASSWORD}",
    ]
    settings = server.settings(user="briefer", password=PASSWORD)
    with (
        caplog.at_level(logging.DEBUG, logger="briefer"),
        pytest.raises(SmtpPermanentError) as caught,
    ):
        send_message(message, settings, sleep=lambda _: None)
    assert PASSWORD not in str(caught.value) and "********" in str(caught.value)
    assert PASSWORD not in caplog.text and "attempt 1/4" in caplog.text


def test_settings_repr_hides_the_password() -> None:
    settings = SmtpSettings(host="localhost", user="u", password=PASSWORD)
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings)


def test_starttls_upgrade_and_login(
    make_smtp_server: Callable[..., SmtpServer], tls_files: TlsFiles, message
) -> None:
    server = make_smtp_server(starttls=tls_files, auth=("briefer", PASSWORD))
    settings = server.settings(user="briefer", password=PASSWORD)
    send_message(message, settings, context=tls_files.client_context())
    assert len(server.received) == 1


def test_starttls_not_offered_is_refused_not_downgraded(
    smtp_server: SmtpServer, message: EmailMessage, sleeps: Sleeps
) -> None:
    settings = smtp_server.settings(security="starttls", user="briefer", password=PASSWORD)
    with pytest.raises(SmtpPermanentError, match="does not offer STARTTLS") as caught:
        send_message(message, settings, sleep=sleeps)
    assert smtp_server.received == [] and sleeps == []
    assert smtp_server.handler.auth_attempts == []
    assert PASSWORD not in str(caught.value)


def test_untrusted_certificate_is_permanent(
    make_smtp_server: Callable[..., SmtpServer],
    tls_files: TlsFiles,
    message: EmailMessage,
    sleeps: Sleeps,
) -> None:
    server = make_smtp_server(starttls=tls_files)
    with pytest.raises(SmtpPermanentError, match="certificate not trusted"):
        send_message(message, server.settings(), sleep=sleeps)
    assert server.received == [] and sleeps == []


def test_implicit_tls(
    make_smtp_server: Callable[..., SmtpServer], tls_files: TlsFiles, message
) -> None:
    server = make_smtp_server(implicit_tls=tls_files)
    assert server.security == "ssl"
    send_message(message, server.settings(), context=tls_files.client_context())
    assert len(server.received) == 1


def test_ssl_against_a_plain_server_fails_clearly(
    smtp_server: SmtpServer, message: EmailMessage, sleeps: Sleeps
) -> None:
    with pytest.raises(SmtpPermanentError, match="TLS handshake failed"):
        send_message(message, smtp_server.settings(security="ssl"), sleep=sleeps)
    assert sleeps == []


def test_clear_text_to_a_remote_host_is_refused(message: EmailMessage) -> None:
    settings = SmtpSettings(host="smtp.example.org", security="none")
    with pytest.raises(ConfigError, match="clear text"):
        send_message(message, settings)


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        (SmtpSettings(), "no SMTP server configured"),
        (SmtpSettings(host="localhost", security="none", user="u"), "smtp.user and smtp.password"),
    ],
)
def test_incomplete_settings_are_config_errors(
    settings: SmtpSettings, problem: str, message
) -> None:
    with pytest.raises(ConfigError, match=problem):
        send_message(message, settings)


@pytest.mark.parametrize(("security", "port"), [("ssl", 465), ("starttls", 587), ("none", 25)])
def test_default_port_follows_security(security: str, port: int) -> None:
    assert _endpoint(SmtpSettings(host="localhost", security=security)) == ("localhost", port)
    assert _endpoint(SmtpSettings(host="localhost", port=2525)) == ("localhost", 2525)
