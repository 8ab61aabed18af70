"""Channels that carry a message to its recipient: each ``deliver(mail) -> str | None`` returns
the provider's message id (or None), raises `TemporaryFailure` (try again later) or
`PermanentFailure` (never will work: the message goes to the dead letters)."""

from vetting.channels.base import Channel, Channels, PermanentFailure, TemporaryFailure

__all__ = ["Channel", "Channels", "PermanentFailure", "TemporaryFailure"]
