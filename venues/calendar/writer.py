"""The iCal writer: icalendar (7.x) objects for the calendar, its VTIMEZONE and each VEVENT, and
the bytes of each event cached keyed on the planned event it is built from.

Building an icalendar object per event costs about 0.3 ms, which for a 2,000-event feed is far
over the 100 ms budget; but a planned event is a tuple of everything its bytes depend on (UID,
stamps, times, rule, texts), so the same plan always gives the same bytes and a feed re-renders
mostly from the cache (bench/feeds.py measures it against the former hand-written serializer).
Identical input gives identical bytes: nothing in the output depends on the clock (`now` only
decides whether a cancelled booking is still within its grace period).

`feed_head` + `booking_events` of each booking that `render_feed` keeps, by UID, + `FEED_END` is
exactly `render_feed`'s output, so that `venues.feed_render` can cache per booking too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from icalendar import Calendar, Component, Event, Timezone, vRecur, vText

from venues.calendar.events import (
    Local,
    PlannedEvent,
    Prop,
    Text,
    Token,
    calendar_props,
    plan_booking,
    plan_due,
    zone_of,
)
from venues.calendar.folding import refold
from venues.calendar.model import DEFAULT_CANCELLED_GRACE, DueCase, FeedBooking, FeedSpec
from venues.ical_timezone import vtimezone_lines

__all__ = [
    "FEED_END",
    "booking_events",
    "clear_event_cache",
    "feed_head",
    "render_decisions_due",
    "render_feed",
]

FEED_END = b"END:VCALENDAR\r\n"
# Room for every event of several very large feeds at each detail level; an entry (key and
# bytes, measured) is about 3 kB, so at most some 50 MB.
_EVENTS_CACHED = 16_384


# RFC 5545 TEXT allows no control characters but HTAB (line breaks are escaped); icalendar
# writes them as given, so a stray one from a form would make the whole feed unreadable.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _plain(text: str) -> str:
    if _CONTROL.search(text):
        return _CONTROL.sub(" ", text.replace("\r\n", "\n"))
    return text


def _add(component: Component, prop: Prop, tzid: str) -> None:
    name, value = prop
    if isinstance(value, Text):
        # vText by name, not left to icalendar's table: it writes X- and other names it does
        # not know (X-WR-CALDESC, NAME) unescaped, and a comma there would split the value.
        component.add(name, vText(_plain(value.value)))
    elif isinstance(value, Local):
        component.add(name, value.value.replace(tzinfo=zone_of(tzid)))
    elif isinstance(value, Token):
        if name == "RRULE":
            component.add(name, vRecur.from_ical(value.value))
        elif name == "SEQUENCE":
            component.add(name, int(value.value))
        elif name == "REFRESH-INTERVAL":
            component.add(name, timedelta(hours=1), parameters={"VALUE": "DURATION"})
        else:
            component.add(name, value.value, encode=False)  # enumerations and zone names, as written
    elif isinstance(value, datetime):
        component.add(name, value.astimezone(UTC))  # equal instants are equal cache keys: same bytes
    else:
        component.add(name, value)


@lru_cache(maxsize=_EVENTS_CACHED)
def _event_bytes(event: PlannedEvent, tzid: str) -> bytes:
    """One VEVENT's bytes, from BEGIN to END and its CRLF."""
    vevent = Event()
    for prop in event:
        _add(vevent, prop, tzid)
    return refold(vevent.to_ical())


def clear_event_cache() -> None:
    """Forget every event's bytes (bench/feeds.py measures the first render after a deploy)."""
    _event_bytes.cache_clear()


@lru_cache(maxsize=256)
def feed_head(spec: FeedSpec) -> bytes:
    """Everything before the first event: the calendar's properties and its VTIMEZONE."""
    calendar = Calendar()
    for prop in calendar_props(spec):
        _add(calendar, prop, spec.tz)
    timezone = Component.from_ical("\r\n".join(vtimezone_lines(spec.tz)))
    if not isinstance(timezone, Timezone):  # from_ical of a VTIMEZONE block always gives one
        raise TypeError("vtimezone_lines did not give a VTIMEZONE")
    calendar.add_component(timezone)
    whole = refold(calendar.to_ical())
    if not whole.endswith(FEED_END):
        raise ValueError("icalendar ended the calendar unexpectedly")
    return whole[: -len(FEED_END)]


def booking_events(
    booking: FeedBooking, spec: FeedSpec, window_start: datetime, window_end: datetime, in_grace: bool
) -> bytes:
    """The VEVENTs of one booking as `render_feed` writes them (empty when it shows nothing).

    `in_grace`: the booking changed within the cancelled-grace period before `now`; a cancelled
    booking outside it is left out of the feed altogether (`visible_in_feed`), not passed here.
    """
    events = plan_booking(booking, spec, window_start, window_end, in_grace)
    return b"".join([_event_bytes(event, spec.tz) for event in events])


def render_feed(
    spec: FeedSpec,
    bookings: Sequence[FeedBooking],
    *,
    window_start: datetime,
    window_end: datetime,
    cancelled_grace: timedelta = DEFAULT_CANCELLED_GRACE,
    now: datetime,
) -> bytes:
    """The feed as iCalendar bytes (UTF-8, CRLF, folded); occurrences overlapping the window only."""
    cutoff = now - cancelled_grace
    parts = [feed_head(spec)]
    for booking in sorted(bookings, key=lambda b: b.uid):
        in_grace = booking.last_modified >= cutoff
        if booking.status == "cancelled" and not in_grace:
            continue  # as visible_in_feed
        for event in plan_booking(booking, spec, window_start, window_end, in_grace):
            parts.append(_event_bytes(event, spec.tz))
    parts.append(FEED_END)
    return b"".join(parts)


def render_decisions_due(spec: FeedSpec, cases: Sequence[DueCase]) -> bytes:
    """The officers' feed: one all-day event per case on its target date."""
    return b"".join([feed_head(spec), *(_event_bytes(event, spec.tz) for event in plan_due(cases)), FEED_END])
