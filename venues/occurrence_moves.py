"""Moving one date of a series: the new time is checked like a new request, the rest untouched.

A held date keeps its slot exclusive while it moves: its units are locked (PostgreSQL), the new
time is checked against other holds, and the new holds go in under a savepoint so a racing
writer ends in a Conflict rather than a broken transaction.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from venues.availability import (
    OpeningHours,
    check_occurrences,
    conflict_problems,
    find_conflicts,
    proposed_slots,
)
from venues.booking_plan import problems_to_conflict
from venues.booking_queries import (
    closures_for,
    held_overlapping,
    occurrences,
    room_and_venue,
    room_units,
    slots_for,
)
from venues.competing import free_competitors, mark_competitors
from venues.conflicts import HeldInterval
from venues.holds import lock_units, touch
from venues.models import Booking, Occurrence, OccurrenceHold
from venues.recurrence import RecurrenceError, expand_series
from vetting.errors import Conflict, Invalid, NotFound


async def move_occurrence(
    session: AsyncSession,
    booking: Booking,
    occurrence_id: UUID,
    start: dt.datetime,
    end: dt.datetime,
    *,
    horizon_months: int,
    now: dt.datetime | None = None,
) -> None:
    """Move one date; the rest of the series is untouched. Checks hours, closures and holds."""
    occ = await session.get(Occurrence, occurrence_id)
    if occ is None or occ.booking_id != booking.id:
        raise NotFound("no such date in this booking")
    if occ.status == "cancelled":
        raise Conflict("a cancelled date cannot be moved")
    room, venue = await room_and_venue(session, booking.room_id)
    try:
        (planned,) = expand_series(
            start, end, None, tz=venue.timezone, horizon_months=horizon_months, now=now
        )
    except RecurrenceError as exc:
        raise Invalid(str(exc), {"start": str(exc)}) from exc
    hours = OpeningHours.parse(room.opening_hours) if room.opening_hours else None
    closures = await closures_for(session, venue, room, planned.local_start.date(), planned.local_end.date())
    units = await room_units(session, room)
    slots = proposed_slots([planned], units, room.buffer_before_minutes, room.buffer_after_minutes)
    slot = slots[0]
    problems = check_occurrences([planned], hours, closures)
    siblings = [
        o for o in await occurrences(session, booking.id) if o.id != occ.id and o.status != "cancelled"
    ]
    sibling_slots = await slots_for(session, room, siblings)
    problems += conflict_problems(
        find_conflicts(slots, [HeldInterval(u, s.start, s.end) for s in sibling_slots for u in s.units])
    )
    if occ.status == "held":
        await lock_units(session, units)
        problems += conflict_problems(
            find_conflicts(slots, await held_overlapping(session, slots, exclude_occurrences=[occ.id]))
        )
    if problems:
        raise problems_to_conflict(problems)
    freed = await slots_for(session, room, [occ]) if occ.status == "held" else []
    if occ.original_start_utc is None:
        occ.original_start_utc = occ.start_utc
    occ.start_utc, occ.end_utc = planned.start_utc, planned.end_utc
    occ.local_start, occ.local_end = planned.local_start, planned.local_end
    if occ.status == "held":
        await session.execute(delete(OccurrenceHold).where(OccurrenceHold.occurrence_id == occ.id))
        for unit in slot.units:
            session.add(
                OccurrenceHold(
                    occurrence_id=occ.id, unit_id=UUID(unit), held_from=slot.start, held_to=slot.end
                )
            )
        try:
            async with session.begin_nested():
                await session.flush()
        except IntegrityError as exc:
            raise Conflict("the new time was booked by someone else a moment ago") from exc
    await touch(session, booking, now)
    # The old time is free for requests waiting on it; requests wanting the new time compete now.
    await free_competitors(session, freed, booking.id)
    await mark_competitors(session, slots if occ.status == "held" else [], booking.id)
