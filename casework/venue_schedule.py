"""What is on at a venue over a few days, for the venue manager's room grid and the caretaker's
day sheet: every date of a confirmed booking, of an approved one waiting for the hirer to accept
the conditions, and of a request still waiting for a decision.

A fixed number of statements whatever the number of rooms or bookings (the venue, its rooms, the
parts linking them, its closures, and one joined read of the dates with their case and conditions). Managers
see only the venues they look after; officers and administrators see their organisation's (the
session's scope narrows every statement). Screening detail is never read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.closures import uk_bank_holiday_closures
from venues.models import Booking, Closure, Occurrence, Room, RoomPart, Venue
from venues.opening_hours import OpeningHours, OpeningHoursError
from vetting.actors import Actor
from vetting.errors import NotFound
from vetting.lifecycle import HOLDING_STATUSES, OPEN_STATUSES, CaseStatus
from vetting.models import Decision, VettingCase

# What a grid says about a date: the text label is shown with every colour.
STATE_LABELS = {
    "confirmed": "Confirmed",
    "awaiting_acceptance": "Approved: hirer to accept conditions",
    "pending": "Request: not yet decided",
}


@dataclass(frozen=True)
class ScheduleEntry:
    occurrence_id: UUID
    case_id: UUID
    reference: str
    room_id: UUID
    room_name: str
    start: dt.datetime  # the venue's wall-clock time
    end: dt.datetime
    set_up_from: dt.datetime  # the room's buffer before and after: set-up and clear-down
    clear_by: dt.datetime
    state: str  # confirmed, awaiting_acceptance or pending
    organisation: str
    title: str
    attendance: int | None
    contact_name: str
    contact_phone: str
    conditions: tuple[str, ...] = ()
    # Set on a copy shown in a linked room's column: the room actually booked.
    via: str | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def holds_room(self) -> bool:
        return self.state != "pending"


@dataclass
class VenueSchedule:
    venue: Venue
    rooms: list[Room]
    first_day: dt.date
    last_day: dt.date
    entries: list[ScheduleEntry] = field(default_factory=list)
    # (first day, last day, room or None for the whole venue, reason), bank holidays included.
    closures: list[tuple[dt.date, dt.date, UUID | None, str]] = field(default_factory=list)

    def closed_because(self, room: Room, day: dt.date) -> str | None:
        """Why the room is shut all day (a closure, or no opening hours that weekday), or None."""
        for first, last, room_id, reason in self.closures:
            if first <= day <= last and room_id in (None, room.id):
                return f"Closed: {reason}"
        if room.opening_hours:
            try:
                hours = OpeningHours.parse(room.opening_hours)
            except OpeningHoursError:
                return None
            if not hours.days[day.weekday()]:
                return f"Closed on {day:%A}s"
        return None

    def on(self, day: dt.date, room_id: UUID | None = None) -> list[ScheduleEntry]:
        return [
            e for e in self.entries if e.start.date() == day and (room_id is None or e.room_id == room_id)
        ]


def _state(case_status: str) -> str:
    if case_status == CaseStatus.CONFIRMED:
        return "confirmed"
    if case_status == CaseStatus.AWAITING_ACCEPTANCE:
        return "awaiting_acceptance"
    return "pending"


async def venue_for(session: AsyncSession, actor: Actor, venue_id: UUID) -> Venue:
    """The venue if this member of staff may see its schedule; otherwise missing (404), the same
    answer another organisation's venue gets."""
    if actor.role == "venue_manager" and venue_id not in actor.venue_ids:
        raise NotFound("no such venue")
    venue = (await session.execute(select(Venue).where(Venue.id == venue_id))).scalar_one_or_none()
    if venue is None or not actor.is_staff:
        raise NotFound("no such venue")
    return venue


def _entries_query(venue_id: UUID, first: dt.date, last: dt.date) -> Any:
    approval = and_(
        Decision.case_id == VettingCase.id,
        Decision.effective.is_(True),
        Decision.outcome == "approve",
    )
    return (
        select(
            Occurrence.id,
            Occurrence.local_start,
            Occurrence.local_end,
            Room.id,
            Room.name,
            Room.buffer_before_minutes,
            Room.buffer_after_minutes,
            VettingCase.id,
            VettingCase.reference,
            VettingCase.status,
            VettingCase.organisation_name,
            VettingCase.event,
            VettingCase.contact,
            Decision.conditions,
        )
        .join(Booking, Booking.id == Occurrence.booking_id)
        .join(Room, Room.id == Booking.room_id)
        .join(VettingCase, VettingCase.id == Booking.case_id)
        .outerjoin(Decision, approval)
        .where(
            Room.venue_id == venue_id,
            Occurrence.local_start >= dt.datetime.combine(first, dt.time(0)),
            Occurrence.local_start < dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0)),
            or_(
                and_(Occurrence.status == "held", VettingCase.status.in_(HOLDING_STATUSES)),
                and_(
                    Occurrence.status.in_(("requested", "conflicting")),
                    VettingCase.status.in_(OPEN_STATUSES),
                ),
            ),
        )
        # The latest approval last, so it is the one kept when an appeal varied the conditions.
        .order_by(Occurrence.local_start, Room.name, Decision.decided_at)
    )


def _linked_copies(
    entries: list[ScheduleEntry], rooms: list[Room], parts: list[tuple[UUID, UUID]]
) -> list[ScheduleEntry]:
    """A booking of the whole hall shows in its parts' columns, and a part's in the whole's:
    the caretaker must not set out a room that is in use through another."""
    names = {r.id: r.name for r in rooms}
    linked: dict[UUID, set[UUID]] = {}
    for whole, part in parts:
        linked.setdefault(whole, set()).add(part)
        linked.setdefault(part, set()).add(whole)
    copies = []
    for e in entries:
        if not e.holds_room:
            continue
        for other in sorted(linked.get(e.room_id, ()), key=lambda r: names.get(r, "")):
            if other in names:
                copies.append(replace(e, room_id=other, room_name=names[other], via=e.room_name))
    return copies


async def venue_schedule(
    session: AsyncSession, actor: Actor, venue_id: UUID, first: dt.date, last: dt.date
) -> VenueSchedule:
    venue = await venue_for(session, actor, venue_id)
    rooms = list(
        (
            await session.execute(
                select(Room).where(Room.venue_id == venue.id, Room.active.is_(True)).order_by(Room.name)
            )
        ).scalars()
    )
    room_ids = [r.id for r in rooms]
    parts = [
        (row.room_id, row.part_id)
        for row in (
            await session.execute(
                select(RoomPart.room_id, RoomPart.part_id).where(RoomPart.room_id.in_(room_ids))
            )
        ).all()
    ]
    found: dict[UUID, ScheduleEntry] = {}
    for row in (await session.execute(_entries_query(venue.id, first, last))).all():
        (occ_id, start, end, room_id, room_name, before, after, case_id, reference, status, org) = row[:11]
        event, contact, conditions = row[11], row[12] or {}, row[13] or []
        found[occ_id] = ScheduleEntry(
            occurrence_id=occ_id,
            case_id=case_id,
            reference=reference,
            room_id=room_id,
            room_name=room_name,
            start=start,
            end=end,
            set_up_from=start - dt.timedelta(minutes=before or 0),
            clear_by=end + dt.timedelta(minutes=after or 0),
            state=_state(status),
            organisation=org,
            title=str(event.get("title") or ""),
            attendance=event.get("expected_attendance"),
            contact_name=str(contact.get("name") or ""),
            contact_phone=str(contact.get("phone") or ""),
            conditions=tuple(str(c.get("text") or "") for c in conditions if c.get("text")),
        )
    closures: list[tuple[dt.date, dt.date, UUID | None, str]] = [
        (row.start_date, row.end_date, row.room_id, row.reason)
        for row in (
            await session.execute(
                select(Closure.start_date, Closure.end_date, Closure.room_id, Closure.reason).where(
                    Closure.venue_id == venue.id, Closure.start_date <= last, Closure.end_date >= first
                )
            )
        ).all()
    ]
    if venue.bank_holidays_region:
        closures += [
            (c.start_date, c.end_date, None, c.reason)
            for c in uk_bank_holiday_closures(first, last, subdiv=venue.bank_holidays_region)
        ]
    entries = list(found.values())
    entries += _linked_copies(entries, rooms, parts)
    entries.sort(key=lambda e: (e.start, e.room_name, e.via or ""))
    return VenueSchedule(
        venue=venue, rooms=rooms, first_day=first, last_day=last, entries=entries, closures=closures
    )


__all__ = ["STATE_LABELS", "ScheduleEntry", "VenueSchedule", "venue_for", "venue_schedule"]
