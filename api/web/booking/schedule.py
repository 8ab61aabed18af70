"""When the draft asks for the room: its first date and times and the rule for repeats."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from api.web.booking.choices import REPEATS
from api.web.booking.draft import Draft, parse_date, parse_time
from api.web.i18n import gettext as _
from api.web.readable import day_month_year

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def rrule_for(draft: Draft) -> str | None:
    repeat = draft.get("repeat", "none")
    if repeat == "none":
        return None
    day = parse_date(draft.get("date", ""))
    assert day is not None
    if repeat == "weekly":
        rule = "FREQ=WEEKLY"
    elif repeat == "fortnightly":
        rule = "FREQ=WEEKLY;INTERVAL=2"
    else:
        nth = (day.day - 1) // 7 + 1
        rule = f"FREQ=MONTHLY;BYDAY={-1 if nth == 5 else nth}{WEEKDAY_CODES[day.weekday()]}"
    if draft.get("repeat_end") == "until":
        until = parse_date(draft.get("repeat_until", ""))
        assert until is not None
        return f"{rule};UNTIL={until:%Y%m%d}"
    return f"{rule};COUNT={draft.get('repeat_count')}"


def times_for(draft: Draft, tz: str) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(tz)
    day = parse_date(draft["date"])
    start, end = parse_time(draft["start_time"]), parse_time(draft["end_time"])
    assert day and start and end
    return dt.datetime.combine(day, start, zone), dt.datetime.combine(day, end, zone)


def repeat_text(draft: Draft) -> str:
    repeat = draft.get("repeat", "none")
    if repeat == "none":
        return _("Once")
    text = _(REPEATS[repeat])
    if draft.get("repeat_end") == "until":
        until = parse_date(draft.get("repeat_until", ""))
        return (
            _("%(repeat)s, until %(date)s") % {"repeat": text, "date": day_month_year(until)}
            if until
            else text
        )
    return _("%(repeat)s, %(count)s times") % {"repeat": text, "count": draft.get("repeat_count")}
