"""The public directory's reads: rooms with what they offer, and when they are free.

However many rooms are shown, availability is read in a fixed number of statements: the rooms
with their venues, then (`venues.room_time_reads`) the linked-space parts of those venues, the
holds on those venues' rooms in the period and their closures (bank holidays come from
`venues.closures`, not the database). `venues.room_days` then works out each room's days. No
hirer detail is read: only when a room's units are held.

A search by date and time asks one thing of every room, whether that slot is free, and reads
only the holds near the slot (`free_for_slot`); the free stretches of the date are then read in
full for the rooms a page shows (`with_day_times`), not for every room that matched.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.driver_ids import id_key, raw_id
from venues.models import Room, RoomPart, Venue
from venues.room_cards import RoomCard, RoomLike, VenueCard, VenueLike, room_card, room_hours
from venues.room_days import Interval, RoomTime
from venues.room_time_reads import free_for_slot, room_times

_ROOM_COLUMNS = (
    raw_id(Room.id),
    Room.name,
    Room.capacity,
    # JSON read as text and decoded once per distinct text (`venues.room_cards`).
    cast(Room.accessibility, String),
    cast(Room.facilities, String),
    cast(Room.layouts, String),
    cast(Room.opening_hours, String),
    Room.buffer_before_minutes,
    Room.buffer_after_minutes,
)
_VENUE_COLUMNS = (
    Venue.id,
    Venue.name,
    Venue.address,
    Venue.owner_name,
    Venue.directions,
    Venue.timezone,
    Venue.bank_holidays_region,
    Venue.rate_card_id,
)


@dataclass(frozen=True)
class DirectoryFilter:
    """What a hirer narrows the directory by; every part optional."""

    capacity: int | None = None
    facilities: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None

    def fits(self, room: RoomLike) -> bool:
        """The parts of the filter that do not depend on time."""
        return (
            (self.capacity is None or room.capacity >= self.capacity)
            and set(self.facilities) <= set(room.facilities or ())
            and set(self.access) <= set(room.accessibility or ())
        )


@dataclass
class RoomEntry:
    room: RoomCard
    time: RoomTime | None = None  # the date's time, when a date was asked for (`with_day_times`)
    day: dt.date | None = None

    @property
    def free(self) -> list[Interval]:
        """The date's free stretches, worked out only for the rooms a page shows."""
        if self.time is None or self.day is None:
            return []
        return self.time.free_ranges(self.day)


@dataclass
class VenueEntry:
    venue: VenueCard
    rooms: list[RoomEntry] = field(default_factory=list)


async def directory(session: AsyncSession, wanted: DirectoryFilter) -> list[VenueEntry]:
    """Venues with their active rooms that match, by venue name then room size; venues with no
    matching room are left out. With a date alone each room carries that date's time; with a
    date and times, only the answer (call `with_day_times` for the rooms to be shown)."""
    # Rooms and venues in two statements rather than joined: joined, each venue's columns came
    # once per room, and reading them cost more than the rooms. Both are sorted by the database
    # (its collation names the order), the rooms then grouped under their venues in Python.
    rooms = select(*_ROOM_COLUMNS, raw_id(Room.venue_id)).where(Room.active.is_(True))
    if wanted.capacity is not None:
        rooms = rooms.where(Room.capacity >= wanted.capacity)
    rooms_of: dict[str, list[RoomCard]] = defaultdict(list)
    split = len(_ROOM_COLUMNS)
    for row in await session.execute(rooms.order_by(Room.capacity, Room.name)):
        room = room_card(row[:split])
        if wanted.fits(room):
            rooms_of[id_key(row[split])].append(room)
    pairs: list[tuple[RoomCard, VenueCard]] = []
    # The venues with a room of the size asked for: a statement, not a list of their ids, lest
    # hundreds of ids be sent with each read that follows.
    scope = rooms.with_only_columns(Room.venue_id)
    if rooms_of:
        venues = select(*_VENUE_COLUMNS).where(Venue.id.in_(scope))
        for row in await session.execute(venues.order_by(Venue.name, Venue.id)):
            venue = VenueCard(*row)
            pairs.extend((room, venue) for room in rooms_of.get(id_key(venue.id), ()))
    day = wanted.date
    if day is not None and wanted.start is not None and wanted.end is not None:
        free = await free_for_slot(session, pairs, day, wanted.start, wanted.end, scope)
        pairs = [(room, venue) for room, venue in pairs if room.id in free]
        return _grouped(pairs, {}, None)
    if day is not None:
        times = await room_times(session, pairs, day, day, scope)
        pairs = [(r, v) for r, v in pairs if times[r.id].state(day) not in ("closed", "booked")]
        return _grouped(pairs, times, day)
    return _grouped(pairs, {}, None)


def _grouped(
    pairs: Sequence[tuple[RoomCard, VenueCard]], times: dict[UUID, RoomTime], day: dt.date | None
) -> list[VenueEntry]:
    entries: dict[UUID, VenueEntry] = {}
    for room, venue in pairs:
        entry = RoomEntry(room, times.get(room.id), day if room.id in times else None)
        entries.setdefault(venue.id, VenueEntry(venue)).rooms.append(entry)
    return list(entries.values())


async def with_day_times(session: AsyncSession, entries: Sequence[VenueEntry], day: dt.date) -> None:
    """Give the rooms of these entries (a page of results) their time on `day`, where they do
    not have it yet: three statements for the page, however many rooms matched."""
    missing = [(r, e.venue) for e in entries for r in e.rooms if r.time is None]
    times = await room_times(session, [(r.room, venue) for r, venue in missing], day, day)
    for entry, _ in missing:
        entry.time, entry.day = times[entry.room.id], day


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
    "RoomCard",
    "RoomEntry",
    "RoomLike",
    "VenueCard",
    "VenueEntry",
    "VenueLike",
    "directory",
    "linked_rooms",
    "public_room",
    "room_hours",
    "room_times",
    "with_day_times",
]
