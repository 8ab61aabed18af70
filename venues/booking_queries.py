"""The reads every booking operation shares: room and venue, atomic units, closures, dates, holds.

Statements every booking request runs are built once with bind parameters: building one (and
its cache key) costs about as much as running it on SQLite.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.availability import Closure as ClosureRule
from venues.closures import uk_bank_holiday_closures
from venues.conflicts import HeldInterval, ProposedSlot
from venues.linked_spaces import atomic_units
from venues.models import Booking, Closure, Occurrence, OccurrenceHold, Room, Venue
from venues.venue_service import parts_map
from vetting import direct_sql
from vetting.errors import NotFound

# Longest hold: a 24-hour occurrence plus the largest set-up and clear-down buffers. Bounding
# hold length lets the overlap query use a narrow index range on held_from.
MAX_HOLD = dt.timedelta(hours=24, minutes=2 * 240 + 1)

_CLOSURES = select(Closure.start_date, Closure.end_date, Closure.reason).where(
    Closure.venue_id == bindparam("venue_id"),
    or_(Closure.room_id.is_(None), Closure.room_id == bindparam("room_id")),
    Closure.end_date >= bindparam("first"),
    Closure.start_date <= bindparam("last"),
)
_ROOM_AND_VENUE = (
    select(Room, Venue).join(Venue, Venue.id == Room.venue_id).where(Room.id == bindparam("room_id"))
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def room_and_venue(session: AsyncSession, room_id: UUID) -> tuple[Room, Venue]:
    found = (await session.execute(_ROOM_AND_VENUE, {"room_id": room_id})).first()
    if found is None or not found[0].active:
        raise NotFound("no such room")
    return found[0], found[1]


async def room_units(session: AsyncSession, room: Room) -> frozenset[str]:
    return atomic_units(str(room.id), await parts_map(session, room.venue_id))


async def closures_for(
    session: AsyncSession, venue: Venue, room: Room, first: dt.date, last: dt.date
) -> list[ClosureRule]:
    found = await direct_sql.rows(
        session, _CLOSURES, {"venue_id": venue.id, "room_id": room.id, "first": first, "last": last}
    )
    rules = [ClosureRule(start, end, reason) for start, end, reason in found]
    if venue.bank_holidays_region:
        rules.extend(uk_bank_holiday_closures(first, last, subdiv=venue.bank_holidays_region))
    return rules


async def booking_for_case(session: AsyncSession, case_id: UUID) -> Booking:
    booking = (await session.execute(select(Booking).where(Booking.case_id == case_id))).scalar_one_or_none()
    if booking is None:
        raise NotFound("no booking for this case")
    return booking


async def occurrences(session: AsyncSession, booking_id: UUID) -> list[Occurrence]:
    rows = await session.execute(
        select(Occurrence).where(Occurrence.booking_id == booking_id).order_by(Occurrence.seq)
    )
    return list(rows.scalars())


async def slots_for(session: AsyncSession, room: Room, occs: Sequence[Occurrence]) -> list[ProposedSlot]:
    """The slots stored occurrences take in the room, buffers included."""
    units = await room_units(session, room)
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
        rows = await direct_sql.rows(session, _holds_query(len(chunk), bool(excluded)), params)
        for unit_id, occurrence_id, held_from, held_to in rows:
            found.append(HeldInterval(str(unit_id), held_from, held_to, str(occurrence_id)))
    return found
