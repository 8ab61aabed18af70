"""Fixtures of the message tests: a real SMTP server on loopback (tests/messages/mail_capture.py)."""

from tests.messages.mail_capture import smtp

__all__ = ["smtp"]
