"""The email form of a message, with a Message-ID derived from its outbox row."""

from __future__ import annotations

import datetime as dt
import uuid
from email.charset import QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from vetting.notify import Mail

_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP  # readable in the outbox, unlike base64


def message_id(mail: Mail, sender: str) -> str:
    """The same row always gets the same Message-ID, so a resend is recognisable as one."""
    domain = sender.rpartition("@")[2] or "venue-hire"
    ident = mail.outbox_id.hex if mail.outbox_id is not None else uuid.uuid4().hex
    return f"<outbox-{ident}@{domain}>"


def _text(content: str, subtype: str) -> MIMEText:
    charset = "us-ascii" if content.isascii() else _UTF8_QP
    return MIMEText(content, subtype, charset)  # type: ignore[arg-type]  # typeshed wants a str; email accepts a Charset


def email_message(mail: Mail, sender: str) -> MIMEText | MIMEMultipart:
    # The compat32 classes, not EmailMessage: its header registry parsed every header again and
    # cost six times as much, which bench/loadtest.py saw on every booking request.
    msg: MIMEText | MIMEMultipart
    if mail.html:
        msg = MIMEMultipart("alternative")
        msg.attach(_text(mail.body, "plain"))
        msg.attach(_text(mail.html, "html"))
    else:
        msg = _text(mail.body, "plain")
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject if mail.subject.isascii() else Header(mail.subject, "utf-8")  # type: ignore[assignment]  # email accepts a Header
    msg["Date"] = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    msg["Message-ID"] = message_id(mail, sender)
    return msg
