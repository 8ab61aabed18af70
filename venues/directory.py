"""The public directory's reads: rooms with what they offer, and when they are free.

However many rooms are shown, availability is read in a fixed number of statements: the rooms
with their venues, the linked-space parts of those venues, every hold on those venues' rooms in
the period, and their closures (bank holidays come from `venues.closures`, not the database).
`venues.room_days` then works out each room's days. No hirer detail is read: only when a room's
units are held.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.booking_queries import MAX_HOLD
from venues.closures import Closure, uk_bank_holiday_closures
from venues.linked_spaces import LinkedSpaceError, units_by_room
from venues.models import Closure as ClosureRow
from venues.models import OccurrenceHold, Room, RoomPart, Venue
from venues.opening_hours import OpeningHours
from venues.room_days import Interval, RoomTime, local_busy


class RoomLike(Protocol):
    """What availability and the filter read of a room (a `Room` or a `RoomCard`)."""

    @property
    def id(self) -> UUID: ...
    @property
    def capacity(self) -> int: ...
    @property
    def accessibility(self) -> list[str]: ...
    @property
    def facilities(self) -> list[str]: ...
    @property
    def opening_hours(self) -> dict[str, Any]: ...
    @property
    def buffer_before_minutes(self) -> int: ...
    @property
    def buffer_after_minutes(self) -> int: ...


class VenueLike(Protocol):
    @property
    def id(self) -> UUID: ...
    @property
    def timezone(self) -> str: ...
    @property
    def bank_holidays_region(self) -> str | None: ...


@dataclass(frozen=True)
class RoomCard:
    """A room as the directory lists it: read as plain columns, not as an ORM object, because
    the list holds every room of every venue and building objects cost more than the reads."""

    id: UUID
    name: str
    capacity: int
    accessibility: list[str]
    facilities: list[str]
    layouts: dict[str, int]
    opening_hours: dict[str, Any]
    buffer_before_minutes: int
    buffer_after_minutes: int
    parsed_hours: OpeningHours | None = None


@dataclass(frozen=True)
class VenueCard:
    id: UUID
    name: str
    address: str
    owner_name: str
    directions: str | None
    timezone: str
    bank_holidays_region: str | None


_ROOM_COLUMNS = (
    Room.id,
    Room.name,
    Room.capacity,
    # JSON read as text and decoded through `_decoded`: most rooms share a few values ("[]",
    # the usual opening hours), so each distinct text is decoded once, not once per room.
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
    time: RoomTime | None = None  # read only when a date was asked for
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


def room_hours(room: RoomLike) -> OpeningHours | None:
    if isinstance(room, RoomCard):
        return room.parsed_hours
    if not room.opening_hours:
        return None
    return _parsed_hours(json.dumps(room.opening_hours, sort_keys=True))


@functools.lru_cache(maxsize=512)
def _parsed_hours(canonical: str) -> OpeningHours:
    # Most rooms share a handful of timetables: parse each once, not once per room per request.
    return OpeningHours.parse(json.loads(canonical))


@functools.lru_cache(maxsize=4096)
def _decoded(raw: str | None) -> Any:
    """A JSON column's value from its text; shared between rooms, so never to be changed."""
    return json.loads(raw) if raw else None


def _card(row: Sequence[Any]) -> RoomCard:
    room_id, name, capacity, access, facilities, layouts, hours, before, after = row
    opening = _decoded(hours)
    return RoomCard(
        room_id,
        name,
        capacity,
        _decoded(access) or [],
        _decoded(facilities) or [],
        _decoded(layouts) or {},
        opening or {},
        before,
        after,
        _parsed_hours(hours) if opening else None,
    )


async def room_times(
    session: AsyncSession, pairs: Sequence[tuple[RoomLike, VenueLike]], first: dt.date, last: dt.date
) -> dict[UUID, RoomTime]:
    """Each room's time from `first` to `last` (local dates, inclusive), in three statements."""
    if not pairs:
        return {}
    venue_ids = sorted({venue.id for _, venue in pairs})
    zones = {venue.timezone for _, venue in pairs}
    # From the earliest local midnight to the latest among the venues' time zones.
    window_start = min(dt.datetime.combine(first, dt.time(0), ZoneInfo(z)) for z in zones)
    window_end = max(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), ZoneInfo(z)) for z in zones)
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
    per_venue: dict[
        UUID, tuple[ZoneInfo, dt.datetime, dt.datetime, list[Closure], dict[str, frozenset[str]]]
    ] = {}
    for room, venue in pairs:
        if venue.id not in per_venue:
            # What every room of a venue shares is worked out once per venue, not per room.
            zone = ZoneInfo(venue.timezone)
            rules = list(closed[(venue.id, None)])
            if venue.bank_holidays_region:
                rules.extend(uk_bank_holiday_closures(first, last, subdiv=venue.bank_holidays_region))
            try:
                units_of = units_by_room(parts_of[venue.id])
            except LinkedSpaceError:
                units_of = {}
            per_venue[venue.id] = (
                zone,
                dt.datetime.combine(first, dt.time(0), zone),
                dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), zone),
                rules,
                units_of,
            )
        zone, start, end, rules, units_of = per_venue[venue.id]
        key = str(room.id)
        units = units_of.get(key) or frozenset({key})
        room_rules = closed.get((venue.id, room.id))
        out[room.id] = RoomTime(
            hours=room_hours(room),
            closures=[*rules, *room_rules] if room_rules else rules,
            busy=local_busy([i for u in units for i in held.get(u, ())], zone, start, end),
            buffer_before=dt.timedelta(minutes=room.buffer_before_minutes),
            buffer_after=dt.timedelta(minutes=room.buffer_after_minutes),
        )
    return out


async def directory(session: AsyncSession, wanted: DirectoryFilter) -> list[VenueEntry]:
    """Venues with their active rooms that match, by venue name then room size; venues with no
    matching room are left out."""
    query = (
        select(*_ROOM_COLUMNS, *_VENUE_COLUMNS)
        .join(Venue, Venue.id == Room.venue_id)
        .where(Room.active.is_(True))
        .order_by(Venue.name, Venue.id, Room.capacity, Room.name)
    )
    if wanted.capacity is not None:
        query = query.where(Room.capacity >= wanted.capacity)
    split = len(_ROOM_COLUMNS)
    venues: dict[UUID, VenueCard] = {}
    pairs: list[tuple[RoomCard, VenueCard]] = []
    for row in await session.execute(query):
        room = _card(row[:split])
        if not wanted.fits(room):
            continue
        venue = venues.get(row[split]) or venues.setdefault(row[split], VenueCard(*row[split:]))
        pairs.append((room, venue))
    times: dict[UUID, RoomTime] = {}
    if wanted.date is not None:
        times = await room_times(session, pairs, wanted.date, wanted.date)
    entries: dict[UUID, VenueEntry] = {}
    for room, venue in pairs:
        entry = RoomEntry(room)
        if wanted.date is not None:
            entry.time, entry.day = times[room.id], wanted.date
            if wanted.start is not None and wanted.end is not None:
                start = dt.datetime.combine(wanted.date, wanted.start)
                end = dt.datetime.combine(wanted.date, wanted.end)
                if not entry.time.slot_free(start, end):
                    continue
            elif entry.time.state(wanted.date) in ("closed", "booked"):
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
    "RoomCard",
    "RoomEntry",
    "VenueCard",
    "VenueEntry",
    "directory",
    "linked_rooms",
    "public_room",
    "room_times",
]
