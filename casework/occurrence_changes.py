"""An officer cancels or moves one date of a booking; the venue's managers are told when that
date was holding its room (it was on their calendar)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from casework import alert_triggers
from casework.deps import CaseDeps, get_case
from venues.models import Occurrence
from vetting.actors import Actor
from vetting.errors import Forbidden, NotFound
from vetting.models import VettingCase

HELD = "held"


def _when(occ: Occurrence) -> str:
    return f"{occ.local_start:%A %d %B %Y %H:%M}"


async def _held_date(
    deps: CaseDeps, actor: Actor, case_id: UUID, occurrence_id: UUID
) -> tuple[VettingCase, Occurrence | None]:
    if not actor.is_officer:
        raise Forbidden("only officers change the dates of a booking")
    case = await get_case(deps, case_id)
    occ = await deps.session.get(Occurrence, occurrence_id)
    if occ is None:
        raise NotFound("no such date in this booking")
    return case, occ if occ.status == HELD else None


async def cancel_occurrence(
    deps: CaseDeps, actor: Actor, case_id: UUID, occurrence_id: UUID, *, now: dt.datetime | None = None
) -> None:
    case, held = await _held_date(deps, actor, case_id, occurrence_id)
    was = _when(held) if held is not None else ""
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.cancel_occurrence(booking, occurrence_id, now=now)
    if held is not None:
        room, venue = await deps.bookings.room_and_venue(booking.room_id)
        await alert_triggers.booking_changed(
            deps, case, f"the date {was} cancelled", venue_id=venue.id, venue=venue.name, room=room.name
        )


async def move_occurrence(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    occurrence_id: UUID,
    start: dt.datetime,
    end: dt.datetime,
    *,
    now: dt.datetime | None = None,
) -> None:
    case, held = await _held_date(deps, actor, case_id, occurrence_id)
    was = _when(held) if held is not None else ""
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.move_occurrence(booking, occurrence_id, start, end, now=now)
    if held is not None:
        room, venue = await deps.bookings.room_and_venue(booking.room_id)
        change = f"the date {was} moved to {_when(held)}"
        await alert_triggers.booking_changed(
            deps, case, change, venue_id=venue.id, venue=venue.name, room=room.name
        )
