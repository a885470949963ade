"""Sending digests by email: composed, reserved, sent, confirmed; unconfirmed ones re-sent
(the delivery protocol of ``briefer.digest.state.digests``)."""

from __future__ import annotations

import email
import logging
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import make_msgid

from briefer.config import SmtpSettings
from briefer.deliver.mail import build_message, message_bytes, parse_address
from briefer.deliver.smtp import SmtpPermanentError, send_message
from briefer.digest.render import Rendered
from briefer.digest.request import SendMail, WriteEml
from briefer.digest.state import State
from briefer.errors import BrieferError

log = logging.getLogger(__name__)


def compose(
    mail: SendMail | WriteEml, subject: str, rendered: Rendered, now: datetime, count: int
) -> EmailMessage:
    """The digest's message: dated subject with the article count, both parts, a Message-ID."""
    domain = parse_address(mail.sender, what="sender").domain
    return build_message(
        subject=f"{subject} \u2014 {now:%Y-%m-%d} ({count} article{'s' if count != 1 else ''})",
        sender=mail.sender,
        to=list(mail.recipients),
        text=rendered.text,
        html=rendered.html,
        message_id=make_msgid(idstring="digest", domain=domain),
        date=now,
    )


def send_reserved(
    state: State,
    smtp: SmtpSettings,
    message: EmailMessage,
    recipients: Sequence[str],
    item_ids: Sequence[str],
) -> None:
    """Reserve (pending), send, confirm. A permanent refusal releases the items; anything
    else leaves the digest pending, to be re-sent with the same Message-ID next run."""
    digest_id = state.reserve_digest(
        message_id=str(message["Message-ID"]),
        mode="smtp",
        recipients=recipients,
        subject=str(message["Subject"]),
        message=message_bytes(message),
        item_ids=item_ids,
    )
    state.note_attempt(digest_id)
    try:
        send_message(message, smtp)
    except SmtpPermanentError:
        state.release_digest(digest_id)
        raise
    except BrieferError as exc:
        raise BrieferError(
            f"{exc} -- the digest is kept and will be re-sent with the same Message-ID "
            "by the next 'briefer digest --send'",
            exit_code=exc.exit_code,
        ) from None
    state.confirm_digest(digest_id)


def flush_pending(state: State, smtp: SmtpSettings) -> list[str]:
    """Re-send digests recorded as pending by an interrupted run, byte for byte."""
    resent = []
    for record in state.pending_digests():
        if record.mode != "smtp" or record.message is None:
            continue
        parsed = email.message_from_bytes(record.message, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        log.info("re-sending unconfirmed digest %s", record.message_id)
        state.note_attempt(record.digest_id)
        try:
            send_message(parsed, smtp)
        except SmtpPermanentError:
            state.release_digest(record.digest_id)
            raise
        state.confirm_digest(record.digest_id)
        resent.append(record.message_id)
    return resent
