"""Which rooms of the draft's venue could take the booking, and on which dates."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.web.booking.draft import Draft, parse_int
from api.web.booking.not_free import conflict_reasons
from api.web.booking.schedule import rrule_for, times_for
from api.web.i18n import gettext as _
from api.web.i18n import ngettext
from api.web.readable import long_date, short_date
from venues.booking import BookingService
from venues.models import Room, Venue
from venues.venue_service import ACCESSIBILITY_FEATURES
from vetting.errors import Conflict, Invalid

MAX_REASONS = 4


async def room_options(
    db: AsyncSession, venue: Venue, draft: Draft
) -> tuple[list[dict[str, Any]], str | None]:
    """Every room of the venue big enough and with the features asked, free or not and why."""
    start, end = times_for(draft, venue.timezone)
    rrule = rrule_for(draft)
    service = BookingService(db)
    attendance = parse_int(draft.get("attendance", "")) or 1
    rooms = (
        await db.execute(
            select(Room).where(Room.venue_id == venue.id, Room.active.is_(True)).order_by(Room.capacity)
        )
    ).scalars()
    options: list[dict[str, Any]] = []
    rule_problem: str | None = None
    for room in rooms:
        option: dict[str, Any] = {
            "id": str(room.id),
            "name": room.name,
            "capacity": room.capacity,
            "features": [ACCESSIBILITY_FEATURES.get(a, a) for a in room.accessibility],
            "free": False,
            "reasons": [],
            "dates": 0,
        }
        if room.capacity < attendance:
            continue
        missing = [ACCESSIBILITY_FEATURES[a] for a in draft.get("access", []) if a not in room.accessibility]
        if missing:
            continue
        try:
            plan = await service.plan(room.id, start, end, rrule)
            option["free"] = True
            option["dates"] = len(plan.occurrences)
        except Invalid as exc:
            rule_problem = exc.message
            option["reasons"] = [exc.message]
        except Conflict as exc:
            reasons = conflict_reasons(exc)
            option["reasons"] = reasons[:MAX_REASONS]
            if len(reasons) > MAX_REASONS:
                more = len(reasons) - MAX_REASONS
                and_more = ngettext("and %(num)s more date", "and %(num)s more dates", more)
                option["reasons"].append(and_more % {"num": more})
        day_start = dt.datetime.combine(start.date(), dt.time(0), start.tzinfo)
        busy = await service.busy(room.id, day_start, day_start + dt.timedelta(days=1))
        zone = ZoneInfo(venue.timezone)
        option["busy"] = [f"{a.astimezone(zone):%H:%M} to {b.astimezone(zone):%H:%M}" for a, b in busy]
        options.append(option)
    return options, rule_problem


async def unfit_rooms(db: AsyncSession, venue: Venue, draft: Draft) -> dict[str, Any]:
    """The venue's rooms left out of the choice: too small for the group (with their capacity),
    or without an access feature asked for (naming it), and the size of the largest room."""
    attendance = parse_int(draft.get("attendance", "")) or 1
    asked = [a for a in draft.get("access", []) if a in ACCESSIBILITY_FEATURES]
    rooms = (
        await db.execute(
            select(Room).where(Room.venue_id == venue.id, Room.active.is_(True)).order_by(Room.capacity)
        )
    ).scalars()
    too_small: list[dict[str, Any]] = []
    lacking: list[dict[str, Any]] = []
    largest = 0
    for room in rooms:
        largest = max(largest, room.capacity)
        if room.capacity < attendance:
            too_small.append({"name": room.name, "capacity": room.capacity})
            continue
        missing = [ACCESSIBILITY_FEATURES[a] for a in asked if a not in room.accessibility]
        if missing:
            lacking.append({"name": room.name, "capacity": room.capacity, "missing": missing})
    return {"attendance": attendance, "too_small": too_small, "lacking": lacking, "largest": largest}


async def planned_dates(db: AsyncSession, venue: Venue, draft: Draft) -> list[str]:
    """The dates the chosen room would be booked for, as the check page lists them."""
    start, end = times_for(draft, venue.timezone)
    try:
        plan = await BookingService(db).plan(UUID(draft["room_id"]), start, end, rrule_for(draft))
    except (Invalid, Conflict):
        return []
    return [
        f"{short_date(o.local_start)}, "
        + _("%(start)s to %(end)s") % {"start": f"{o.local_start:%H:%M}", "end": f"{o.local_end:%H:%M}"}
        for o in plan.occurrences
    ]


def when_text(venue: Venue, draft: Draft) -> str:
    start, end = times_for(draft, venue.timezone)
    times = _("%(start)s to %(end)s") % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
    return f"{long_date(start.replace(tzinfo=None))}, {times}"
