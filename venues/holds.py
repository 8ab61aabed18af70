"""Holding slots: the only way a slot becomes unavailable to others, and giving slots up.

Holding runs inside the caller's transaction: on SQLite every transaction starts with BEGIN
IMMEDIATE, so the check below and the insert that follows cannot interleave with another
writer; on PostgreSQL the exclusion constraint on `occurrence_hold` refuses an overlapping
insert even if two checks race.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import delete, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from venues.availability import conflict_problems, find_conflicts
from venues.booking_plan import problems_to_conflict
from venues.booking_queries import held_overlapping, occurrences, room_units, slots_for, utcnow
from venues.competing import free_competitors, mark_competitors
from venues.models import Booking, Occurrence, OccurrenceHold, Room
from vetting.errors import Conflict, NotFound


async def touch(session: AsyncSession, booking: Booking, now: dt.datetime | None) -> None:
    """Record a change calendars must pick up (a new SEQUENCE and LAST-MODIFIED)."""
    booking.sequence += 1
    booking.changed_at = now or utcnow()
    await session.flush()


async def lock_units(session: AsyncSession, units: Iterable[str]) -> None:
    """On PostgreSQL, queue writers of the same spaces one behind another.

    Transaction-scoped advisory locks taken in a fixed order make concurrent approvals of
    overlapping spaces wait for each other instead of deadlocking inside the exclusion
    constraint; the check that follows then sees the winner's committed holds. SQLite needs
    nothing here: BEGIN IMMEDIATE already serialises writers.
    """
    bind = session.bind
    if bind is None or bind.dialect.name != "postgresql":
        return
    for unit in sorted(units):
        key = int(UUID(unit).hex[:16], 16) - 2**63
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def hold(session: AsyncSession, booking: Booking, *, now: dt.datetime | None = None) -> None:
    """Make every live occurrence of the booking hold its slot, or raise Conflict and hold none."""
    room = await session.get(Room, booking.room_id)
    assert room is not None
    occs = [o for o in await occurrences(session, booking.id) if o.status in ("requested", "conflicting")]
    slots = await slots_for(session, room, occs)
    await lock_units(session, await room_units(session, room))
    conflicts = find_conflicts(slots, await held_overlapping(session, slots))
    if conflicts:
        raise problems_to_conflict(conflict_problems(conflicts))
    by_seq = {o.seq: o for o in occs}
    for slot in slots:
        for unit in slot.units:
            session.add(
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
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("some dates were booked by someone else a moment ago", []) from exc
    for occ in occs:
        occ.status = "held"
    await touch(session, booking, now)
    await mark_competitors(session, slots, booking.id)


async def release(
    session: AsyncSession, booking: Booking, *, status: str = "released", now: dt.datetime | None = None
) -> None:
    """Give up every slot of the booking (refusal, withdrawal, cancellation); pending requests that
    were waiting on the slots it held see them free."""
    occs = await occurrences(session, booking.id)
    ids = [o.id for o in occs]
    held = [o for o in occs if o.status == "held"]
    freed = await slots_for(session, await _room(session, booking), held) if held else []
    if ids:
        await session.execute(delete(OccurrenceHold).where(OccurrenceHold.occurrence_id.in_(ids)))
    for o in occs:
        if o.status != "cancelled":
            o.status = status
    await touch(session, booking, now)
    await free_competitors(session, freed, booking.id)


async def _room(session: AsyncSession, booking: Booking) -> Room:
    room = await session.get(Room, booking.room_id)
    assert room is not None
    return room


async def cancel_occurrence(
    session: AsyncSession, booking: Booking, occurrence_id: UUID, *, now: dt.datetime | None = None
) -> None:
    """Cancel one date of the series and give up its slot."""
    occ = await session.get(Occurrence, occurrence_id)
    if occ is None or occ.booking_id != booking.id:
        raise NotFound("no such date in this booking")
    if occ.status == "cancelled":
        raise Conflict("this date is already cancelled")
    freed = await slots_for(session, await _room(session, booking), [occ]) if occ.status == "held" else []
    await session.execute(delete(OccurrenceHold).where(OccurrenceHold.occurrence_id == occ.id))
    occ.status = "cancelled"
    await touch(session, booking, now)
    await free_competitors(session, freed, booking.id)
