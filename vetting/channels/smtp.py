"""Email through an SMTP server."""

from __future__ import annotations

import smtplib

from vetting.channels.base import PermanentFailure, TemporaryFailure
from vetting.channels.mime import email_message
from vetting.notify import Mail


class SmtpChannel:
    def __init__(self, host: str, port: int, sender: str, *, timeout: float = 10.0) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout

    def deliver(self, mail: Mail) -> str | None:
        msg = email_message(mail, self.sender)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _ in exc.recipients.values()})
            raise _by_code(codes[0] if codes else 450, "recipient refused") from None
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, "server refused") from None
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"smtp {type(exc).__name__}") from None
        return str(msg["Message-ID"])


def _by_code(code: int, what: str) -> TemporaryFailure | PermanentFailure:
    # 5xx: the server will never take it; 4xx (and anything odd): try again later.
    if 500 <= code < 600:
        return PermanentFailure(f"smtp {what} {code}")
    return TemporaryFailure(f"smtp {what} {code}")
