"""The public directory's reads: rooms with what they offer, and when they are free.

However many rooms are shown, availability is read in a fixed number of statements: the rooms
with their venues, the linked-space parts of those venues, every hold on those venues' rooms in
the period, and their closures (bank holidays come from `venues.closures`, not the database).
`venues.room_days` then works out each room's days. No hirer detail is read: only when a room's
units are held.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.booking_queries import MAX_HOLD
from venues.closures import Closure, uk_bank_holiday_closures
from venues.linked_spaces import LinkedSpaceError, atomic_units
from venues.models import Closure as ClosureRow
from venues.models import OccurrenceHold, Room, RoomPart, Venue
from venues.opening_hours import OpeningHours
from venues.room_days import Interval, RoomTime, local_busy


@dataclass(frozen=True)
class DirectoryFilter:
    """What a hirer narrows the directory by; every part optional."""

    capacity: int | None = None
    facilities: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None

    def fits(self, room: Room) -> bool:
        """The parts of the filter that do not depend on time."""
        return (
            (self.capacity is None or room.capacity >= self.capacity)
            and set(self.facilities) <= set(room.facilities or ())
            and set(self.access) <= set(room.accessibility or ())
        )


@dataclass
class RoomEntry:
    room: Room
    time: RoomTime | None = None  # read only when a date was asked for
    free: list[Interval] = field(default_factory=list)  # that date's free stretches


@dataclass
class VenueEntry:
    venue: Venue
    rooms: list[RoomEntry] = field(default_factory=list)


def room_hours(room: Room) -> OpeningHours | None:
    return OpeningHours.parse(room.opening_hours) if room.opening_hours else None


async def room_times(
    session: AsyncSession, pairs: Sequence[tuple[Room, Venue]], first: dt.date, last: dt.date
) -> dict[UUID, RoomTime]:
    """Each room's time from `first` to `last` (local dates, inclusive), in three statements."""
    if not pairs:
        return {}
    venue_ids = sorted({venue.id for _, venue in pairs})
    # Any zone's local day lies within a day either side of the same UTC day.
    window_start = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(0), dt.UTC)
    window_end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(0), dt.UTC)
    parts_of: dict[UUID, dict[str, list[str]]] = defaultdict(dict)
    parts = await session.execute(
        select(Room.venue_id, RoomPart.room_id, RoomPart.part_id)
        .join(Room, Room.id == RoomPart.room_id)
        .where(Room.venue_id.in_(venue_ids))
    )
    for venue_id, room_id, part_id in parts:
        parts_of[venue_id].setdefault(str(room_id), []).append(str(part_id))
    held: dict[str, list[Interval]] = defaultdict(list)
    holds = await session.execute(
        select(OccurrenceHold.unit_id, OccurrenceHold.held_from, OccurrenceHold.held_to).where(
            OccurrenceHold.unit_id.in_(select(Room.id).where(Room.venue_id.in_(venue_ids))),
            OccurrenceHold.held_from < window_end,
            OccurrenceHold.held_from > window_start - MAX_HOLD,
            OccurrenceHold.held_to > window_start,
        )
    )
    for unit_id, held_from, held_to in holds:
        held[str(unit_id)].append((held_from, held_to))
    closed: dict[tuple[UUID, UUID | None], list[Closure]] = defaultdict(list)
    closures = await session.execute(
        select(
            ClosureRow.venue_id,
            ClosureRow.room_id,
            ClosureRow.start_date,
            ClosureRow.end_date,
            ClosureRow.reason,
        ).where(
            ClosureRow.venue_id.in_(venue_ids), ClosureRow.end_date >= first, ClosureRow.start_date <= last
        )
    )
    for venue_id, room_id, start_date, end_date, reason in closures:
        closed[(venue_id, room_id)].append(Closure(start_date, end_date, reason))
    out: dict[UUID, RoomTime] = {}
    for room, venue in pairs:
        zone = ZoneInfo(venue.timezone)
        start = dt.datetime.combine(first, dt.time(0), zone)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), zone)
        try:
            units = atomic_units(str(room.id), parts_of[venue.id])
        except LinkedSpaceError:
            units = frozenset({str(room.id)})
        rules = [*closed[(venue.id, None)], *closed[(venue.id, room.id)]]
        if venue.bank_holidays_region:
            rules.extend(uk_bank_holiday_closures(first, last, subdiv=venue.bank_holidays_region))
        out[room.id] = RoomTime(
            hours=room_hours(room),
            closures=rules,
            busy=local_busy((i for u in units for i in held[u]), zone, start, end),
            buffer_before=dt.timedelta(minutes=room.buffer_before_minutes),
            buffer_after=dt.timedelta(minutes=room.buffer_after_minutes),
        )
    return out


async def directory(session: AsyncSession, wanted: DirectoryFilter) -> list[VenueEntry]:
    """Venues with their active rooms that match, by venue name then room size; venues with no
    matching room are left out."""
    query = (
        select(Room, Venue)
        .join(Venue, Venue.id == Room.venue_id)
        .where(Room.active.is_(True))
        .order_by(Venue.name, Venue.id, Room.capacity, Room.name)
    )
    if wanted.capacity is not None:
        query = query.where(Room.capacity >= wanted.capacity)
    pairs = [(room, venue) for room, venue in (await session.execute(query)).tuples() if wanted.fits(room)]
    times: dict[UUID, RoomTime] = {}
    if wanted.date is not None:
        times = await room_times(session, pairs, wanted.date, wanted.date)
    entries: dict[UUID, VenueEntry] = {}
    for room, venue in pairs:
        entry = RoomEntry(room)
        if wanted.date is not None:
            entry.time = times[room.id]
            entry.free = entry.time.free_ranges(wanted.date)
            if wanted.start is not None and wanted.end is not None:
                start = dt.datetime.combine(wanted.date, wanted.start)
                end = dt.datetime.combine(wanted.date, wanted.end)
                if not entry.time.slot_free(start, end):
                    continue
            elif not entry.free:
                continue
        entries.setdefault(venue.id, VenueEntry(venue)).rooms.append(entry)
    return list(entries.values())


async def public_room(session: AsyncSession, room_id: UUID) -> tuple[Room, Venue] | None:
    """An active room and its venue, or None."""
    found = (
        await session.execute(
            select(Room, Venue).join(Venue, Venue.id == Room.venue_id).where(Room.id == room_id)
        )
    ).first()
    if found is None or not found[0].active:
        return None
    return found[0], found[1]


async def linked_rooms(session: AsyncSession, room: Room) -> list[str]:
    """Names of the rooms this one is made of or part of (booking one takes the other)."""
    rows = await session.execute(
        select(Room.name)
        .join(RoomPart, or_(RoomPart.part_id == Room.id, RoomPart.room_id == Room.id))
        .where(or_(RoomPart.room_id == room.id, RoomPart.part_id == room.id), Room.id != room.id)
        .order_by(Room.name)
        .distinct()
    )
    return list(rows.scalars())


__all__ = [
    "DirectoryFilter",
    "RoomEntry",
    "VenueEntry",
    "directory",
    "linked_rooms",
    "public_room",
    "room_times",
]
