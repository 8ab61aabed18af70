"""The venue manager's room x time grid (a week, a day) and the caretaker's printable day sheet.

Server-rendered and usable without JavaScript. On a phone the manager switches to one room at a
time with the room links (``?room=``). Each page reads the schedule with a fixed number of
statements (`casework.venue_schedule`), never one per room, day or cell.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import STAFF, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page
from api.web.manager import visible_venues
from api.web.readable import long_date
from casework.venue_schedule import STATE_LABELS, ScheduleEntry, VenueSchedule, venue_schedule
from venues.models import Room
from venues.room_grid import day_grid
from vetting.actors import Actor


def _day_param(request: AnyRequest, name: str) -> dt.date:
    """The day asked for; today when none (or a malformed one) is given."""
    try:
        return dt.date.fromisoformat(request.query_params.get(name) or "")
    except ValueError:
        return dt.date.today()


def _room_param(request: AnyRequest, rooms: list[Room]) -> Room | None:
    wanted = request.query_params.get("room") or ""
    return next((r for r in rooms if str(r.id) == wanted), None)


def _link(base: str, **params: Any) -> str:
    shown = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(shown)}" if shown else base


def _shared(
    request: AnyRequest, schedule: VenueSchedule, venues: list[Any], view: str, anchor: dt.date
) -> dict[str, Any]:
    """What the grid pages share: the venue and room choosers as links, and the chosen room."""
    chosen = _room_param(request, schedule.rooms)
    base = f"/manager/venues/{schedule.venue.id}/{view}"
    at = {("week" if view == "week" else "date"): anchor.isoformat()}
    chosen_id = chosen.id if chosen else None
    return {
        "venue": schedule.venue,
        "venue_links": [
            (
                v.name,
                _link(f"/manager/venues/{v.id}/{view}", **at),
                v.id == schedule.venue.id,
            )
            for v in venues
        ],
        "room_links": [("All rooms", _link(base, **at), chosen is None)]
        + [
            (
                r.name,
                _link(base, **at, room=str(r.id)),
                chosen_id == r.id,
            )
            for r in schedule.rooms
        ],
        "chosen_room": chosen,
        "rooms_shown": [chosen] if chosen else schedule.rooms,
        "state_labels": STATE_LABELS,
        "room_query": str(chosen.id) if chosen else "",
    }


class ManagerGridController(Controller):
    path = "/manager"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/", opt=roles(*STAFF), name="manager_week")
    async def home(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template:
        """The week grid of the first venue this member of staff looks after."""
        venues = await visible_venues(db_session, staff)
        if not venues:
            return page(request, "manager_week.html", {"venue": None, "venue_links": []})
        return await self._week(request, staff, db_session, venues[0].id, venues)

    @get("/venues/{venue_id:uuid}/week", opt=roles(*STAFF), name="manager_venue_week")
    async def week(
        self, request: AnyRequest, venue_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template:
        return await self._week(request, staff, db_session, venue_id, None)

    async def _week(
        self,
        request: AnyRequest,
        staff: Actor,
        db_session: AsyncSession,
        venue_id: UUID,
        venues: list[Any] | None,
    ) -> Template:
        anchor = _day_param(request, "week")
        monday = anchor - dt.timedelta(days=anchor.weekday())
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        schedule = await venue_schedule(db_session, staff, venue_id, days[0], days[-1])
        venues = venues if venues is not None else await visible_venues(db_session, staff)
        ctx = _shared(request, schedule, venues, "week", monday)
        by_cell: dict[tuple[dt.date, UUID], list[ScheduleEntry]] = {}
        for entry in schedule.entries:
            by_cell.setdefault((entry.start.date(), entry.room_id), []).append(entry)
        room = ctx["room_query"]
        base = f"/manager/venues/{venue_id}/week"
        return page(
            request,
            "manager_week.html",
            ctx
            | {
                "monday": monday,
                "days": [
                    (
                        d,
                        [
                            (by_cell.get((d, r.id), []), schedule.closed_because(r, d))
                            for r in ctx["rooms_shown"]
                        ],
                        _link(f"/manager/venues/{venue_id}/day", date=d.isoformat(), room=room),
                        _link(f"/manager/venues/{venue_id}/day-sheet", date=d.isoformat()),
                    )
                    for d in days
                ],
                "previous": _link(base, week=(monday - dt.timedelta(days=7)).isoformat(), room=room),
                "following": _link(base, week=(monday + dt.timedelta(days=7)).isoformat(), room=room),
                "this_week": _link(base, room=room),
                "form_action": base,
                "heading": f"Week beginning {long_date(monday)}",
            },
        )

    @get("/venues/{venue_id:uuid}/day", opt=roles(*STAFF), name="manager_venue_day")
    async def day(
        self, request: AnyRequest, venue_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template:
        day = _day_param(request, "date")
        schedule = await venue_schedule(db_session, staff, venue_id, day, day)
        ctx = _shared(request, schedule, await visible_venues(db_session, staff), "day", day)
        grid = day_grid(day, [schedule.on(day, r.id) for r in ctx["rooms_shown"]])
        room = ctx["room_query"]
        base = f"/manager/venues/{venue_id}/day"
        return page(
            request,
            "manager_day.html",
            ctx
            | {
                "day": day,
                "grid": grid,
                "slot_rows": list(zip(grid.slots, grid.rows, strict=True)),
                "closed": [schedule.closed_because(r, day) for r in ctx["rooms_shown"]],
                "previous": _link(base, date=(day - dt.timedelta(days=1)).isoformat(), room=room),
                "following": _link(base, date=(day + dt.timedelta(days=1)).isoformat(), room=room),
                "week_link": _link(f"/manager/venues/{venue_id}/week", week=day.isoformat(), room=room),
                "sheet_link": _link(f"/manager/venues/{venue_id}/day-sheet", date=day.isoformat()),
                "form_action": base,
                "heading": long_date(day),
                "count": len([e for e in schedule.entries if e.via is None]),
            },
        )

    @get("/venues/{venue_id:uuid}/day-sheet", opt=roles(*STAFF), name="manager_day_sheet")
    async def day_sheet(
        self, request: AnyRequest, venue_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template:
        """What the caretaker needs for the day and nothing more: bookings that hold a room (no
        undecided requests), set-up and clear-down, conditions and who to call on the day."""
        day = _day_param(request, "date")
        schedule = await venue_schedule(db_session, staff, venue_id, day, day)
        entries = [e for e in schedule.entries if e.holds_room and e.via is None]
        return page(
            request,
            "manager_day_sheet.html",
            {
                "venue": schedule.venue,
                "day": day,
                "entries": entries,
                "day_link": _link(f"/manager/venues/{venue_id}/day", date=day.isoformat()),
                "previous": _link(
                    f"/manager/venues/{venue_id}/day-sheet", date=(day - dt.timedelta(days=1)).isoformat()
                ),
                "following": _link(
                    f"/manager/venues/{venue_id}/day-sheet", date=(day + dt.timedelta(days=1)).isoformat()
                ),
            },
        )


__all__ = ["ManagerGridController"]
