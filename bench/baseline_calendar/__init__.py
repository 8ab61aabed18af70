"""Today's direct serializer (venues/calendar.py before the icalendar writer), frozen as the
benchmark baseline of bench/feeds.py: it plans the events as the package did then and writes
their content lines by hand. Not part of the package and not to be edited: it is what the new
writer is measured against, and tests/venues/test_calendar_writer.py checks that both say the same.

It was one file; it is kept here as one module per job (typed values, event content, RRULE series,
the plan, the serializer) with the code unchanged, so the underscore names are the package's own,
shared between its modules. This module holds what callers use.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bench.baseline_calendar.plan import (
    RENDERER_VERSION,
    _calendar_props,
    _plan_booking,
    _plan_due,
    _plan_feed,
    occurrence_uid,
)
from bench.baseline_calendar.serialize import _event_lines, _head_lines, _serialize
from bench.baseline_calendar.values import _Prop, _zone
from venues.calendar.model import DEFAULT_CANCELLED_GRACE, DueCase, FeedBooking, FeedSpec

# The feed in pieces, for a renderer that caches each booking's events (venues.feed_render):
# feed_head(spec) + booking_events(...) of each booking `render_feed` keeps, by UID + FEED_END
# is exactly `render_feed`'s output.
FEED_END = b"END:VCALENDAR\r\n"


def feed_head(spec: FeedSpec) -> bytes:
    """Everything before the first event: the calendar's properties and its VTIMEZONE."""
    calendar = _calendar_props(spec, spec.calendar_name, spec.description)
    return ("\r\n".join(_head_lines(calendar, spec.tz)) + "\r\n").encode()


def booking_events(
    booking: FeedBooking,
    spec: FeedSpec,
    window_start: datetime,
    window_end: datetime,
    in_grace: bool,
    memo: dict[_Prop, str] | None = None,
) -> bytes:
    """The VEVENTs of one booking as `render_feed` writes them (empty when it shows nothing).

    `in_grace`: the booking changed within the cancelled-grace period before `now`; a cancelled
    booking outside it is left out of the feed altogether (`visible_in_feed`), not passed here.
    """
    events = _plan_booking(booking, spec.detail, _zone(spec.tz), window_start, window_end, in_grace)
    if not events:
        return b""
    lines = _event_lines(events, spec.tz, {} if memo is None else memo)
    return ("\r\n".join(lines) + "\r\n").encode()


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
    return _serialize(_plan_feed(spec, bookings, window_start, window_end, cancelled_grace, now))


def render_decisions_due(spec: FeedSpec, cases: Sequence[DueCase]) -> bytes:
    """The officers' feed: one all-day event per case on its target date."""
    return _serialize(_plan_due(spec, cases))


__all__ = [
    "FEED_END",
    "RENDERER_VERSION",
    "booking_events",
    "feed_head",
    "occurrence_uid",
    "render_decisions_due",
    "render_feed",
]
