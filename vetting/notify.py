"""Messages to hirers and staff: what one is (`Mail`), and `send_after_commit`, which writes it to
the outbox in the transaction of the change that causes it (vetting/outbox_write.py).

Delivery is the outbox's job (vetting/outbox_delivery.py, through the channels of
vetting/channels/): after the commit, in the service itself or in `venue-hire worker`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Protocol


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


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


class NullMailer:
    """What use cases are given where a mailer used to be: delivery now goes through the outbox,
    and `send_after_commit` no longer uses its mailer argument."""

    def send(self, mail: Mail) -> None:
        return None


def send_after_commit(session: Any, mailer: Mailer | None, mail: Mail) -> None:
    """Write `mail` to the outbox in this session's transaction: it exists once the change
    commits, and never if it rolls back; a ``dedupe_key`` already in the outbox writes nothing.

    After the commit the deliverers of this process are woken at once (vetting/outbox_write.py).
    `mailer` is kept for the callers' signature; it is not used."""
    from vetting.outbox_write import queue_mail

    del mailer
    queue_mail(session, mail)
