"""Bookings as series of occurrences: planning, holding slots, releasing, cancelling, moving.

Holding is the only way a slot becomes unavailable to others. It runs inside the caller's
transaction: on SQLite every transaction starts with BEGIN IMMEDIATE, so the check below and the
insert that follows cannot interleave with another writer; on PostgreSQL the exclusion
constraint on `occurrence_hold` refuses an overlapping insert even if two checks race.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, bindparam, delete, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from venues.availability import (
    Closure as ClosureRule,
)
from venues.availability import (
    OccurrenceProblem,
    OpeningHours,
    check_occurrences,
    conflict_problems,
    find_conflicts,
    merge_intervals,
    proposed_slots,
    self_overlaps,
)
from venues.closures import uk_bank_holiday_closures
from venues.conflicts import HeldInterval, ProposedSlot
from venues.linked_spaces import atomic_units
from venues.models import Booking, Closure, Occurrence, OccurrenceHold, Room, RoomPart, Venue
from venues.recurrence import Occurrence as PlannedOccurrence
from venues.recurrence import RecurrenceError, expand_series
from venues.venue_service import parts_map
from vetting.errors import Conflict, Invalid, NotFound
from vetting.lifecycle import HOLDING_STATUSES, OPEN_STATUSES
from vetting.models import VettingCase

# Longest hold: a 24-hour occurrence plus the largest set-up and clear-down buffers. Bounding
# hold length lets the overlap query use a narrow index range on held_from.
MAX_HOLD = dt.timedelta(hours=24, minutes=2 * 240 + 1)
# Requests waiting for a decision compete for a slot but hold none.
PENDING_STATUSES = OPEN_STATUSES


@dataclass(frozen=True)
class PlannedSeries:
    venue: Venue
    room: Room
    occurrences: list[PlannedOccurrence]
    units: frozenset[str]
    rrule: str | None


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def room_units(session: AsyncSession, room: Room) -> frozenset[str]:
    return atomic_units(str(room.id), await parts_map(session, room.venue_id))


# Statements every booking request runs are built once: building one (and its cache key) costs
# about as much as running it on SQLite.
_CLOSURES = select(Closure.start_date, Closure.end_date, Closure.reason).where(
    Closure.venue_id == bindparam("venue_id"),
    or_(Closure.room_id.is_(None), Closure.room_id == bindparam("room_id")),
    Closure.end_date >= bindparam("first"),
    Closure.start_date <= bindparam("last"),
)
_ROOM_AND_VENUE = (
    select(Room, Venue).join(Venue, Venue.id == Room.venue_id).where(Room.id == bindparam("room_id"))
)


async def closures_for(
    session: AsyncSession, venue: Venue, room: Room, first: dt.date, last: dt.date
) -> list[ClosureRule]:
    rows = await session.execute(
        _CLOSURES, {"venue_id": venue.id, "room_id": room.id, "first": first, "last": last}
    )
    rules = [ClosureRule(start, end, reason) for start, end, reason in rows]
    if venue.bank_holidays_region:
        rules.extend(uk_bank_holiday_closures(first, last, subdiv=venue.bank_holidays_region))
    return rules


@functools.lru_cache(maxsize=256)
def _holds_query(slots: int, excluding: bool) -> Select[tuple[UUID, UUID, dt.datetime, dt.datetime]]:
    """Holds on any of a slot's units overlapping it, for ``slots`` slots: built once per shape."""
    terms = [
        and_(
            OccurrenceHold.unit_id.in_(bindparam(f"units_{i}", expanding=True)),
            OccurrenceHold.held_from < bindparam(f"end_{i}"),
            OccurrenceHold.held_from > bindparam(f"earliest_{i}"),
            OccurrenceHold.held_to > bindparam(f"start_{i}"),
        )
        for i in range(slots)
    ]
    query = select(
        OccurrenceHold.unit_id, OccurrenceHold.occurrence_id, OccurrenceHold.held_from, OccurrenceHold.held_to
    ).where(or_(*terms))
    if excluding:
        query = query.where(OccurrenceHold.occurrence_id.not_in(bindparam("excluded", expanding=True)))
    return query


async def held_overlapping(
    session: AsyncSession, slots: Sequence[ProposedSlot], *, exclude_occurrences: Iterable[UUID] = ()
) -> list[HeldInterval]:
    """Holds that overlap any of `slots` on a shared unit, fetched by narrow index ranges."""
    found: list[HeldInterval] = []
    excluded = list(exclude_occurrences)
    for chunk_start in range(0, len(slots), 100):
        chunk = slots[chunk_start : chunk_start + 100]
        params: dict[str, Any] = {"excluded": excluded} if excluded else {}
        for i, slot in enumerate(chunk):
            params[f"units_{i}"] = [UUID(u) for u in slot.units]
            params[f"end_{i}"] = slot.end
            params[f"earliest_{i}"] = slot.start - MAX_HOLD
            params[f"start_{i}"] = slot.start
        rows = await session.execute(_holds_query(len(chunk), bool(excluded)), params)
        for unit_id, occurrence_id, held_from, held_to in rows:
            found.append(HeldInterval(str(unit_id), held_from, held_to, str(occurrence_id)))
    return found


def _problems_to_conflict(problems: Sequence[OccurrenceProblem]) -> Conflict:
    details = [p.message for p in sorted(problems, key=lambda p: (p.index, p.kind))]
    return Conflict("some dates cannot be booked", details)


class BookingService:
    def __init__(self, session: AsyncSession, *, horizon_months: int = 12) -> None:
        self.session = session
        self.horizon_months = horizon_months

    async def room_and_venue(self, room_id: UUID) -> tuple[Room, Venue]:
        found = (await self.session.execute(_ROOM_AND_VENUE, {"room_id": room_id})).first()
        if found is None or not found[0].active:
            raise NotFound("no such room")
        return found[0], found[1]

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
        room, venue = await self.room_and_venue(room_id)
        now = now or utcnow()
        try:
            occurrences = expand_series(
                start, end, rrule, tz=venue.timezone, horizon_months=self.horizon_months, now=now
            )
        except RecurrenceError as exc:
            field = "recurrence.rrule" if rrule else "start"
            raise Invalid(str(exc), {field: str(exc)}) from exc
        if occurrences[0].start_utc < now:
            raise Invalid("the booking starts in the past", {"start": "must be in the future"})
        units = await room_units(self.session, room)
        hours = OpeningHours.parse(room.opening_hours) if room.opening_hours else None
        closures = await closures_for(
            self.session, venue, room, occurrences[0].local_start.date(), occurrences[-1].local_end.date()
        )
        problems = check_occurrences(occurrences, hours, closures)
        slots = proposed_slots(occurrences, units, room.buffer_before_minutes, room.buffer_after_minutes)
        problems += conflict_problems(self_overlaps(slots))
        if check_held:
            problems += conflict_problems(find_conflicts(slots, await held_overlapping(self.session, slots)))
        if problems:
            raise _problems_to_conflict(problems)
        return PlannedSeries(venue, room, occurrences, units, rrule)

    async def create(
        self,
        case_id: UUID,
        plan: PlannedSeries,
        *,
        now: dt.datetime | None = None,
        flush: bool = True,
    ) -> Booking:
        """The booking and its occurrences (flushed unless the caller flushes them with more)."""
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
        self.session.add(booking)
        for occ in plan.occurrences:
            self.session.add(
                Occurrence(
                    booking_id=booking.id,
                    seq=occ.index,
                    start_utc=occ.start_utc,
                    end_utc=occ.end_utc,
                    local_start=occ.local_start,
                    local_end=occ.local_end,
                    status="requested",
                )
            )
        if flush:
            await self.session.flush()
        return booking

    async def booking_for_case(self, case_id: UUID) -> Booking:
        booking = (
            await self.session.execute(select(Booking).where(Booking.case_id == case_id))
        ).scalar_one_or_none()
        if booking is None:
            raise NotFound("no booking for this case")
        return booking

    async def occurrences(self, booking_id: UUID) -> list[Occurrence]:
        rows = await self.session.execute(
            select(Occurrence).where(Occurrence.booking_id == booking_id).order_by(Occurrence.seq)
        )
        return list(rows.scalars())

    async def _slots_for(self, room: Room, occs: Sequence[Occurrence]) -> list[ProposedSlot]:
        units = await room_units(self.session, room)
        return [
            ProposedSlot(
                o.seq,
                o.local_start,
                o.local_end,
                o.start_utc - dt.timedelta(minutes=room.buffer_before_minutes),
                o.end_utc + dt.timedelta(minutes=room.buffer_after_minutes),
                units,
            )
            for o in occs
        ]

    async def hold(self, booking: Booking, *, now: dt.datetime | None = None) -> None:
        """Make every live occurrence of the booking hold its slot, or raise Conflict and hold none."""
        room = await self.session.get(Room, booking.room_id)
        assert room is not None
        occs = [o for o in await self.occurrences(booking.id) if o.status in ("requested", "conflicting")]
        slots = await self._slots_for(room, occs)
        await self._lock_units(await room_units(self.session, room))
        conflicts = find_conflicts(slots, await held_overlapping(self.session, slots))
        if conflicts:
            raise _problems_to_conflict(conflict_problems(conflicts))
        by_seq = {o.seq: o for o in occs}
        for slot in slots:
            for unit in slot.units:
                self.session.add(
                    OccurrenceHold(
                        occurrence_id=by_seq[slot.index].id,
                        unit_id=UUID(unit),
                        held_from=slot.start,
                        held_to=slot.end,
                    )
                )
        try:
            # The holds go in first and alone: on PostgreSQL a racing approver waits here on the
            # exclusion constraint before either transaction touches the other's occurrence rows
            # (marking competitors below), so the race ends in one IntegrityError, not a deadlock.
            # The savepoint keeps the caller's transaction usable after that error.
            async with self.session.begin_nested():
                await self.session.flush()
        except IntegrityError as exc:
            raise Conflict("some dates were booked by someone else a moment ago", []) from exc
        for occ in occs:
            occ.status = "held"
        await self._touch(booking, now)
        await self._mark_competitors(slots, booking.id)

    async def _lock_units(self, units: Iterable[str]) -> None:
        """On PostgreSQL, queue writers of the same spaces one behind another.

        Transaction-scoped advisory locks taken in a fixed order make concurrent approvals of
        overlapping spaces wait for each other instead of deadlocking inside the exclusion
        constraint; the check that follows then sees the winner's committed holds. SQLite needs
        nothing here: BEGIN IMMEDIATE already serialises writers.
        """
        bind = self.session.bind
        if bind is None or bind.dialect.name != "postgresql":
            return
        for unit in sorted(units):
            key = int(UUID(unit).hex[:16], 16) - 2**63
            await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    async def release(
        self, booking: Booking, *, status: str = "released", now: dt.datetime | None = None
    ) -> None:
        """Give up every slot of the booking (refusal, withdrawal, cancellation)."""
        occs = await self.occurrences(booking.id)
        ids = [o.id for o in occs]
        if ids:
            await self.session.execute(delete(OccurrenceHold).where(OccurrenceHold.occurrence_id.in_(ids)))
        for o in occs:
            if o.status != "cancelled":
                o.status = status
        await self._touch(booking, now)

    async def cancel_occurrence(
        self, booking: Booking, occurrence_id: UUID, *, now: dt.datetime | None = None
    ) -> None:
        occ = await self.session.get(Occurrence, occurrence_id)
        if occ is None or occ.booking_id != booking.id:
            raise NotFound("no such date in this booking")
        if occ.status == "cancelled":
            raise Conflict("this date is already cancelled")
        await self.session.execute(delete(OccurrenceHold).where(OccurrenceHold.occurrence_id == occ.id))
        occ.status = "cancelled"
        await self._touch(booking, now)

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
        occ = await self.session.get(Occurrence, occurrence_id)
        if occ is None or occ.booking_id != booking.id:
            raise NotFound("no such date in this booking")
        if occ.status == "cancelled":
            raise Conflict("a cancelled date cannot be moved")
        room, venue = await self.room_and_venue(booking.room_id)
        try:
            (planned,) = expand_series(
                start, end, None, tz=venue.timezone, horizon_months=self.horizon_months, now=now
            )
        except RecurrenceError as exc:
            raise Invalid(str(exc), {"start": str(exc)}) from exc
        hours = OpeningHours.parse(room.opening_hours) if room.opening_hours else None
        closures = await closures_for(
            self.session, venue, room, planned.local_start.date(), planned.local_end.date()
        )
        units = await room_units(self.session, room)
        slots = proposed_slots([planned], units, room.buffer_before_minutes, room.buffer_after_minutes)
        slot = slots[0]
        problems = check_occurrences([planned], hours, closures)
        siblings = [
            o for o in await self.occurrences(booking.id) if o.id != occ.id and o.status != "cancelled"
        ]
        sibling_slots = await self._slots_for(room, siblings)
        problems += conflict_problems(
            find_conflicts(slots, [HeldInterval(u, s.start, s.end) for s in sibling_slots for u in s.units])
        )
        if occ.status == "held":
            await self._lock_units(units)
            problems += conflict_problems(
                find_conflicts(
                    slots, await held_overlapping(self.session, slots, exclude_occurrences=[occ.id])
                )
            )
        if problems:
            raise _problems_to_conflict(problems)
        if occ.original_start_utc is None:
            occ.original_start_utc = occ.start_utc
        occ.start_utc, occ.end_utc = planned.start_utc, planned.end_utc
        occ.local_start, occ.local_end = planned.local_start, planned.local_end
        if occ.status == "held":
            await self.session.execute(delete(OccurrenceHold).where(OccurrenceHold.occurrence_id == occ.id))
            for unit in slot.units:
                self.session.add(
                    OccurrenceHold(
                        occurrence_id=occ.id, unit_id=UUID(unit), held_from=slot.start, held_to=slot.end
                    )
                )
            try:
                async with self.session.begin_nested():
                    await self.session.flush()
            except IntegrityError as exc:
                raise Conflict("the new time was booked by someone else a moment ago") from exc
        await self._touch(booking, now)

    async def _touch(self, booking: Booking, now: dt.datetime | None) -> None:
        booking.sequence += 1
        booking.changed_at = now or utcnow()
        await self.session.flush()

    async def _pending_overlapping(
        self, slots: Sequence[ProposedSlot], exclude_booking: UUID
    ) -> list[tuple[Occurrence, Booking]]:
        """Requested occurrences of cases still under review that would overlap `slots`."""
        if not slots:
            return []
        lo = min(s.start for s in slots) - MAX_HOLD
        hi = max(s.end for s in slots) + MAX_HOLD
        rows = await self.session.execute(
            select(Occurrence, Booking, Room)
            .join(Booking, Booking.id == Occurrence.booking_id)
            .join(Room, Room.id == Booking.room_id)
            .join(VettingCase, VettingCase.id == Booking.case_id)
            .where(
                Booking.id != exclude_booking,
                VettingCase.status.in_(PENDING_STATUSES),
                Occurrence.status.in_(("requested", "conflicting")),
                Occurrence.start_utc < hi,
                Occurrence.end_utc > lo,
            )
        )
        found: list[tuple[Occurrence, Booking]] = []
        unit_cache: dict[UUID, frozenset[str]] = {}
        for occ, booking, room in rows:
            if room.id not in unit_cache:
                unit_cache[room.id] = await room_units(self.session, room)
            start = occ.start_utc - dt.timedelta(minutes=room.buffer_before_minutes)
            end = occ.end_utc + dt.timedelta(minutes=room.buffer_after_minutes)
            if any(s.units & unit_cache[room.id] and s.start < end and start < s.end for s in slots):
                found.append((occ, booking))
        return found

    async def _mark_competitors(self, slots: Sequence[ProposedSlot], booking_id: UUID) -> None:
        for occ, _booking in await self._pending_overlapping(slots, booking_id):
            occ.status = "conflicting"
        await self.session.flush()

    async def competing(self, booking: Booking) -> list[dict[str, object]]:
        """Other pending requests that want any of this booking's slots (for officers)."""
        room = await self.session.get(Room, booking.room_id)
        assert room is not None
        occs = [o for o in await self.occurrences(booking.id) if o.status in ("requested", "conflicting")]
        slots = await self._slots_for(room, occs)
        by_case: dict[UUID, list[str]] = {}
        for occ, other in await self._pending_overlapping(slots, booking.id):
            by_case.setdefault(other.case_id, []).append(occ.local_start.isoformat(timespec="minutes"))
        out: list[dict[str, object]] = []
        for case_id, dates in by_case.items():
            case = await self.session.get(VettingCase, case_id)
            assert case is not None
            out.append({"case_id": str(case_id), "reference": case.reference, "dates": sorted(dates)})
        return out

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


def local_zone(venue: Venue) -> ZoneInfo:
    return ZoneInfo(venue.timezone)


__all__ = ["HOLDING_STATUSES", "PENDING_STATUSES", "BookingService", "PlannedSeries", "RoomPart"]
