"""Page 1: the venue, the first date and times, repeats, the number of people and access needs."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import select

from api.web.booking.choices import REPEATS
from api.web.booking.date_fields import keep, parts_of, read_date
from api.web.booking.draft import Draft, parse_date, parse_int, parse_time, text, ticked
from api.web.booking.steps.base import BaseStep, StepContext
from api.web.branding import grouped_venues
from api.web.i18n import N_
from api.web.i18n import gettext as _
from venues.models import Room, Venue
from venues.venue_service import ACCESSIBILITY_FEATURES

MIN_REPEATS, MAX_REPEATS = 2, 52
# Typed as three fields each (day, month, year): read by date_fields, not as one text field.
DATE_FIELDS = ("date", "repeat_until")
MAX_ATTENDANCE = 100_000  # as the API's EventIn allows


class RoomStep(BaseStep):
    name: ClassVar[str] = "room"
    title: ClassVar[str] = N_("When and where do you need a room?")
    fields: ClassVar[tuple[str, ...]] = (
        "venue_id",
        "date",
        "start_time",
        "end_time",
        "repeat",
        "repeat_end",
        "repeat_count",
        "repeat_until",
        "attendance",
    )
    next: ClassVar[str | None] = "choose"
    # Changing the date or venue may leave the chosen room taken: choose again before checking.
    resumes_check: ClassVar[bool] = False

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        for name in self.fields:
            if name not in DATE_FIELDS:
                draft[name] = text(form, name)
        first = read_date(form, "date", _("Date of the event"), _("Enter the date of the event"))
        keep(draft, "date", first)
        draft["access"] = [a for a in ticked(form, "access") if a in ACCESSIBILITY_FEATURES]
        errors: dict[str, str] = {}
        try:
            venue = await ctx.db.get(Venue, UUID(draft["venue_id"])) if draft["venue_id"] else None
        except ValueError:
            venue = None
        if venue is None:
            errors["venue_id"] = _("Select a venue")
        elif draft.get("room_id"):
            # A room chosen in the directory stays chosen only while its venue is the one asked.
            room = await ctx.db.get(Room, UUID(draft["room_id"]))
            if room is None or room.venue_id != venue.id:
                draft.pop("room_id")
        day = first.day
        if first.error:
            errors[first.anchor("date")] = first.error
        elif day is not None and day < dt.date.today():
            errors["date-day"] = _("Date of the event must be today or in the future")
            draft["date_error_parts"] = ["day", "month", "year"]
        start, end = parse_time(draft["start_time"]), parse_time(draft["end_time"])
        if start is None:
            errors["start_time"] = _("Enter a start time, for example 19:00")
        if end is None:
            errors["end_time"] = _("Enter a finish time, for example 21:00")
        elif start is not None and end <= start:
            errors["end_time"] = _("The finish time must be after the start time")
        errors |= self._repeat_errors(form, draft, day)
        attendance = parse_int(draft["attendance"])
        if attendance is None or attendance < 1:
            errors["attendance"] = _("Enter how many people will attend, as a number")
        elif attendance > MAX_ATTENDANCE:
            errors["attendance"] = _("The number of people must be 100,000 or fewer")
        # Asked here only: the request's expected attendance is this number.
        draft["expected_attendance"] = str(attendance) if attendance else ""
        return errors

    @staticmethod
    def _repeat_errors(form: Any, draft: Draft, day: dt.date | None) -> dict[str, str]:
        last = read_date(form, "repeat_until", _("Date of the last one"), _("Enter the date of the last one"))
        keep(draft, "repeat_until", last)
        if draft["repeat"] not in REPEATS:
            return {"repeat-none": _("Select whether the booking repeats")}
        if draft["repeat"] == "none":
            return {}
        if draft["repeat_end"] == "until":
            if last.error:
                return {last.anchor("repeat_until"): last.error}
            if day is not None and last.day is not None and last.day <= day:
                draft["repeat_until_error_parts"] = ["day", "month", "year"]
                return {"repeat_until-day": _("Date of the last one must be after the date of the event")}
            return {}
        draft["repeat_end"] = "count"
        count = parse_int(draft["repeat_count"])
        if count is None or not MIN_REPEATS <= count <= MAX_REPEATS:
            return {"repeat_count": _("Enter how many times, from 2 to 52")}
        return {}

    async def view(self, ctx: StepContext, draft: Draft) -> dict[str, Any]:
        venues = list((await ctx.db.execute(select(Venue).order_by(Venue.name))).scalars())
        chosen = None
        if draft.get("room_id"):
            # Started from a room's page in the directory: say which room, kept for the next page.
            chosen = await ctx.db.get(Room, UUID(draft["room_id"]))
        for prefix in DATE_FIELDS:
            # A date filled in for the hirer (from a room's calendar) has no typed parts yet.
            known = parse_date(draft.get(prefix) or "")
            if not draft.get(f"{prefix}_parts") and known is not None:
                draft[f"{prefix}_parts"] = parts_of(known)
        return {
            "venues": venues,
            "groups": await grouped_venues(ctx.db, venues),
            "chosen_room": chosen,
        }
