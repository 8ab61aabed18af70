"""Many rooms' time, read at once: the linked-space parts of their venues, the holds on those
venues' rooms in a period, and their closures, in three statements however many rooms.

`room_times` gives each room's whole days (the month calendar, a date's free stretches).
`free_for_slot` answers one question for every room, whether a slot on one date could be asked
for, and reads only the holds that could touch that slot: on a busy day most holds are hours away
from the slot searched, and reading them (rows, ids, instants) was most of the directory's time.
Both build the same `RoomTime` from what they read and decide with its rules, so they cannot
disagree: a hold left unread could not have blocked the slot (see `_slot_window`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.booking_queries import MAX_HOLD
from venues.closures import Closure, uk_bank_holiday_closures
from venues.driver_ids import id_key, raw_id
from venues.linked_spaces import LinkedSpaceError, units_by_room
from venues.models import Closure as ClosureRow
from venues.models import OccurrenceHold, Room, RoomPart
from venues.room_cards import RoomLike, VenueLike, room_hours, room_key
from venues.room_days import Interval, RoomTime, local_busy

# More than any change of UTC offset within one day (an hour in the UK, two at most in the time
# zone database): a hold this far from a slot in UTC is further from it on the local clock too.
_OFFSET_MARGIN = dt.timedelta(hours=3)


@dataclass
class _Read:
    """What the three statements found, keyed by `id_key` for the rooms' look-ups."""

    parts_of: dict[str, dict[str, list[str]]]
    held: dict[str, list[Interval]]
    closed: dict[tuple[str, str | None], list[Closure]]


def _day_bounds(zones: set[str], first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the earliest local midnight starting `first` to the latest ending `last`."""
    start = min(dt.datetime.combine(first, dt.time(0), ZoneInfo(z)) for z in zones)
    end = max(dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), ZoneInfo(z)) for z in zones)
    return start, end


def _slot_window(
    zones: set[str], day: dt.date, start: dt.time, end: dt.time, widest_buffer: dt.timedelta
) -> tuple[dt.datetime, dt.datetime]:
    """The instants a hold must reach into to matter to the slot in any of these zones.

    A hold blocks a slot when it comes within the room's buffers of it on the local clock
    (`RoomTime.blocked`); a hold further than the widest buffer plus `_OFFSET_MARGIN` from the
    slot in UTC is further than the buffer on the local clock, whatever the offset does that day.
    The window never reaches past the day, as the day's reads are cut to the day too.
    """
    day_start, day_end = _day_bounds(zones, day, day)
    pad = widest_buffer + _OFFSET_MARGIN
    slot_start = min(dt.datetime.combine(day, start, ZoneInfo(z)) for z in zones) - pad
    slot_end = max(dt.datetime.combine(day, end, ZoneInfo(z)) for z in zones) + pad
    return max(day_start, slot_start), min(day_end, slot_end)


async def _read(
    session: AsyncSession,
    venue_ids: Sequence[UUID] | Select[tuple[UUID]],
    first: dt.date,
    last: dt.date,
    window: tuple[dt.datetime, dt.datetime],
) -> _Read:
    window_start, window_end = window
    parts_of: dict[str, dict[str, list[str]]] = defaultdict(dict)
    parts = await session.execute(
        select(raw_id(Room.venue_id), raw_id(RoomPart.room_id), raw_id(RoomPart.part_id))
        .join(Room, Room.id == RoomPart.room_id)
        .where(Room.venue_id.in_(venue_ids))
    )
    for venue_id, room_id, part_id in parts:
        parts_of[id_key(venue_id)].setdefault(id_key(room_id), []).append(id_key(part_id))
    held: dict[str, list[Interval]] = defaultdict(list)
    holds = await session.execute(
        select(raw_id(OccurrenceHold.unit_id), OccurrenceHold.held_from, OccurrenceHold.held_to).where(
            OccurrenceHold.unit_id.in_(select(Room.id).where(Room.venue_id.in_(venue_ids))),
            OccurrenceHold.held_from < window_end,
            OccurrenceHold.held_from > window_start - MAX_HOLD,
            OccurrenceHold.held_to > window_start,
        )
    )
    for unit_id, held_from, held_to in holds:
        held[id_key(unit_id)].append((held_from, held_to))
    closed: dict[tuple[str, str | None], list[Closure]] = defaultdict(list)
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
        key = (id_key(venue_id), id_key(room_id) if room_id is not None else None)
        closed[key].append(Closure(start_date, end_date, reason))
    return _Read(parts_of, held, closed)


@dataclass(frozen=True)
class _VenueDays:
    """What every room of a venue shares, worked out once per venue rather than per room."""

    key: str
    zone: ZoneInfo
    start: dt.datetime  # the first local midnight, aware
    end: dt.datetime  # the local midnight after the last day, aware
    rules: list[Closure]  # the venue's closures and bank holidays
    units_of: dict[str, frozenset[str]]


class _Builder:
    """Builds each room's `RoomTime` from one `_Read`, sharing what rooms have in common: a
    venue's days, the busy time of one set of units (a part and its rooms), buffers."""

    def __init__(self, read: _Read, first: dt.date, last: dt.date) -> None:
        self.read, self.first, self.last = read, first, last
        self.venues: dict[UUID, _VenueDays] = {}
        self.busy: dict[tuple[str, tuple[str, ...] | frozenset[str]], list[Interval]] = {}
        self.minutes: dict[int, dt.timedelta] = {}

    def venue(self, venue: VenueLike) -> _VenueDays:
        found = self.venues.get(venue.id)
        if found is None:
            key = id_key(venue.id)
            zone = ZoneInfo(venue.timezone)
            rules = list(self.read.closed.get((key, None), ()))
            if venue.bank_holidays_region:
                region = venue.bank_holidays_region
                rules.extend(uk_bank_holiday_closures(self.first, self.last, subdiv=region))
            try:
                units_of = units_by_room(self.read.parts_of.get(key, {}))
            except LinkedSpaceError:
                units_of = {}
            found = self.venues[venue.id] = _VenueDays(
                key,
                zone,
                dt.datetime.combine(self.first, dt.time(0), zone),
                dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(0), zone),
                rules,
                units_of,
            )
        return found

    def own_closures(self, days: _VenueDays, room_key: str) -> list[Closure] | None:
        return self.read.closed.get((days.key, room_key))

    def busy_of(self, days: _VenueDays, room_key: str) -> list[Interval]:
        """Local busy time of the room's units, merged; shared by rooms of the same units."""
        units = days.units_of.get(room_key) or (room_key,)
        memo = (days.key, units)
        found = self.busy.get(memo)
        if found is None:
            held = [i for u in units for i in self.read.held.get(u, ())]
            found = self.busy[memo] = local_busy(held, days.zone, days.start, days.end) if held else []
        return found

    def _timedelta(self, minutes: int) -> dt.timedelta:
        found = self.minutes.get(minutes)
        if found is None:
            found = self.minutes[minutes] = dt.timedelta(minutes=minutes)
        return found

    def time(self, room: RoomLike, venue: VenueLike) -> RoomTime:
        days = self.venue(venue)
        key = room_key(room)
        room_rules = self.own_closures(days, key)
        return RoomTime(
            hours=room_hours(room),
            closures=[*days.rules, *room_rules] if room_rules else days.rules,
            busy=self.busy_of(days, key),
            buffer_before=self._timedelta(room.buffer_before_minutes),
            buffer_after=self._timedelta(room.buffer_after_minutes),
        )


async def room_times(
    session: AsyncSession,
    pairs: Sequence[tuple[RoomLike, VenueLike]],
    first: dt.date,
    last: dt.date,
    venues: Select[tuple[UUID]] | None = None,
) -> dict[UUID, RoomTime]:
    """Each room's time from `first` to `last` (local dates, inclusive), in three statements.
    `venues`: a statement selecting (at least) the rooms' venues, to send instead of their ids."""
    if not pairs:
        return {}
    venue_ids = venues if venues is not None else sorted({venue.id for _, venue in pairs})
    window = _day_bounds({venue.timezone for _, venue in pairs}, first, last)
    build = _Builder(await _read(session, venue_ids, first, last, window), first, last)
    return {room.id: build.time(room, venue) for room, venue in pairs}


async def free_for_slot(
    session: AsyncSession,
    pairs: Sequence[tuple[RoomLike, VenueLike]],
    day: dt.date,
    start: dt.time,
    end: dt.time,
    venues: Select[tuple[UUID]] | None = None,
) -> set[UUID]:
    """The rooms that could be asked for from `start` to `end` on `day` (local), exactly as
    `room_times(...)[id].slot_free(...)` would say, reading only the holds near the slot."""
    if not pairs:
        return set()
    venue_ids = venues if venues is not None else sorted({venue.id for _, venue in pairs})
    widest = max(max(r.buffer_before_minutes, r.buffer_after_minutes) for r, _ in pairs)
    window = _slot_window(
        {venue.timezone for _, venue in pairs}, day, start, end, dt.timedelta(minutes=widest)
    )
    build = _Builder(await _read(session, venue_ids, day, day, window), day, day)
    slot_start, slot_end = dt.datetime.combine(day, start), dt.datetime.combine(day, end)
    if slot_end <= slot_start:
        return set()
    fits: dict[int, bool] = {}  # by parsed opening hours, which rooms share (`room_hours`)
    venue_open: dict[UUID, bool] = {}
    free: set[UUID] = set()
    for room, venue in pairs:
        # `slot_free` holds when the hours fit, no closure covers the date and no busy time comes
        # near. The hours and the venue's closures are asked once for all the rooms sharing
        # them; a room with neither closures nor busy time of its own needs nothing more.
        hours = room_hours(room)
        if hours is not None:
            fit = fits.get(id(hours))
            if fit is None:
                fit = fits[id(hours)] = hours.fits(slot_start, slot_end)
            if not fit:
                continue
        days = build.venue(venue)
        is_open = venue_open.get(venue.id)
        if is_open is None:
            is_open = venue_open[venue.id] = RoomTime(None, days.rules, []).slot_free(slot_start, slot_end)
        if not is_open:
            continue
        key = room_key(room)
        plain = build.own_closures(days, key) is None and not build.busy_of(days, key)
        if plain or build.time(room, venue).slot_free(slot_start, slot_end):
            free.add(room.id)
    return free


__all__ = ["free_for_slot", "room_times"]
