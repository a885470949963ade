"""Building digest emails: structure, headers, address checks, CSS inlining."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import parsedate_to_datetime

import pytest

from briefer.deliver.mail import (
    MAX_HTML_BYTES,
    build_message,
    inline_css,
    message_bytes,
    parse_address,
)
from briefer.errors import BrieferError

HTML = """<html><head><style>
.claim { color: #1a5fb4; }
@media (prefers-color-scheme: dark) { .claim { color: #99c1f1; } }
</style></head><body><p class="claim">Ministry said “talks resume”.</p></body></html>"""


def build(**overrides: object) -> EmailMessage:
    values: dict = {
        "subject": "Morning digest",
        "sender": "Briefer <briefer@example.org>",
        "to": ["analyst@example.org"],
        "text": "Plain digest\n",
        "html": "<p>HTML digest</p>",
    }
    values.update(overrides)
    return build_message(**values)


def roundtrip(message: EmailMessage) -> EmailMessage:
    parsed = message_from_bytes(message_bytes(message), policy=default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_multipart_alternative_with_text_first_then_html() -> None:
    message = roundtrip(build(text="Zoë’s digest — ünïcode\n", html="<p>Zoë’s digest</p>"))
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in parts)
    assert parts[0].get_content().replace("\r\n", "\n") == "Zoë’s digest — ünïcode\n"
    assert "Zoë’s digest" in parts[1].get_content()


def test_wire_format_is_seven_bit_with_short_lines() -> None:
    long_html = "<p>" + "é" * 5000 + "</p>"
    wire = message_bytes(build(html=long_html))
    wire.decode("ascii")
    assert max(len(line) for line in wire.split(b"\r\n")) <= 998
    assert roundtrip(build(html=long_html)).get_body(("html",)).get_content().strip() == long_html


def test_headers_subject_from_to_and_unicode_names() -> None:
    message = roundtrip(
        build(subject="Digest: Téhéran & Kaboul", to=["Zoë <zoe@example.org>", "b@example.net"])
    )
    assert message["Subject"] == "Digest: Téhéran & Kaboul"
    assert message["From"].addresses[0].addr_spec == "briefer@example.org"
    assert message["From"].addresses[0].display_name == "Briefer"
    assert [a.addr_spec for a in message["To"].addresses] == ["zoe@example.org", "b@example.net"]
    assert message["To"].addresses[0].display_name == "Zoë"
    assert message["Auto-Submitted"] == "auto-generated"


def test_message_id_generated_on_sender_domain_and_unique() -> None:
    first, second = build(), build()
    assert first["Message-ID"].startswith("<") and first["Message-ID"].endswith("@example.org>")
    assert first["Message-ID"] != second["Message-ID"]


def test_explicit_message_id_and_date_are_kept() -> None:
    when = datetime(2026, 3, 1, 7, 30, tzinfo=timezone(timedelta(hours=1)))
    message = roundtrip(build(message_id="<digest-2026-03-01@example.org>", date=when))
    assert message["Message-ID"] == "<digest-2026-03-01@example.org>"
    assert parsedate_to_datetime(message["Date"]) == when


def test_default_date_is_now_and_aware() -> None:
    # Bracketed by the clock, not bounded by a duration: a busy machine cannot fail it.
    before = datetime.now(UTC).replace(microsecond=0)
    date = parsedate_to_datetime(build()["Date"])
    after = datetime.now(UTC)
    assert date.tzinfo is not None
    assert before <= date <= after


def test_naive_date_is_taken_as_local_time() -> None:
    naive = datetime(2026, 3, 1, 7, 30)
    assert parsedate_to_datetime(build(date=naive)["Date"]) == naive.astimezone()


@pytest.mark.parametrize(
    "subject",
    ["Digest\r\nBcc: victim@example.org", "Digest\nX-Evil: 1", "Digest\r", "A\x00B", "A\u2028B"],
)
def test_subject_with_line_break_is_rejected(subject: str) -> None:
    with pytest.raises(BrieferError, match="line break or control character"):
        build(subject=subject)


@pytest.mark.parametrize("field", ["sender", "to"])
def test_address_with_line_break_is_rejected(field: str) -> None:
    value = "a@example.org\r\nBcc: victim@example.org"
    with pytest.raises(BrieferError, match="line break"):
        build(**{field: [value] if field == "to" else value})


@pytest.mark.parametrize(
    "address",
    [
        "not an address",
        "a@example.org, b@example.org",
        "a@b",
        "@example.org",
        "a@-example.org",
        '"quoted local"@example.org',
        "a@exa mple.org",
        "Name <a@example.org",
        "a@example.org <b@example.org>",
        "",
    ],
)
def test_malformed_address_is_rejected(address: str) -> None:
    with pytest.raises(BrieferError, match="recipient"):
        build(to=[address])


def test_international_domain_is_encoded() -> None:
    assert parse_address("zoe@bücher.example").domain == "xn--bcher-kva.example"


@pytest.mark.parametrize("sender", [None, ""])
def test_missing_sender_names_the_setting(sender: str | None) -> None:
    with pytest.raises(BrieferError, match=r"smtp\.sender"):
        build(sender=sender)


def test_no_recipients_is_an_error() -> None:
    with pytest.raises(BrieferError, match="no recipients"):
        build(to=[])


@pytest.mark.parametrize("message_id", ["no-brackets@example.org", "<a b@c>", "<x@y>\r\nBcc: z"])
def test_bad_message_id_is_rejected(message_id: str) -> None:
    with pytest.raises(BrieferError, match="message_id"):
        build(message_id=message_id)


def test_inline_css_moves_rules_into_style_attributes_and_keeps_media_queries() -> None:
    result = inline_css(HTML)
    assert 'class="claim" style="color: #1a5fb4;"' in result
    assert "@media (prefers-color-scheme: dark)" in result
    assert "“talks resume”" in result


def test_inline_css_never_fetches_remote_stylesheets() -> None:
    # A listening socket stands in for a stylesheet server: any fetch would connect to it.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        port = listener.getsockname()[1]
        html = f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css"><p>x</p>'
        result = inline_css(html)
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert "<link" not in result
    assert "<p>x</p>" in result


def test_inline_css_tolerates_broken_css() -> None:
    assert "<p>x</p>" in inline_css("<style>{{{</style><p>x</p>")


def test_max_html_bytes() -> None:
    assert MAX_HTML_BYTES == 100_000
