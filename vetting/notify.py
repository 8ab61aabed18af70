"""Messages to hirers and staff: what one is (`Mail`), and `send_after_commit`, which writes it to
the outbox in the transaction of the change that causes it (vetting/outbox_write.py).

Delivery is the outbox's job (vetting/outbox_delivery.py, through the channels of
vetting/channels/): after the commit, in the service itself or in `venue-hire worker`.
"""

from __future__ import annotations

from typing import Any, Protocol

from vetting.mail import Mail
from vetting.outbox_write import queue_mail

__all__ = ["Mail", "Mailer", "NullMailer", "send_after_commit"]


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
    del mailer
    queue_mail(session, mail)
