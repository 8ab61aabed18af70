"""The messages the case sends to hirers and officers, and sending them once the change is
committed (`send_after_commit`: a rolled-back change sends nothing).

Each message has a name (casework/message_catalogue.py), its wording in template files
(casework/message_templates/, plain text and HTML) and a council's optional own words
(casework/message_wording.py). Every message to a hirer names the booking, says what happens
next and carries a fresh private link to the status page, minted here (vetting/status_links.py);
every message to staff links to the case. Links use the organisation's own address
(`Provider.base_url`) when it has one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import bindparam, select, text

from casework.date_change_words import DateChange, Reason, change_text
from casework.deps import CaseDeps, utcnow
from casework.message_catalogue import BY_NAME
from casework.message_language import ENGLISH, date_range, gettext, language_of, long_date
from casework.message_wording import (
    DEFAULT_ORGANISATION,
    DEFAULTS,
    MESSAGE_NAMES,
    Message,
    compose,
    template_problem,
    word,
)
from policies.welsh import condition_words
from vetting import direct_sql
from vetting.models import VettingCase
from vetting.notify import Mail, send_after_commit
from vetting.phone import sms_number
from vetting.policy_store import policy_version
from vetting.providers import Provider
from vetting.status_links import mint

__all__ = [
    "DEFAULTS",
    "DEFAULT_ORGANISATION",
    "MESSAGE_NAMES",
    "Message",
    "Sender",
    "base_url_for",
    "compose",
    "mail_hirer",
    "mail_staff",
    "officer_emails",
    "sender_of",
    "template_problem",
    "word",
]

MAX_DATES = 6  # a long series is summed up after this many dates


def submitted(
    reference: str,
    room: str,
    venue: str,
    target: dt.date,
    status_url: str,
    dates: str = "",
    language: str = ENGLISH,
) -> Message:
    return Message(
        "submitted",
        {
            "reference": reference,
            "room": room,
            "venue": venue,
            "dates": dates,
            "target": long_date(target, language),
            "status_url": status_url,
        },
    )


def referral(reference: str, case_url: str = "") -> Message:
    # case_url is filled in by mail_staff
    fields = {"reference": reference} | ({"case_url": case_url} if case_url else {})
    return Message("referral", fields)


def information_requested(reference: str, request: str) -> Message:
    return Message("information_requested", {"reference": reference, "request": request})


def document_rejected(reference: str, document: str, note: str) -> Message:
    return Message("document_rejected", {"reference": reference, "document": document, "note": note})


def document_expiring(reference: str, document: str, expires: str, last_date: str, *, staff: bool) -> Message:
    name = "alert_document_expiring" if staff else "document_expiring"
    return Message(
        name, {"reference": reference, "document": document, "expires": expires, "last_date": last_date}
    )


def information_received(reference: str) -> Message:
    return Message("information_received", {"reference": reference})


def approved(reference: str, conditions: list[dict[str, Any]]) -> Message:
    if not conditions:
        return Message("approved", {"reference": reference})
    listed = "\n".join(f"- {c['text']}" for c in conditions)
    return Message("approved_with_conditions", {"reference": reference, "conditions": listed})


async def hirer_conditions(
    deps: CaseDeps, case: VettingCase, conditions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Conditions as the hirer reads them: in a Welsh case, the policy's Welsh for the policy's
    own wording (policies/welsh.py); words an officer wrote stay as written."""
    if language_of(case.language) == ENGLISH:
        return conditions
    policy = await policy_version(deps.session, case.policy_id, case.policy_version)
    return [
        c | {"text": condition_words(policy, c.get("code"), str(c.get("text") or ""), case.language)}
        for c in conditions
    ]


def conditions_accepted(reference: str) -> Message:
    return Message("conditions_accepted", {"reference": reference})


def refused(
    reference: str, reason: str, appeal_until: dt.date | None = None, language: str = ENGLISH
) -> Message:
    fields = {"reference": reference, "reason": reason}
    if appeal_until is not None:
        fields["appeal_until"] = long_date(appeal_until, language)
    return Message("refused", fields)


def cancelled(reference: str, reason: str) -> Message:
    return Message("cancelled", {"reference": reference, "reason": reason})


def withdrawn(reference: str) -> Message:
    return Message("withdrawn", {"reference": reference})


def appeal_lodged(reference: str) -> Message:
    return Message("appeal_lodged", {"reference": reference})


def appeal_decided(
    reference: str, outcome: str, reasons: str, conditions: list[dict[str, Any]] | None = None
) -> Message:
    """`outcome` is the appeal's (reapproved, varied, upheld for a fresh review, dismissed);
    `conditions` are those the hirer is to accept when the appeal approves with conditions."""
    listed = "\n".join(f"- {c['text']}" for c in conditions or [])
    return Message(
        "appeal_decided",
        {"reference": reference, "outcome": outcome, "reasons": reasons, "conditions": listed},
    )


def date_changed(
    reference: str, changes: Sequence[DateChange], reason: Reason | None = None, language: str = ENGLISH
) -> Message:
    """The dates changed and why, worded in the case's language (casework/date_change_words.py)."""
    return Message("date_changed", {"reference": reference, "change": change_text(changes, reason, language)})


def link_recovery(reference: str) -> Message:
    return Message("link_recovery", {"reference": reference})


_SENDERS = "casework.messages.senders"
# Only what a sender needs, built once: `session.get` of the whole row built and keyed its
# statement on every call, about 2% of a booking POST's CPU (bench/submit_cpu.py).
_SENDER_ROW = select(Provider.name, Provider.base_url, Provider.message_templates).where(
    Provider.id == bindparam("provider_id")
)


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
    provider = None
    if provider_id is not None:
        found = await direct_sql.rows(deps.session, _SENDER_ROW, {"provider_id": provider_id})
        provider = found[0] if found else None
    if provider is None:
        sender = Sender(DEFAULT_ORGANISATION, deps.base_url, {})
    else:
        base = (provider.base_url or deps.base_url).rstrip("/")
        sender = Sender(provider.name, base, provider.message_templates or {})
    known[provider_id] = sender
    return sender


async def base_url_for(deps: CaseDeps, provider_id: UUID | None) -> str:
    return (await sender_of(deps, provider_id)).base_url


def dates_text(occurrences: Sequence[Any], language: str = ENGLISH) -> str:
    """Dates as messages list them, one a line (a planned series has no status yet)."""
    cancelled = " " + gettext("(cancelled)", language)
    shown = [
        date_range(o.local_start, o.local_end, language)
        + (cancelled if getattr(o, "status", None) == "cancelled" else "")
        for o in occurrences[:MAX_DATES]
    ]
    if len(occurrences) > MAX_DATES:
        shown.append(gettext("and %(count)s more dates", language) % {"count": len(occurrences) - MAX_DATES})
    return "\n".join(shown)


async def booking_fields(deps: CaseDeps, case: VettingCase) -> dict[str, str]:
    """The room, venue and dates of the case's booking, as messages name them (read each time:
    a date cancelled earlier in the same request must show as cancelled)."""
    booking = await deps.bookings.booking_for_case(case.id)
    room, venue = await deps.bookings.room_and_venue(booking.room_id)
    occurrences = await deps.bookings.occurrences(booking.id)
    return {"room": room.name, "venue": venue.name, "dates": dates_text(occurrences, case.language)}


def _hirer_address(case: VettingCase, channel: str) -> str | None:
    # A text goes only to a contact who agreed to texts and gave a mobile number (vetting.phone);
    # an email to the contact's address.
    if channel == "sms":
        return sms_number(case.contact)
    value = case.contact.get("email")
    return str(value) if value else None


async def mail_hirer(
    deps: CaseDeps,
    case: VettingCase,
    message: Message,
    *,
    channel: str = "email",
    dedupe_key: str | None = None,
) -> None:
    """Send `message` to the case's contact, once the change commits (never if it rolls back).

    It carries a fresh private link to the status page (written in the same transaction), unless
    the message already has one (``status_url``: the first mail shows the link of the "Request
    sent" page). The room, venue and dates are filled in from the booking when not given.
    A second message with the same `dedupe_key` is never sent: scheduled work that may run twice
    (two workers, a restart) gives each of its messages a key of what it is about."""
    to = _hirer_address(case, channel)
    if not to:
        return
    sender = await sender_of(deps, case.provider_id)
    fields: dict[str, str] = {"organisation": sender.organisation, "reference": case.reference}
    contact_name = case.contact.get("name")
    if contact_name:
        fields["contact_name"] = str(contact_name)
    if not ("room" in message.fields and "venue" in message.fields):
        fields |= await booking_fields(deps, case)
    fields |= message.fields
    if not fields.get("status_url"):
        token = mint(deps.session, case.id, utcnow())
        fields["status_url"] = f"{sender.base_url}/status/{token}"
    # In the language the request was made in (the case keeps it).
    rendered = compose(Message(message.name, fields), sender.templates, language_of(case.language))
    if channel == "sms":
        body, html = f"{rendered.subject}\n{fields['status_url']}", None
    else:
        body, html = rendered.text, rendered.html
    mail = Mail(
        to=to,
        subject=rendered.subject,
        body=body,
        html=html,
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

    ``case_url`` is filled in with the link to the case at the case's own organisation (not for
    a message about several cases, such as a digest, whose items carry their own links)."""
    sender = await sender_of(deps, case.provider_id)
    fields = {"organisation": sender.organisation, "reference": case.reference}
    kind = BY_NAME.get(message.name)
    if kind is None or kind.per_case:
        fields["case_url"] = f"{sender.base_url}/officer/cases/{case.id}"
    rendered = compose(Message(message.name, fields | message.fields), sender.templates)
    for email in recipients:
        mail = Mail(
            to=email,
            subject=rendered.subject,
            body=rendered.text,
            html=rendered.html,
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
