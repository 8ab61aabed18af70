"""A `Mailer` (``send``) over a channel (``deliver``): each message delivered by a background thread.

What the service sends through until the outbox (issue 16) calls the channels itself: a failure is
logged, by its kind only, and the change that caused the message stands.
"""

from __future__ import annotations

from vetting.channels.routing import Channel
from vetting.notify import Mail, _BackgroundMailer


class ChannelMailer(_BackgroundMailer):
    thread_name = "channel-mailer"

    def __init__(self, channel: Channel) -> None:
        super().__init__()
        self.channel = channel

    def deliver(self, mail: Mail) -> None:
        self.channel.deliver(mail)
