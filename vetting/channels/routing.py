"""Which channel takes a message: email one way, texts through GOV.UK Notify or not at all.

A council may send email through its own mail server and texts through Notify, or everything
through Notify. Texts need Notify: without it a text is skipped with a log line saying so (the
email about the same event still goes), never an error that would retry or dead-letter it.
"""

from __future__ import annotations

from typing import Protocol

import structlog

from vetting.channels.errors import PermanentDeliveryFailure
from vetting.notify import Mail


class Channel(Protocol):
    """Delivers one message now: the provider's id for it (None where there is none), or raises
    `TemporaryDeliveryFailure` / `PermanentDeliveryFailure` (vetting.channels.errors)."""

    def deliver(self, mail: Mail) -> str | None: ...


class ByKind:
    """Email to `email`; texts to `sms` when there is one, else skipped with a clear log line."""

    def __init__(self, email: Channel, sms: Channel | None = None) -> None:
        self.email = email
        self.sms = sms

    def deliver(self, mail: Mail) -> str | None:
        if mail.channel == "email":
            return self.email.deliver(mail)
        if mail.channel == "sms":
            if self.sms is None:
                # Who it was for stays out of the log; which message and which case say enough.
                structlog.get_logger("venue_hire.mail").info(
                    "sms.skipped",
                    reason="texts are sent only through GOV.UK Notify, which is not set up",
                    template=mail.template,
                    case_id=str(mail.case_id) if mail.case_id else None,
                )
                return None
            return self.sms.deliver(mail)
        raise PermanentDeliveryFailure(f"no channel sends {mail.channel!r} messages")
