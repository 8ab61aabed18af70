"""How the tests' SMTP servers read what they receive.

Messages leave as multipart/alternative (plain text and HTML) when they have an HTML part; a
test reading ``get_content()`` means the plain text a reader sees first, so that is what it
gets for such a message. ``get_body(("html",))`` still reaches the HTML."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


class ReceivedMail(EmailMessage):
    def get_content(self, *args: Any, **kw: Any) -> Any:
        if self.is_multipart() and not args and not kw:
            plain = self.get_body(preferencelist=("plain",))
            if plain is not None:
                return plain.get_content()
        return super().get_content(*args, **kw)


RECEIVED = policy.default.clone(message_factory=ReceivedMail)


def parse(data: bytes) -> ReceivedMail:
    message = message_from_bytes(data, policy=RECEIVED)
    assert isinstance(message, ReceivedMail)
    return message
