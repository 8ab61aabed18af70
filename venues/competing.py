"""Competing requests: pending cases that want a slot another booking holds or asks for.

Requests waiting for a decision compete for a slot but hold none; when one is approved, the
others' overlapping dates are marked ``conflicting`` and officers see who competes with whom.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.booking_queries import MAX_HOLD, held_overlapping, occurrences, slots_for
from venues.conflicts import ProposedSlot
from venues.linked_spaces import atomic_units
from venues.models import Booking, Occurrence, Room
from venues.recurrence import MAX_DURATION
from venues.venue_service import parts_map
from vetting.lifecycle import OPEN_STATUSES
from vetting.models import VettingCase

PENDING_STATUSES = OPEN_STATUSES


async def pending_overlapping(
    session: AsyncSession, slots: Sequence[ProposedSlot], exclude_booking: UUID
) -> list[tuple[Occurrence, Booking]]:
    """Requested occurrences of cases still under review that would overlap `slots`.

    Only rooms of the venues the slots' units belong to can share a unit with them (linked spaces
    never cross venues), so the read is limited to those rooms: a year-long series otherwise read
    every pending date of every venue in its year, and the case page took seconds at scale.
    """
    if not slots:
        return []
    lo = min(s.start for s in slots) - MAX_HOLD
    hi = max(s.end for s in slots) + MAX_HOLD
    unit_ids = sorted({UUID(u) for s in slots for u in s.units})
    venues = select(Room.venue_id).where(Room.id.in_(unit_ids)).scalar_subquery()
    # The rooms by name, read first: with them as a subquery PostgreSQL read every pending date of
    # every venue in the window and kept the venue's afterwards (87 ms for a year-long series at
    # ten years of data, bench/scale.py); as a list it reads the dates of those rooms (11 ms).
    rooms = list((await session.execute(select(Room.id).where(Room.venue_id.in_(venues)))).scalars())
    rows = await session.execute(
        select(Occurrence, Booking, Room)
        .join(Booking, Booking.id == Occurrence.booking_id)
        .join(Room, Room.id == Booking.room_id)
        .join(VettingCase, VettingCase.id == Booking.case_id)
        .where(
            Occurrence.room_id.in_(rooms),
            Booking.room_id.in_(rooms),
            Booking.id != exclude_booking,
            VettingCase.status.in_(PENDING_STATUSES),
            Occurrence.status.in_(("requested", "conflicting")),
            Occurrence.start_utc < hi,
            Occurrence.end_utc > lo,
            # Implied by the line above (no date is longer than MAX_DURATION), but it bounds the
            # start index from below: without it PostgreSQL drove the read from every pending case
            # of the organisation, which grows with the years kept.
            Occurrence.start_utc > lo - MAX_DURATION,
        )
    )
    found: list[tuple[Occurrence, Booking]] = []
    parts: dict[UUID, dict[str, list[str]]] = {}
    for occ, booking, room in rows:
        if room.venue_id not in parts:
            parts[room.venue_id] = await parts_map(session, room.venue_id)
        units = atomic_units(str(room.id), parts[room.venue_id])
        start = occ.start_utc - dt.timedelta(minutes=room.buffer_before_minutes)
        end = occ.end_utc + dt.timedelta(minutes=room.buffer_after_minutes)
        if any(s.units & units and s.start < end and start < s.end for s in slots):
            found.append((occ, booking))
    return found


async def mark_competitors(session: AsyncSession, slots: Sequence[ProposedSlot], booking_id: UUID) -> None:
    for occ, _booking in await pending_overlapping(session, slots, booking_id):
        occ.status = "conflicting"
    await session.flush()


async def free_competitors(session: AsyncSession, freed: Sequence[ProposedSlot], booking_id: UUID) -> None:
    """Pending dates marked conflicting with slots just given up (a date cancelled or moved): each
    that no hold overlaps any more asks for its slot again, so its officer sees the time free."""
    for occ, other in await pending_overlapping(session, freed, booking_id):
        if occ.status != "conflicting":
            continue
        room = await session.get(Room, other.room_id)
        assert room is not None
        if not await held_overlapping(session, await slots_for(session, room, [occ])):
            occ.status = "requested"
    await session.flush()


async def competing(session: AsyncSession, booking: Booking) -> list[dict[str, object]]:
    """Other pending requests that want any of this booking's slots (for officers)."""
    room = await session.get(Room, booking.room_id)
    assert room is not None
    occs = [o for o in await occurrences(session, booking.id) if o.status in ("requested", "conflicting")]
    slots = await slots_for(session, room, occs)
    by_case: dict[UUID, list[str]] = {}
    for occ, other in await pending_overlapping(session, slots, booking.id):
        by_case.setdefault(other.case_id, []).append(occ.local_start.isoformat(timespec="minutes"))
    out: list[dict[str, object]] = []
    for case_id, dates in by_case.items():
        case = await session.get(VettingCase, case_id)
        assert case is not None
        out.append({"case_id": str(case_id), "reference": case.reference, "dates": sorted(dates)})
    return out
