"""The shape every channel has (SMTP, the folder outbox, GOV.UK Notify)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from vetting.notify import Mail


class DeliveryFailure(Exception):
    """Why a message was not delivered: a short description without personal data."""


class TemporaryFailure(DeliveryFailure):
    """The server is down, busy or said "try later": the outbox retries with back-off."""


class PermanentFailure(DeliveryFailure):
    """The address or the message is refused for good: the message goes to the dead letters."""


class Channel(Protocol):
    def deliver(self, mail: Mail) -> str | None: ...


Channels = Mapping[str, Channel]
"""By `Mail.channel`: "email", "sms"."""
