"""iCalendar feeds for venue managers and officers: pure rendering, no database, no HTTP.

The caller loads what a feed shows into the frozen dataclasses of `model` and calls
`render_feed` (or `render_decisions_due`); `events` plans each VEVENT, `writer` builds it with the
icalendar library and caches its bytes. See docs/calendar-feeds.md.
"""

from venues.calendar.events import RENDERER_VERSION
from venues.calendar.model import (
    DEFAULT_CANCELLED_GRACE,
    BookingStatus,
    DetailLevel,
    DueCase,
    FeedBooking,
    FeedCondition,
    FeedDecision,
    FeedOccurrence,
    FeedSpec,
    OccurrenceStatus,
    default_window,
    occurrence_uid,
    visible_in_feed,
)
from venues.calendar.writer import FEED_END, booking_events, feed_head, render_decisions_due, render_feed

__all__ = [
    "DEFAULT_CANCELLED_GRACE",
    "FEED_END",
    "RENDERER_VERSION",
    "BookingStatus",
    "DetailLevel",
    "DueCase",
    "FeedBooking",
    "FeedCondition",
    "FeedDecision",
    "FeedOccurrence",
    "FeedSpec",
    "OccurrenceStatus",
    "booking_events",
    "default_window",
    "feed_head",
    "occurrence_uid",
    "render_decisions_due",
    "render_feed",
    "visible_in_feed",
]
