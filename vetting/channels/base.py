"""The shape every channel has (SMTP, the folder outbox, GOV.UK Notify)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from vetting.channels.errors import DeliveryFailure, PermanentDeliveryFailure, TemporaryDeliveryFailure
from vetting.notify import Mail

__all__ = ["Channel", "Channels", "DeliveryFailure", "PermanentFailure", "TemporaryFailure"]


# One set of failure classes for every channel (vetting/channels/errors.py); the outbox's names
# for them are kept as aliases.
TemporaryFailure = TemporaryDeliveryFailure
PermanentFailure = PermanentDeliveryFailure


class Channel(Protocol):
    def deliver(self, mail: Mail) -> str | None: ...


Channels = Mapping[str, Channel]
"""By `Mail.channel`: "email", "sms"."""
