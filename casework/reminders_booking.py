"""Scheduled job: remind hirers of each booked date a set number of days before it (the policy's
``reminders.booking_days_before``), with the booking's conditions of hire and the venue's access
instructions; by text message as well where the hirer gave a mobile number and agreed.

Planned in a handful of statements whatever the number of bookings (bench/reminders.py): the
policies in use, the dates due with their case, room and venue, the claim of every reminder's
key, and the conditions of the cases reminded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select

from casework.deps import CaseDeps
from casework.message_language import clock, gettext, long_date
from casework.messages import Message, mail_hirer
from casework.notice_claims import claim
from casework.staff_alerts import policy_of
from policies.model import Policy
from policies.welsh import condition_words
from venues.models import Booking, Occurrence, Room, Venue
from vetting.lifecycle import CaseStatus
from vetting.models import Decision, VettingCase

UK = ZoneInfo("Europe/London")
_CHUNK = 500


def N_(message: str) -> str:
    """Marks a msgid for extraction; worded in the case's language by `gettext`."""
    return message


NO_CONDITIONS = N_("No conditions beyond the venue's standard conditions of hire.")


@dataclass(frozen=True)
class DueDate:
    """One booked date, as much of it as a reminder needs."""

    id: UUID
    start_utc: dt.datetime
    local_start: dt.datetime
    local_end: dt.datetime


@dataclass(frozen=True)
class VenueFacts:
    name: str
    access_instructions: str | None
    contact_email: str | None
    contact_phone: str | None


@dataclass(frozen=True)
class DueReminder:
    key: str
    case: VettingCase
    occurrence: DueDate
    room: str
    venue: VenueFacts


def reminder_key(occurrence_id: UUID, start_utc: dt.datetime) -> str:
    # A moved date is a new date: its reminder is due again.
    return f"reminder_booking:{occurrence_id}:{start_utc.astimezone(dt.UTC):%Y%m%dT%H%M}"


async def _longest_notice(deps: CaseDeps) -> int:
    """The most days before a date that any policy in use reminds hirers."""
    versions = await deps.session.execute(
        select(VettingCase.policy_id, VettingCase.policy_version)
        .where(VettingCase.status == CaseStatus.CONFIRMED.value)
        .distinct()
    )
    longest = 0
    for policy_id, version in versions.tuples():
        probe = VettingCase(policy_id=policy_id, policy_version=version)
        longest = max(longest, (await policy_of(deps, probe)).reminders.booking_days_before)
    return longest


# Plain columns rather than entities: ten thousand rows of three entities each cost seconds to
# load into the session, and the reminders only read them.
DUE_DATES = (
    select(
        Occurrence.id,
        Occurrence.start_utc,
        Occurrence.local_start,
        Occurrence.local_end,
        VettingCase.id,
        VettingCase.reference,
        VettingCase.contact,
        VettingCase.provider_id,
        VettingCase.policy_id,
        VettingCase.policy_version,
        Room.name,
        Venue.id,
        Venue.name,
        Venue.access_instructions,
        Venue.contact_email,
        Venue.contact_phone,
        VettingCase.language,  # the reminder is worded in the language the request was made in
    )
    .join(Booking, Booking.id == Occurrence.booking_id)
    .join(VettingCase, VettingCase.id == Booking.case_id)
    .join(Room, Room.id == Booking.room_id)
    .join(Venue, Venue.id == Room.venue_id)
    .where(Occurrence.status == "held", VettingCase.status == CaseStatus.CONFIRMED.value)
    .order_by(Occurrence.start_utc)
)


async def due_reminders(deps: CaseDeps, now: dt.datetime) -> list[DueReminder]:
    """Every reminder due now, sent or not: dates of confirmed bookings still to come that are
    within their policy's number of days (UK local dates)."""
    longest = await _longest_notice(deps)
    if longest <= 0:
        return []
    today = now.astimezone(UK).date()
    window_end = dt.datetime.combine(today + dt.timedelta(days=longest + 1), dt.time(), UK)
    rows = await deps.session.execute(
        DUE_DATES.where(Occurrence.start_utc > now, Occurrence.start_utc < window_end)
    )
    return await collect_due(deps, rows.tuples(), today)


async def collect_due(deps: CaseDeps, rows: Iterable[Sequence[Any]], today: dt.date) -> list[DueReminder]:
    """The reminders due among rows of `DUE_DATES` (each case and venue built once)."""
    cases: dict[UUID, VettingCase] = {}
    venues: dict[UUID, VenueFacts] = {}
    due: list[DueReminder] = []
    for row in rows:
        occ = DueDate(*row[0:4])
        case_id = row[4]
        case = cases.get(case_id)
        if case is None:
            # Never added to the session: a read-only stand-in that mail_hirer can word and address.
            case = cases[case_id] = VettingCase(
                id=case_id,
                reference=row[5],
                contact=row[6],
                provider_id=row[7],
                policy_id=row[8],
                policy_version=row[9],
                language=row[16],
            )
        venue = venues.get(row[11])
        if venue is None:
            venue = venues[row[11]] = VenueFacts(*row[12:16])
        days = (await policy_of(deps, case)).reminders.booking_days_before
        if days > 0 and (occ.local_start.date() - today).days <= days:
            due.append(DueReminder(reminder_key(occ.id, occ.start_utc), case, occ, row[10], venue))
    return due


async def conditions_of(deps: CaseDeps, case_ids: Sequence[UUID]) -> dict[UUID, list[dict[str, Any]]]:
    """The conditions of each case's effective approval."""
    out: dict[UUID, list[dict[str, Any]]] = {}
    ids = list(dict.fromkeys(case_ids))
    for i in range(0, len(ids), _CHUNK):
        rows = await deps.session.execute(
            select(Decision.case_id, Decision.conditions)
            .where(
                Decision.case_id.in_(ids[i : i + _CHUNK]),
                Decision.effective.is_(True),
                Decision.kind == "decision",
                Decision.outcome == "approve",
            )
            .order_by(Decision.decided_at)
        )
        for case_id, conditions in rows.tuples():
            out[case_id] = list(conditions or [])
    return out


def _access(venue: VenueFacts, language: str) -> str:
    """The venue's access instructions as staff typed them, or whom to ask, in `language`."""
    if venue.access_instructions:
        return venue.access_instructions
    email, phone = venue.contact_email, venue.contact_phone
    if email and phone:
        contact = gettext("%(email)s or %(phone)s", language) % {"email": email, "phone": phone}
    else:
        contact = email or phone or ""
    if contact:
        return gettext("Ask %(venue)s how to get in (%(contact)s).", language) % {
            "venue": venue.name,
            "contact": contact,
        }
    return gettext("Ask %(venue)s how to get in.", language) % {"venue": venue.name}


def _condition(c: dict[str, Any], policy: Policy | None, language: str) -> str:
    words = str(c.get("text") or c.get("code"))
    return condition_words(policy, c.get("code"), words, language) if policy is not None else words


def reminder_message(
    due: DueReminder, conditions: list[dict[str, Any]], policy: Policy | None = None
) -> Message:
    """The reminder in the case's language; `policy` (the case's version) gives a Welsh reader
    the policy's Welsh for its own conditions (policies/welsh.py)."""
    language = due.case.language
    listed = "\n".join(f"- {_condition(c, policy, language)}" for c in conditions)
    occ = due.occurrence
    return Message(
        "reminder_booking",
        {
            "reference": due.case.reference,
            "venue": due.venue.name,
            "room": due.room,
            "date": long_date(occ.local_start.date(), language),
            "start": clock(occ.local_start),
            "end": clock(occ.local_end),
            "conditions": listed or gettext(NO_CONDITIONS, language),
            "access": _access(due.venue, language),
        },
    )


def wants_sms(case: VettingCase) -> bool:
    return bool(case.contact.get("phone")) and case.contact.get("sms_consent") is True


async def send_booking_reminders(deps: CaseDeps, now: dt.datetime) -> int:
    """Job: hand every reminder due and not yet sent to the mailer; returns how many dates."""
    due = await due_reminders(deps, now)
    claimed = await claim(deps.session, [d.key for d in due], now)
    chosen = [d for d in due if d.key in claimed]
    conditions = await conditions_of(deps, [d.case.id for d in chosen])
    for d in chosen:
        message = reminder_message(d, conditions.get(d.case.id, []), await policy_of(deps, d.case))
        await mail_hirer(deps, d.case, message, dedupe_key=d.key)
        if wants_sms(d.case):
            await mail_hirer(deps, d.case, message, channel="sms", dedupe_key=f"{d.key}:sms")
    return len(chosen)
