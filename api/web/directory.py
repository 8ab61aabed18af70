"""The public room directory: `/venues` (rooms by capacity, facilities, access and free time) and
each room's page with its month calendar, from which the booking form starts.

Both pages are GET forms and links only (no JavaScript, nothing to post). Availability comes
from `venues.directory`, which reads many rooms in a fixed number of statements, and never says
who has booked a room or why.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Response, get
from litestar.exceptions import NotFoundException
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, roles
from api.db.engine import read_only
from api.web.booking.draft import parse_date, parse_int, parse_time
from api.web.booking.field_errors import in_order
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, page
from api.web.i18n import N_
from api.web.i18n import gettext as _
from api.web.price_words import PRICE_HELPERS
from api.web.readable import month_words
from venues.charges.room_prices import rate_card, room_prices
from venues.directory import (
    DirectoryFilter,
    directory,
    linked_rooms,
    public_room,
    room_hours,
    room_times,
    with_day_times,
)
from venues.models import RoomPhoto
from venues.opening_hours import OpeningHours
from venues.photos import photos_of
from venues.room_days import day_parts, month_bounds, month_weeks
from venues.venue_service import ACCESSIBILITY_FEATURES, FACILITIES, LAYOUTS

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MONTHS_AHEAD = 12
VENUES_PER_PAGE = 10  # the list's reads cover every room; the page shows ten venues at a time
STATE_WORDS = {
    "free": N_("Free"),
    "partly": N_("Partly free"),
    "booked": N_("Booked"),
    "closed": N_("Closed"),
}
# Opening hours in words, a day a line: the names are the catalogue's, translated when shown.
DAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
DATE_EXAMPLE = "27/03/2027"


def _today() -> dt.date:
    return dt.date.today()


def read_filter(params: Any) -> tuple[DirectoryFilter, dict[str, str], dict[str, Any]]:
    """The filter from the query string, the errors to show, and the values as typed."""
    values: dict[str, Any] = {
        name: (params.get(name) or "").strip() for name in ("date", "start", "end", "capacity")
    }
    values["facility"] = [f for f in params.getall("facility", []) if f in FACILITIES]
    values["access"] = [a for a in params.getall("access", []) if a in ACCESSIBILITY_FEATURES]
    errors: dict[str, str] = {}
    capacity = parse_int(values["capacity"]) if values["capacity"] else None
    if values["capacity"] and (capacity is None or not 1 <= capacity <= 100_000):
        errors["capacity"] = _("Enter the number of people as a whole number, like 40")
        capacity = None
    day = parse_date(values["date"]) if values["date"] else None
    if values["date"] and day is None:
        errors["date"] = _("Enter a real date, for example %(date)s") % {"date": DATE_EXAMPLE}
    start = parse_time(values["start"]) if values["start"] else None
    end = parse_time(values["end"]) if values["end"] else None
    if values["start"] and start is None:
        errors["start"] = _("Enter a start time, like 18:30")
    if values["end"] and end is None:
        errors["end"] = _("Enter a finish time, like 21:30")
    if start is not None and end is not None and end <= start:
        errors["end"] = _("The finish time must be after the start time")
        end = None
    if (start is None) != (end is None) and "start" not in errors and "end" not in errors:
        missing = "end" if end is None else "start"
        errors[missing] = _("Enter both a start and a finish time, or neither")
    if (start is not None or end is not None) and day is None and "date" not in errors:
        errors["date"] = _("Enter the date you need the room, to search by time")
    if start is None or end is None:
        start = end = None
    wanted = DirectoryFilter(
        capacity=capacity,
        facilities=tuple(values["facility"]),
        access=tuple(values["access"]),
        date=day,
        start=start,
        end=end,
    )
    return wanted, in_order(errors, ("date", "start", "end", "capacity")), values


def book_link(room_id: UUID, day: dt.date, start: dt.time | None = None, end: dt.time | None = None) -> str:
    """The booking form, started with the room, the date and (when given) the times."""
    query = {"room": str(room_id), "date": day.isoformat()}
    if start is not None:
        query["start"] = f"{start:%H:%M}"
    if end is not None and end != dt.time(0):  # free until midnight: the hirer says when to finish
        query["end"] = f"{end:%H:%M}"
    return "/book?" + urlencode(query)


def hours_lines(hours: OpeningHours | None) -> list[str]:
    """Opening hours in words, a line a day ("Monday 9am to 10pm", "Sunday closed")."""
    from api.web.readable import time_range

    if hours is None:
        return [_("Any time, by arrangement")]
    lines = []
    for name, ranges in zip(DAY_NAMES, hours.days, strict=True):
        if not ranges:
            lines.append(_("%(day)s: closed") % {"day": _(name)})
            continue
        spans = [
            time_range(dt.time(r.start // 60, r.start % 60), dt.time(r.end // 60 % 24, r.end % 60))
            for r in ranges
        ]
        lines.append(_("%(day)s: %(times)s") % {"day": _(name), "times": ", ".join(spans)})
    return lines


def _page_link(params: Any, number: int) -> str:
    """This search again, on another page of results."""
    kept = [(k, v) for k, v in params.multi_items() if k != "page"]
    return "/venues?" + urlencode([*kept, ("page", str(number))])


def _month_of(raw: str, today: dt.date) -> tuple[int, int] | None:
    match = MONTH.match(raw or "")
    if not raw:
        return today.year, today.month
    if match is None or not 1 <= int(match[2]) <= 12:
        return None
    return int(match[1]), int(match[2])


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


class DirectoryController(Controller):
    path = "/venues"
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/", opt=roles(PUBLIC), name="directory")
    async def venues(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        read_only()
        wanted, errors, values = read_filter(request.query_params)
        entries = [] if errors else await directory(db_session, wanted)
        pages = max(1, -(-len(entries) // VENUES_PER_PAGE))
        number = min(max(parse_int(request.query_params.get("page") or "1") or 1, 1), pages)
        shown = entries[(number - 1) * VENUES_PER_PAGE : number * VENUES_PER_PAGE]
        if wanted.date is not None:
            await with_day_times(db_session, shown, wanted.date)  # the free times this page lists
        photos = await photos_of(db_session, [r.room.id for e in shown for r in e.rooms])
        prices = {
            r.room.id: room_prices(rate_card(e.venue.rate_card_id), r.room.name)
            for e in shown
            for r in e.rooms
        }
        return page(
            request,
            "directory.html",
            {
                "title": N_("Find a room"),
                "entries": shown,
                "photos": photos,
                "prices": prices,
                **PRICE_HELPERS,
                "venue_count": len(entries),
                "page_number": number,
                "page_count": pages,
                "page_link": lambda n: _page_link(request.query_params, n),
                "wanted": wanted,
                "values": values,
                "errors": errors,
                "searched": bool(request.query_params),
                "room_count": sum(len(e.rooms) for e in entries),
                "features": ACCESSIBILITY_FEATURES,
                "facilities": FACILITIES,
                "layouts": LAYOUTS,
                "book_link": book_link,
                "date_example": DATE_EXAMPLE,
            },
            status_code=400 if errors else 200,
        )

    @get("/rooms/{room_id:uuid}", opt=roles(PUBLIC), name="directory_room")
    async def room(
        self, request: AnyRequest, db_session: AsyncSession, room_id: UUID, month: str = "", day: str = ""
    ) -> Template:
        read_only()
        found = await public_room(db_session, room_id)
        if found is None:
            raise NotFoundException("No such room")
        room, venue = found
        today = _today()
        shown = _month_of(month, today)
        if shown is None or not (0 <= (shown[0] - today.year) * 12 + shown[1] - today.month <= MONTHS_AHEAD):
            shown = (today.year, today.month)
        year, number = shown
        first, following = month_bounds(year, number)
        time = (await room_times(db_session, [(room, venue)], first, following - dt.timedelta(days=1)))[
            room.id
        ]
        chosen = parse_date(day) if day else None
        if chosen is not None and not first <= chosen < following:
            chosen = None
        weeks = [
            [
                None
                if d is None
                else {"date": d, "state": "past" if d < today else time.state(d), "chosen": d == chosen}
                for d in week
            ]
            for week in month_weeks(year, number)
        ]
        back, forward = _shift(year, number, -1), _shift(year, number, 1)
        since_today = (year - today.year) * 12 + number - today.month
        return page(
            request,
            "directory_room.html",
            {
                "title": f"{room.name}, {venue.name}",
                "room": room,
                "venue": venue,
                "month_name": month_words(first),
                "month_key": f"{year:04d}-{number:02d}",
                "weeks": weeks,
                "state_words": STATE_WORDS,
                "previous": f"{back[0]:04d}-{back[1]:02d}" if since_today > 0 else None,
                "previous_name": month_words(dt.date(back[0], back[1], 1)),
                "next": f"{forward[0]:04d}-{forward[1]:02d}" if since_today < MONTHS_AHEAD else None,
                "next_name": month_words(dt.date(forward[0], forward[1], 1)),
                "chosen": chosen if chosen is None or chosen >= today else None,
                "parts": day_parts(chosen, time.free_ranges(chosen))
                if chosen is not None and chosen >= today
                else [],
                "closure": time.closure_on(chosen) if chosen is not None else None,
                "hours": hours_lines(room_hours(room)),
                "features": ACCESSIBILITY_FEATURES,
                "facilities": FACILITIES,
                "layouts": LAYOUTS,
                "linked": await linked_rooms(db_session, room),
                "prices": room_prices(rate_card(venue.rate_card_id), room.name),
                **PRICE_HELPERS,
                "photos": (await photos_of(db_session, [room.id])).get(room.id, []),
                "book_link": book_link,
            },
        )

    @get("/photos/{photo_id:uuid}", opt=roles(PUBLIC), name="room_photo")
    async def photo(self, photo_id: UUID, db_session: AsyncSession) -> Response[bytes]:
        read_only()
        photo = await db_session.get(RoomPhoto, photo_id)
        if photo is None:
            raise NotFoundException("No such photo")
        # A photo never changes (a new one gets a new address), so browsers may keep it.
        return Response(
            photo.content,
            media_type="image/jpeg",
            headers={"Cache-Control": "public, max-age=86400, immutable"},
        )


__all__ = ["DirectoryController", "book_link", "hours_lines", "read_filter"]
