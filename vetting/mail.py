"""What one message is (`Mail`); imported by everyone as ``vetting.notify.Mail``. A module of its
own so that the outbox, which vetting.notify writes through, can name it without a cycle."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Mail:
    """One message to one person. Only ``to``, ``subject`` and ``body`` are needed to send it;
    the rest says what it is, for the case's history, the outbox and the channels."""

    to: str
    subject: str
    body: str
    html: str | None = None  # the same message as HTML, where the channel can carry it
    channel: str = "email"  # "email" or "sms" (an SMS has no subject; ``to`` is the number)
    template: str | None = None  # the message's name (casework/messages), shown in the history
    case_id: uuid.UUID | None = None  # the case it is about, if any: listed on that case
    provider_id: uuid.UUID | None = None  # whose message it is (council or partner)
    audience: str = "hirer"  # "hirer" or "staff": the hirer sees only their own on the status page
    dedupe_key: str | None = None  # a second message with the same key is never sent
    # Set by the outbox when it hands the message to a channel: the Message-ID (and a channel's
    # reference) derive from it, so a resend of the same row is recognisable as such.
    outbox_id: uuid.UUID | None = None
