"""Feed bytes and their ETag, with each booking's events cached between polls.

The ETag is a hash of the body itself, so it changes when, and only when, the bytes do, and every
process computes the same one for the same bytes, whatever the text is built from. What keeps a
poll cheap is the cache: a booking's events are rendered once per distinct input (the whole
`FeedBooking`, the spec, the window and the grace flag), so an unchanged feed costs the query
that loads it, dictionary look-ups and one hash over the joined bytes (bench/feeds.py).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from venues.calendar import (
    DEFAULT_CANCELLED_GRACE,
    FEED_END,
    DueCase,
    FeedBooking,
    FeedSpec,
    booking_events,
    feed_head,
    render_decisions_due,
)

__all__ = ["RenderedFeed", "etag_of", "render_decisions_due_with_etag", "render_feed_with_etag"]

# Per (spec, window): each booking's events by (UID, in grace), with the booking they were built
# from. A hit needs that booking to equal the one passed in, field by field, so any change to
# anything the events show (organisation, contact, address, room, buffers, conditions...)
# renders them again. Keyed by UID rather than by the whole booking so that a poll hashes short
# strings, not every field of every booking.
_Entry = tuple[FeedBooking, bytes]
_FEEDS_MAX = 64


class _FeedCache:
    def __init__(self) -> None:
        self.events: dict[tuple[str, bool], _Entry] = {}
        # The last answer and the pieces it was joined from: the same pieces give the same bytes,
        # so an unchanged feed is not joined and hashed again.
        self.parts: list[bytes] = []
        self.last: RenderedFeed | None = None


_CACHE: OrderedDict[tuple[FeedSpec, datetime, datetime], _FeedCache] = OrderedDict()


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    etag: str


def etag_of(body: bytes) -> str:
    """The strong validator of a feed body."""
    return hashlib.sha256(body).hexdigest()


@lru_cache(maxsize=256)
def _head(spec: FeedSpec) -> bytes:
    return feed_head(spec)


def _feed_cache(spec: FeedSpec, window_start: datetime, window_end: datetime) -> _FeedCache:
    key = (spec, window_start, window_end)
    cache = _CACHE.get(key)
    if cache is None:
        cache = _CACHE[key] = _FeedCache()
        while len(_CACHE) > _FEEDS_MAX:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return cache


def render_feed_with_etag(
    spec: FeedSpec,
    bookings: Sequence[FeedBooking],
    *,
    window_start: datetime,
    window_end: datetime,
    cancelled_grace: timedelta = DEFAULT_CANCELLED_GRACE,
    now: datetime,
) -> RenderedFeed:
    """Exactly `venues.calendar.render_feed`'s bytes, and their ETag."""
    cutoff = now - cancelled_grace
    cache = _feed_cache(spec, window_start, window_end)
    events = cache.events
    parts = [_head(spec)]
    for booking in sorted(bookings, key=lambda b: b.uid):
        in_grace = booking.last_modified >= cutoff
        if booking.status == "cancelled" and not in_grace:
            continue  # as visible_in_feed
        key = (booking.uid, in_grace)
        entry = events.get(key)
        if entry is None or not (entry[0] is booking or entry[0] == booking):
            entry = events[key] = (booking, booking_events(booking, spec, window_start, window_end, in_grace))
        parts.append(entry[1])
    parts.append(FEED_END)
    if len(events) > 2 * len(parts) + 64:  # bookings that left the feed: drop their entries
        shown = {(b.uid, in_grace) for b in bookings for in_grace in (False, True)}
        for key in [k for k in events if k not in shown]:
            del events[key]
    if cache.last is not None and parts == cache.parts:  # the very same pieces: compared by identity first
        return cache.last
    body = b"".join(parts)
    cache.parts, cache.last = parts, RenderedFeed(body, etag_of(body))
    return cache.last


def render_decisions_due_with_etag(spec: FeedSpec, cases: Sequence[DueCase]) -> RenderedFeed:
    """The officers' feed (small: rendered whole each time) and its ETag."""
    body = render_decisions_due(spec, cases)
    return RenderedFeed(body, etag_of(body))
