"""The texts the case sends to hirers and officers, and sending them once the change is committed
(`send_after_commit`: a rolled-back change sends nothing).

Each message has a name and default subject and body with ``{placeholders}``. A council or
partner may word any of them its own way (`Provider.message_templates`, by name: ``{"subject":
..., "body": ...}``); a part it leaves out, or one that cannot be filled in (an unknown or
malformed placeholder), falls back to the default text, so a template never stops a message.
Links in messages use the organisation's own address (`Provider.base_url`) when it has one.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import bindparam, text

from casework.deps import CaseDeps
from vetting.models import VettingCase
from vetting.notify import Mail, send_after_commit
from vetting.providers import Provider

# name -> (subject, body, the placeholders it may use)
DEFAULTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "submitted": (
        "We have your booking request {reference}",
        "Thank you. Your request {reference} for {room}, {venue} is with {organisation}. "
        "We aim to decide by {target}.\n\nFollow it here: {status_url}\n",
        ("reference", "room", "venue", "organisation", "target", "status_url"),
    ),
    "referral": (
        "Screening referral on {reference}",
        "A name on request {reference} resembles an entry on the flagged list. Review it: {case_url}\n",
        ("reference", "case_url"),
    ),
    "information_requested": (
        "More information needed for {reference}",
        "{organisation} needs more information before deciding:\n\n{request}\n",
        ("reference", "organisation", "request"),
    ),
    "approved": (
        "Decision on {reference}",
        "Your booking is approved.\n",
        ("reference", "organisation"),
    ),
    "approved_with_conditions": (
        "Decision on {reference}",
        "Your booking is approved. It has conditions you need to accept before it is confirmed:\n\n"
        "{conditions}\n",
        ("reference", "organisation", "conditions"),
    ),
    "refused": (
        "Decision on {reference}",
        "Your request has been refused.\n\nReason: {reason}\n\nYou may appeal through your status page.\n",
        ("reference", "organisation", "reason"),
    ),
    "cancelled": (
        "Booking {reference} cancelled",
        "{organisation} cancelled the booking.\n\nReason: {reason}\n",
        ("reference", "organisation", "reason"),
    ),
    "appeal_decided": (
        "Appeal decision on {reference}",
        "Your appeal was {outcome}.\n\n{reasons}\n",
        ("reference", "organisation", "outcome", "reasons"),
    ),
}
MESSAGE_NAMES = tuple(DEFAULTS)
DEFAULT_ORGANISATION = "the council"


@dataclass(frozen=True)
class Message:
    """A message by name and the values of its placeholders; worded when it is sent."""

    name: str
    fields: dict[str, str] = field(default_factory=dict)


class _PlainFormatter(string.Formatter):
    """Fills in ``{name}`` only: no attribute or index look-ups, no conversions or formats, so
    a template an administrator typed cannot reach into the values' objects."""

    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.allowed = allowed

    def get_field(self, field_name: str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if field_name not in self.allowed:
            raise KeyError(field_name)
        return kwargs[field_name], field_name

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion:
            raise ValueError("conversions are not allowed")
        return value

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec:
            raise ValueError("formats are not allowed")
        return str(value)


def _fill(template: str, name: str, values: Mapping[str, str]) -> str:
    return _PlainFormatter(DEFAULTS[name][2]).vformat(template, (), dict(values))


def template_problem(name: str, template: str) -> str | None:
    """Why a council's text for message `name` cannot be used, or None when it can."""
    if name not in DEFAULTS:
        return f"unknown message {name!r}; known: {', '.join(MESSAGE_NAMES)}"
    try:
        _fill(template, name, dict.fromkeys(DEFAULTS[name][2], "x"))
    except (KeyError, ValueError, IndexError) as exc:
        allowed = ", ".join("{" + p + "}" for p in DEFAULTS[name][2])
        return f"cannot be filled in ({exc}); the placeholders it may use are {allowed}"
    return None


def word(message: Message, templates: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """Subject and body of `message` in the organisation's words, else the default ones."""
    default_subject, default_body, placeholders = DEFAULTS[message.name]
    values = dict.fromkeys(placeholders, "") | {"organisation": DEFAULT_ORGANISATION} | message.fields
    own = (templates or {}).get(message.name)
    own = own if isinstance(own, dict) else {}
    out: list[str] = []
    for part, default in (("subject", default_subject), ("body", default_body)):
        chosen = own.get(part)
        worded: str | None = None
        if isinstance(chosen, str) and chosen.strip():
            try:
                worded = _fill(chosen, message.name, values)
            except (KeyError, ValueError, IndexError):
                worded = None  # a template that cannot be filled in: the default text instead
        out.append(worded if worded is not None else _fill(default, message.name, values))
    subject = " ".join(out[0].split())  # a subject is one line, whatever was typed
    return subject, out[1]


def submitted(reference: str, room: str, venue: str, target: dt.date, status_url: str) -> Message:
    return Message(
        "submitted",
        {
            "reference": reference,
            "room": room,
            "venue": venue,
            "target": f"{target:%A %d %B %Y}",
            "status_url": status_url,
        },
    )


def referral(reference: str, case_url: str = "") -> Message:
    # case_url is filled in by mail_staff
    fields = {"reference": reference} | ({"case_url": case_url} if case_url else {})
    return Message("referral", fields)


def information_requested(reference: str, request: str) -> Message:
    return Message("information_requested", {"reference": reference, "request": request})


def approved(reference: str, conditions: list[dict[str, Any]]) -> Message:
    if not conditions:
        return Message("approved", {"reference": reference})
    listed = "\n".join(f"- {c['text']}" for c in conditions)
    return Message("approved_with_conditions", {"reference": reference, "conditions": listed})


def refused(reference: str, reason: str) -> Message:
    return Message("refused", {"reference": reference, "reason": reason})


def cancelled(reference: str, reason: str) -> Message:
    return Message("cancelled", {"reference": reference, "reason": reason})


def appeal_decided(reference: str, outcome: str, reasons: str) -> Message:
    return Message("appeal_decided", {"reference": reference, "outcome": outcome, "reasons": reasons})


_SENDERS = "casework.messages.senders"


@dataclass(frozen=True)
class Sender:
    """Whose name, address and wording a case's messages carry."""

    organisation: str
    base_url: str
    templates: Mapping[str, Any]


async def sender_of(deps: CaseDeps, provider_id: UUID | None) -> Sender:
    """The case's council or partner: its name, its own host name if it has one, its texts.

    Kept for the rest of the session's work: a booking request words its link, its mail and the
    officers' mail from the same organisation, and reading it each time cost a query each."""
    known: dict[UUID | None, Sender] = deps.session.info.setdefault(_SENDERS, {})
    if provider_id in known:
        return known[provider_id]
    provider = await deps.session.get(Provider, provider_id) if provider_id is not None else None
    if provider is None:
        sender = Sender(DEFAULT_ORGANISATION, deps.base_url, {})
    else:
        base = (provider.base_url or deps.base_url).rstrip("/")
        sender = Sender(provider.name, base, provider.message_templates or {})
    known[provider_id] = sender
    return sender


async def base_url_for(deps: CaseDeps, provider_id: UUID | None) -> str:
    return (await sender_of(deps, provider_id)).base_url


async def mail_hirer(
    deps: CaseDeps,
    case: VettingCase,
    message: Message,
    *,
    channel: str = "email",
    dedupe_key: str | None = None,
) -> None:
    """Send `message` to the case's contact, once the change commits (never if it rolls back).

    A second message with the same `dedupe_key` is never sent: scheduled work that may run twice
    (two workers, a restart) gives each of its messages a key of what it is about."""
    # A text message goes to the hirer's mobile number; everything else to their email address.
    email = case.contact.get("phone") if channel == "sms" else case.contact.get("email")
    if email:
        sender = await sender_of(deps, case.provider_id)
        filled = Message(message.name, {"organisation": sender.organisation} | message.fields)
        subject, body = word(filled, sender.templates)
        mail = Mail(
            to=str(email),
            subject=subject,
            body=body,
            channel=channel,
            template=message.name,
            case_id=case.id,
            provider_id=case.provider_id,
            audience="hirer",
            dedupe_key=dedupe_key,
        )
        send_after_commit(deps.session, deps.mailer, mail)


async def mail_staff(
    deps: CaseDeps,
    case: VettingCase,
    recipients: Sequence[str],
    message: Message,
    *,
    dedupe_key: str | None = None,
) -> None:
    """Send `message` about `case` to each staff address in `recipients` (after the commit).

    ``case_url`` is filled in with the link to the case at the case's own organisation."""
    sender = await sender_of(deps, case.provider_id)
    fields = {"organisation": sender.organisation, "case_url": f"{sender.base_url}/officer/cases/{case.id}"}
    subject, body = word(Message(message.name, fields | message.fields), sender.templates)
    for email in recipients:
        mail = Mail(
            to=email,
            subject=subject,
            body=body,
            template=message.name,
            case_id=case.id,
            provider_id=case.provider_id,
            audience="staff",
            dedupe_key=f"{dedupe_key}:{email}" if dedupe_key else None,
        )
        send_after_commit(deps.session, deps.mailer, mail)


async def officer_emails(deps: CaseDeps, case: VettingCase) -> list[str]:
    """The active officers and administrators of the council or partner whose case it is."""
    # Plain SQL: the users table belongs to the api package, which casework must not import.
    officers = text(
        "SELECT email FROM app_user WHERE role IN ('officer', 'admin') AND active = :active"
        " AND provider_id = :provider"
    ).bindparams(bindparam("provider", type_=GUID))
    rows = await deps.session.execute(officers, {"active": True, "provider": case.provider_id})
    return [email for (email,) in rows]


async def notify_officers_of_referral(deps: CaseDeps, case: VettingCase) -> None:
    await mail_staff(deps, case, await officer_emails(deps, case), referral(case.reference, ""))
