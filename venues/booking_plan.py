"""Planning a booking request: expand the series, check every date, then insert it as requested.

A plan checks opening hours, closures, the series against itself and (unless asked not to) the
slots already held; it writes nothing. Creating the booking only adds rows to the session.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from venues.availability import (
    OccurrenceProblem,
    OpeningHours,
    check_occurrences,
    conflict_problems,
    find_conflicts,
    proposed_slots,
    self_overlaps,
)
from venues.booking_queries import closures_for, held_overlapping, room_and_venue, room_units, utcnow
from venues.models import Booking, Occurrence, Room, Venue
from venues.recurrence import Occurrence as PlannedOccurrence
from venues.recurrence import RecurrenceError, expand_series
from vetting.errors import Conflict, Invalid


@dataclass(frozen=True)
class PlannedSeries:
    venue: Venue
    room: Room
    occurrences: list[PlannedOccurrence]
    units: frozenset[str]
    rrule: str | None


class DatesNotFree(Conflict):
    """Some dates of a request cannot be booked; `problems` says which and why, so that a page in
    another language can word them itself (the details are English)."""

    def __init__(self, problems: Sequence[OccurrenceProblem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.index, p.kind)))
        super().__init__("some dates cannot be booked", [p.message for p in self.problems])


def problems_to_conflict(problems: Sequence[OccurrenceProblem]) -> Conflict:
    return DatesNotFree(problems)


async def plan_series(
    session: AsyncSession,
    room_id: UUID,
    start: dt.datetime,
    end: dt.datetime,
    rrule: str | None,
    *,
    horizon_months: int,
    now: dt.datetime | None = None,
    check_held: bool = True,
) -> PlannedSeries:
    """Expand the series and check every date; raises Invalid (bad rule) or Conflict (dates)."""
    room, venue = await room_and_venue(session, room_id)
    now = now or utcnow()
    try:
        occurrences = expand_series(
            start, end, rrule, tz=venue.timezone, horizon_months=horizon_months, now=now
        )
    except RecurrenceError as exc:
        field = "recurrence.rrule" if rrule else "start"
        raise Invalid(str(exc), {field: str(exc)}) from exc
    if occurrences[0].start_utc < now:
        raise Invalid("the booking starts in the past", {"start": "must be in the future"})
    units = await room_units(session, room)
    hours = OpeningHours.parse(room.opening_hours) if room.opening_hours else None
    closures = await closures_for(
        session, venue, room, occurrences[0].local_start.date(), occurrences[-1].local_end.date()
    )
    problems = check_occurrences(occurrences, hours, closures)
    slots = proposed_slots(occurrences, units, room.buffer_before_minutes, room.buffer_after_minutes)
    problems += conflict_problems(self_overlaps(slots))
    if check_held:
        problems += conflict_problems(find_conflicts(slots, await held_overlapping(session, slots)))
    if problems:
        raise problems_to_conflict(problems)
    return PlannedSeries(venue, room, occurrences, units, rrule)


def new_booking(
    case_id: UUID, plan: PlannedSeries, *, now: dt.datetime | None = None
) -> tuple[Booking, list[Occurrence]]:
    """The booking and its occurrences, not yet in any session (the caller writes them)."""
    now = now or utcnow()
    booking = Booking(
        id=uuid4(),
        case_id=case_id,
        room_id=plan.room.id,
        rrule=plan.rrule,
        uid=f"{secrets.token_hex(16)}@venue-hire",
        sequence=0,
        changed_at=now,
    )
    dates = [
        Occurrence(
            booking_id=booking.id,
            room_id=plan.room.id,
            seq=occ.index,
            start_utc=occ.start_utc,
            end_utc=occ.end_utc,
            local_start=occ.local_start,
            local_end=occ.local_end,
            status="requested",
        )
        for occ in plan.occurrences
    ]
    return booking, dates
