"""The texts the case sends to hirers and officers, and sending them once the change is committed
(`send_after_commit`: a rolled-back change sends nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from advanced_alchemy.types import GUID
from sqlalchemy import bindparam, text

from casework.deps import CaseDeps
from vetting.models import VettingCase
from vetting.notify import Mail, send_after_commit


def submitted(reference: str, room: str, venue: str, target: dt.date, status_url: str) -> tuple[str, str]:
    return (
        f"We have your booking request {reference}",
        f"Thank you. Your request {reference} for {room}, {venue} is with the "
        f"council. We aim to decide by {target:%A %d %B %Y}.\n\n"
        f"Follow it here: {status_url}\n",
    )


def referral(reference: str, case_url: str) -> tuple[str, str]:
    return (
        f"Screening referral on {reference}",
        f"A name on request {reference} resembles an entry on the flagged list. Review it: {case_url}\n",
    )


def information_requested(reference: str, request: str) -> tuple[str, str]:
    return (
        f"More information needed for {reference}",
        f"The council needs more information before deciding:\n\n{request}\n",
    )


def approved(reference: str, conditions: list[dict[str, Any]]) -> tuple[str, str]:
    body = "Your booking is approved."
    if conditions:
        body += " It has conditions you need to accept before it is confirmed:\n\n" + "\n".join(
            f"- {c['text']}" for c in conditions
        )
    return f"Decision on {reference}", body + "\n"


def refused(reference: str, reason: str) -> tuple[str, str]:
    return (
        f"Decision on {reference}",
        f"Your request has been refused.\n\nReason: {reason}\n\nYou may appeal through your status page.\n",
    )


def cancelled(reference: str, reason: str) -> tuple[str, str]:
    return f"Booking {reference} cancelled", f"The council cancelled the booking.\n\nReason: {reason}\n"


def appeal_decided(reference: str, outcome: str, reasons: str) -> tuple[str, str]:
    return f"Appeal decision on {reference}", f"Your appeal was {outcome}.\n\n{reasons}\n"


def mail_hirer(deps: CaseDeps, case: VettingCase, message: tuple[str, str]) -> None:
    email = case.contact.get("email")
    if email:
        subject, body = message
        send_after_commit(deps.session, deps.mailer, Mail(to=str(email), subject=subject, body=body))


async def notify_officers_of_referral(deps: CaseDeps, case: VettingCase) -> None:
    # Plain SQL: the users table belongs to the api package, which casework must not import.
    # The officers of the council or partner whose case it is, and no one else's.
    officers = text(
        "SELECT email FROM app_user WHERE role IN ('officer', 'admin') AND active = :active"
        " AND provider_id = :provider"
    ).bindparams(bindparam("provider", type_=GUID))
    rows = await deps.session.execute(officers, {"active": True, "provider": case.provider_id})
    subject, body = referral(case.reference, f"{deps.base_url}/officer/cases/{case.id}")
    for (email,) in rows:
        send_after_commit(deps.session, deps.mailer, Mail(to=email, subject=subject, body=body))
