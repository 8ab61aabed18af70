"""The channels the settings choose: email by SMTP, GOV.UK Notify or a folder; texts by Notify.

`make_channel` gives one object with ``deliver(mail) -> str | None`` that takes both kinds of
message; a text when Notify is not set up is skipped with a log line (vetting.channels.routing).
"""

from __future__ import annotations

from api.settings import Settings, channel_problem, notify_key
from vetting.channels.folder import FolderChannel
from vetting.channels.notify import NotifyChannel
from vetting.channels.routing import ByKind, Channel
from vetting.channels.smtp import SmtpChannel


def email_kind(settings: Settings) -> str:
    """smtp, notify or folder: as set, else SMTP when a mail server is named, else the folder."""
    return settings.mail_channel or ("smtp" if settings.smtp_host else "folder")


def notify_channel(settings: Settings) -> NotifyChannel | None:
    key = notify_key(settings)
    if not key:
        return None
    return NotifyChannel(
        key,
        email_template_id=settings.notify_email_template_id,
        sms_template_id=settings.notify_sms_template_id,
        base_url=settings.notify_base_url,
    )


def make_channel(settings: Settings) -> ByKind:
    # Settings copied with model_copy(update=...) skip their validators: check again here.
    problem = channel_problem(settings)
    if problem:
        raise ValueError(problem)
    notify = notify_channel(settings)
    kind = email_kind(settings)
    email: Channel
    if kind == "notify":
        assert notify is not None  # channel_problem refused notify without a key
        email = notify
    elif kind == "smtp":
        assert settings.smtp_host
        email = SmtpChannel(settings.smtp_host, settings.smtp_port, settings.mail_from)
    else:
        email = FolderChannel(settings.outbox_dir, settings.mail_from)
    texts = notify if notify is not None and notify.sends_texts else None
    return ByKind(email, texts)
