"""Building digest emails: a multipart/alternative message with a plain-text and an HTML part."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, getaddresses, make_msgid

import css_inline

from briefer.errors import BrieferError

# Gmail clips messages whose HTML is larger than about 102 kB; staying under this keeps the whole
# digest visible. The digest enforces it; this module only names the limit.
MAX_HTML_BYTES = 100_000

# A practical subset of RFC 5322 (dot-atom local part, DNS domain): anything the digest sends to
# fits, and anything that could smuggle syntax into a header does not.
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_MESSAGE_ID = re.compile(r"<[^<>@\s]+@[^<>@\s]+>")

# Inline every rule for clients that ignore <style> (Gmail's app, Outlook), but keep @media
# rules (dark mode, narrow screens) in a <style> block for the clients that honour them.
# Remote stylesheets stay off so building a message never touches the network.
_INLINER = css_inline.CSSInliner(
    load_remote_stylesheets=False,
    keep_style_tags=False,
    keep_link_tags=False,
    keep_at_rules=True,
)


def inline_css(html: str) -> str:
    """``html`` with its <style> rules copied into ``style`` attributes (no network access)."""
    try:
        return _INLINER.inline(html)
    except (css_inline.InlineError, ValueError) as exc:
        raise BrieferError(f"cannot inline the digest's CSS: {exc}") from None


def build_message(
    *,
    subject: str,
    sender: str,
    to: list[str],
    text: str,
    html: str,
    message_id: str | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    """A UTF-8 multipart/alternative message (text/plain, then text/html) ready for SMTP.

    Raises BrieferError for a subject or address that contains a line break or is malformed,
    so a value from a feed or a config file can never add a header.
    """
    _check_header_text("subject", subject)
    if not sender:
        raise BrieferError("no sender address: set smtp.sender or BRIEFER_SMTP_FROM")
    from_address = parse_address(sender, what="sender")
    if not to:
        raise BrieferError("the digest has no recipients (set digest.to or BRIEFER_DIGEST_TO)")
    recipients = [parse_address(item, what="recipient") for item in to]

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = from_address
    message["To"] = recipients
    message["Date"] = format_datetime(_aware(date))
    message["Message-ID"] = _message_id(message_id, from_address.domain)
    # RFC 3834: tells vacation responders and ticket systems not to answer a scheduled digest.
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps both parts 7-bit with short lines, so servers without 8BITMIME
    # and the 998-character line limit are never a problem (inlined HTML has long lines).
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it goes over the wire (CRLF line ends)."""
    return message.as_bytes(policy=SMTP_POLICY)


def parse_address(value: str, *, what: str = "address") -> Address:
    """``user@example.org`` or ``Name <user@example.org>`` as an Address, or BrieferError."""
    _check_header_text(what, value)
    parsed = getaddresses([value])
    if len(parsed) != 1 or not parsed[0][1]:
        raise BrieferError(f"{what} {value!r} is not one email address (use user@example.org)")
    name, address = parsed[0]
    stripped = value.strip()
    # getaddresses() repairs some garbage (it joins "a@exa mple.org"); a repair is a guess.
    if not (stripped.endswith(f"<{address}>") if "<" in stripped else stripped == address):
        raise BrieferError(f"{what} {value!r} is not a valid email address")
    local, at, domain = address.rpartition("@")
    if not at or not _LOCAL.fullmatch(local):
        raise BrieferError(f"{what} {value!r} is not a valid email address")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise BrieferError(f"{what} {value!r} has an invalid domain") from None
    labels = domain.split(".")
    if (len(labels) < 2 and domain != "localhost") or not all(map(_LABEL.fullmatch, labels)):
        raise BrieferError(f"{what} {value!r} has an invalid domain")
    return Address(display_name=name, username=local, domain=domain)


def _check_header_text(what: str, value: str) -> None:
    if not isinstance(value, str):
        raise BrieferError(f"{what} must be text, not {type(value).__name__}")
    for character in value:
        if character in "\r\n" or (
            character != "\t" and unicodedata.category(character) in ("Cc", "Zl", "Zp")
        ):
            raise BrieferError(
                f"{what} {value!r} contains a line break or control character "
                f"(U+{ord(character):04X}); remove it"
            )


def _aware(date: datetime | None) -> datetime:
    if date is None:
        return datetime.now(UTC).replace(microsecond=0)
    # A naive datetime is taken as local time, as datetime itself does.
    return date if date.tzinfo is not None else date.astimezone()


def _message_id(message_id: str | None, domain: str) -> str:
    if message_id is None:
        # An explicit domain: make_msgid() would otherwise look up this host's FQDN (slow DNS,
        # and it leaks the machine's name).
        return make_msgid(domain=domain)
    _check_header_text("message_id", message_id)
    if not _MESSAGE_ID.fullmatch(message_id):
        raise BrieferError(f"message_id {message_id!r} must look like <unique@domain>")
    return message_id
