"""How a channel says a message did not go: worth trying again later, or never.

The outbox retries a `TemporaryDeliveryFailure` with back-off (the provider was down, busy or
out of reach) and puts a message that met a `PermanentDeliveryFailure` straight on the
dead-letter list (the provider refused it: a bad address, a wrong key or template), since sending
it again would be refused again. Messages name the provider's status and its own words only,
never the recipient: they end up in logs and on the admin page.
"""

from __future__ import annotations


class DeliveryFailure(Exception):
    """A message that did not go; `status` is the provider's answer (an HTTP or SMTP code), if any."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class TemporaryDeliveryFailure(DeliveryFailure):
    """Try again later: the provider failed (5xx), asked us to slow down (429) or was unreachable."""


class PermanentDeliveryFailure(DeliveryFailure):
    """Do not try again: the provider refused the message or our credentials (400, 403, ...)."""
