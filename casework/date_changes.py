"""An officer cancels or moves one date of a booking: the hirer is told which date and how, and
the venue's managers are told when that date was holding its room (it was on their calendar).

The rest of a series is untouched (venues/holds.py, venues/occurrence_moves.py check the slot).
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from casework import alert_triggers, messages
from casework.deps import CaseDeps, get_case
from vetting.actors import Actor
from vetting.errors import Forbidden
from vetting.models import VettingCase

HELD = "held"


def _when(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start:%A %-d %B %Y}, {start:%H:%M} to {end:%H:%M}"


async def _date_of(deps: CaseDeps, case: VettingCase, occurrence_id: UUID) -> tuple[str, str]:
    """The date as the hirer knows it and its status (empty when it is not one of the booking's)."""
    booking = await deps.bookings.booking_for_case(case.id)
    for o in await deps.bookings.occurrences(booking.id):
        if o.id == occurrence_id:
            return _when(o.local_start, o.local_end), o.status
    return "", ""


async def _tell_managers(deps: CaseDeps, case: VettingCase, change: str) -> None:
    booking = await deps.bookings.booking_for_case(case.id)
    room, venue = await deps.bookings.room_and_venue(booking.room_id)
    await alert_triggers.booking_changed(
        deps, case, change, venue_id=venue.id, venue=venue.name, room=room.name
    )


async def cancel_date(
    deps: CaseDeps, actor: Actor, case_id: UUID, occurrence_id: UUID, *, now: dt.datetime | None = None
) -> VettingCase:
    if not actor.is_officer:
        raise Forbidden("only officers change the dates of a booking")
    case = await get_case(deps, case_id)
    when, status = await _date_of(deps, case, occurrence_id)
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.cancel_occurrence(booking, occurrence_id, now=now)
    if when and status != "cancelled":
        await messages.mail_hirer(deps, case, messages.date_changed(case.reference, f"{when}: cancelled."))
    if status == HELD:
        await _tell_managers(deps, case, f"the date {when} cancelled")
    return case


async def move_date(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    occurrence_id: UUID,
    start: dt.datetime,
    end: dt.datetime,
    *,
    now: dt.datetime | None = None,
) -> VettingCase:
    if not actor.is_officer:
        raise Forbidden("only officers change the dates of a booking")
    case = await get_case(deps, case_id)
    before, status = await _date_of(deps, case, occurrence_id)
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.move_occurrence(booking, occurrence_id, start, end, now=now)
    after, _ = await _date_of(deps, case, occurrence_id)
    if before and after != before:
        change = f"{before}: moved to {after}."
        await messages.mail_hirer(deps, case, messages.date_changed(case.reference, change))
        if status == HELD:
            await _tell_managers(deps, case, f"the date {before} moved to {after}")
    return case
