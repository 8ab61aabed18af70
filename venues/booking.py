"""Bookings as series of occurrences: the service the case layer and the API call.

`BookingService` is a facade over one module per job: planning and creating a series
(`venues.booking_plan`), holding and giving up slots (`venues.holds`), competing requests
(`venues.competing`), moving one date (`venues.occurrence_moves`) and the reads they share
(`venues.booking_queries`). What is left here are the room-level reads: busy intervals and the
search for free rooms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from venues import booking_queries, competing, holds
from venues.availability import merge_intervals
from venues.booking_plan import PlannedSeries, new_booking, plan_series
from venues.booking_queries import MAX_HOLD, room_units
from venues.competing import PENDING_STATUSES
from venues.models import Booking, Occurrence, OccurrenceHold, Room, RoomPart, Venue
from venues.occurrence_moves import move_occurrence
from vetting.errors import Conflict
from vetting.lifecycle import HOLDING_STATUSES


class BookingService:
    def __init__(self, session: AsyncSession, *, horizon_months: int = 12) -> None:
        self.session = session
        self.horizon_months = horizon_months

    async def room_and_venue(self, room_id: UUID) -> tuple[Room, Venue]:
        return await booking_queries.room_and_venue(self.session, room_id)

    async def plan(
        self,
        room_id: UUID,
        start: dt.datetime,
        end: dt.datetime,
        rrule: str | None,
        *,
        now: dt.datetime | None = None,
        check_held: bool = True,
    ) -> PlannedSeries:
        """Expand the series and check every date; raises Invalid (bad rule) or Conflict (dates)."""
        return await plan_series(
            self.session,
            room_id,
            start,
            end,
            rrule,
            horizon_months=self.horizon_months,
            now=now,
            check_held=check_held,
        )

    def new_booking(
        self, case_id: UUID, plan: PlannedSeries, *, now: dt.datetime | None = None
    ) -> tuple[Booking, list[Occurrence]]:
        """The booking and its occurrences, for the caller to write (casework/submit.py)."""
        return new_booking(case_id, plan, now=now)

    async def booking_for_case(self, case_id: UUID) -> Booking:
        return await booking_queries.booking_for_case(self.session, case_id)

    async def occurrences(self, booking_id: UUID) -> list[Occurrence]:
        return await booking_queries.occurrences(self.session, booking_id)

    async def hold(self, booking: Booking, *, now: dt.datetime | None = None) -> None:
        """Make every live occurrence of the booking hold its slot, or raise Conflict and hold none."""
        await holds.hold(self.session, booking, now=now)

    async def release(
        self, booking: Booking, *, status: str = "released", now: dt.datetime | None = None
    ) -> None:
        """Give up every slot of the booking (refusal, withdrawal, cancellation)."""
        await holds.release(self.session, booking, status=status, now=now)

    async def cancel_occurrence(
        self, booking: Booking, occurrence_id: UUID, *, now: dt.datetime | None = None
    ) -> None:
        await holds.cancel_occurrence(self.session, booking, occurrence_id, now=now)

    async def move_occurrence(
        self,
        booking: Booking,
        occurrence_id: UUID,
        start: dt.datetime,
        end: dt.datetime,
        *,
        now: dt.datetime | None = None,
    ) -> None:
        """Move one date; the rest of the series is untouched. Checks hours, closures and holds."""
        await move_occurrence(
            self.session, booking, occurrence_id, start, end, horizon_months=self.horizon_months, now=now
        )

    async def competing(self, booking: Booking) -> list[dict[str, object]]:
        """Other pending requests that want any of this booking's slots (for officers)."""
        return await competing.competing(self.session, booking)

    async def busy(
        self, room_id: UUID, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """Merged busy intervals of a room (any unit it shares), no hirer details."""
        room, _venue = await self.room_and_venue(room_id)
        units = [UUID(u) for u in await room_units(self.session, room)]
        rows = await self.session.execute(
            select(OccurrenceHold.held_from, OccurrenceHold.held_to).where(
                OccurrenceHold.unit_id.in_(units),
                OccurrenceHold.held_from < end,
                OccurrenceHold.held_from > start - MAX_HOLD,
                OccurrenceHold.held_to > start,
            )
        )
        return merge_intervals((max(a, start), min(b, end)) for a, b in rows)

    async def search(
        self,
        *,
        start: dt.datetime,
        end: dt.datetime,
        rrule: str | None,
        min_capacity: int = 1,
        features: Sequence[str] = (),
        venue_id: UUID | None = None,
        now: dt.datetime | None = None,
    ) -> list[Room]:
        """Rooms with the capacity and features asked for that are free for every date of the series."""
        query = select(Room).where(Room.active.is_(True), Room.capacity >= min_capacity)
        if venue_id is not None:
            query = query.where(Room.venue_id == venue_id)
        rooms = [
            r
            for r in (await self.session.execute(query.order_by(Room.capacity))).scalars()
            if set(features) <= set(r.accessibility)
        ]
        free: list[Room] = []
        for room in rooms:
            try:
                await self.plan(room.id, start, end, rrule, now=now)
            except Conflict:
                continue
            free.append(room)
        return free


__all__ = ["HOLDING_STATUSES", "PENDING_STATUSES", "BookingService", "PlannedSeries", "RoomPart"]
