"""Each member of staff's choice per kind of alert (immediately, in a daily digest, or not at
all) and the time of their digest, in UK local time.

No row means "immediately" and a digest at 08:00. Screening referrals and refusals waiting for a
countersignature cannot be turned off: someone must act on them, and the service refuses the
choice whatever page or client asks for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from casework.alert_models import AlertDigestTime, AlertPreference
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid

IMMEDIATELY, DIGEST, OFF = "immediately", "digest", "off"
DELIVERIES = (IMMEDIATELY, DIGEST, OFF)
DEFAULT_DIGEST_AT = dt.time(8, 0)

# Alert kinds are the names of the messages they send; in the order the page lists them.
KINDS: dict[str, str] = {
    "alert_new_request": "A new booking request to decide",
    "alert_information_received": "A hirer answers a request for information",
    "referral": "A screening referral to resolve",
    "alert_countersignature": "A refusal waiting for a second officer's countersignature",
    "alert_appeal_lodged": "An appeal against a refusal",
    "alert_decision_due": "A decision falling due within two working days",
    "reminder_decision_date": "A decision due today",
    "alert_booking_changed": "A booking at your venue cancelled or moved",
    "alert_document_expiring": "A hirer's insurance or DBS confirmation expiring before their booking ends",
}
MANDATORY = frozenset({"referral", "alert_countersignature"})


@dataclass(frozen=True)
class AlertSettings:
    choices: dict[str, str]  # every kind, with its delivery
    digest_at: dt.time


def effective_delivery(kind: str, chosen: str | None) -> str:
    """What a stored choice means: none is "immediately"; "off" never holds for a mandatory kind."""
    if chosen not in DELIVERIES:
        return IMMEDIATELY
    if chosen == OFF and kind in MANDATORY:
        return IMMEDIATELY
    return chosen


async def alert_settings(session: AsyncSession, user_id: UUID) -> AlertSettings:
    rows = await session.execute(
        select(AlertPreference.kind, AlertPreference.delivery).where(AlertPreference.user_id == user_id)
    )
    stored = dict(rows.tuples().all())
    digest_at = (
        await session.execute(select(AlertDigestTime.digest_at).where(AlertDigestTime.user_id == user_id))
    ).scalar_one_or_none()
    return AlertSettings(
        {kind: effective_delivery(kind, stored.get(kind)) for kind in KINDS}, digest_at or DEFAULT_DIGEST_AT
    )


def parse_digest_time(raw: str) -> dt.time:
    """A digest time as typed on the page ("08:00", "8:30"); Invalid otherwise."""
    try:
        hours, minutes = (int(part) for part in raw.strip().split(":"))
        return dt.time(hours, minutes)
    except ValueError:
        raise Invalid(
            "the digest time is not valid", {"digest_at": "Enter a time such as 08:00 (24-hour clock)"}
        ) from None


async def save_alert_settings(
    session: AsyncSession, actor: Actor, choices: Mapping[str, str], digest_at: dt.time
) -> AlertSettings:
    """The signed-in member of staff's own choices; kinds left out keep "immediately"."""
    if not actor.is_staff or actor.id is None:
        raise Forbidden("only staff choose alerts")
    errors: dict[str, str] = {}
    for kind, delivery in choices.items():
        if kind not in KINDS:
            errors[kind] = "is not an alert"
        elif delivery not in DELIVERIES:
            errors[kind] = "choose immediately, in the daily digest, or off"
        elif delivery == OFF and kind in MANDATORY:
            errors[kind] = "cannot be turned off: someone has to act on it"
    if errors:
        raise Invalid("some alert choices are not valid", errors)
    await session.execute(delete(AlertPreference).where(AlertPreference.user_id == actor.id))
    session.add_all(
        AlertPreference(user_id=actor.id, provider_id=actor.provider_id, kind=kind, delivery=delivery)
        for kind, delivery in choices.items()
        if delivery != IMMEDIATELY
    )
    existing = (
        await session.execute(select(AlertDigestTime).where(AlertDigestTime.user_id == actor.id))
    ).scalar_one_or_none()
    if existing is None:
        session.add(AlertDigestTime(user_id=actor.id, provider_id=actor.provider_id, digest_at=digest_at))
    else:
        existing.digest_at = digest_at
    await session.flush()
    return await alert_settings(session, actor.id)
