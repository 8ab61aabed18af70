"""The cached renderer: `render_feed`'s exact bytes, an ETag that is their hash, and a cache that
never serves events built from anything but the booking it is given."""

from __future__ import annotations

import hashlib
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.venues.calendar_samples import NOW, WINDOW, booking, cancel, london, move, spec, weekly
from venues.calendar import FeedBooking, FeedCondition, FeedDecision, FeedOccurrence, render_feed
from venues.feed_render import render_feed_with_etag

SERIES = move(cancel(weekly(datetime(2027, 3, 2, 19), 12), 3), 5, timedelta(days=1))
SINGLE = (FeedOccurrence(london(2027, 6, 5, 10), london(2027, 6, 5, 16), "held"),)
RECENT = NOW - timedelta(days=3)


def _bookings() -> list[FeedBooking]:
    return [
        booking("series@test", SERIES, rrule="FREQ=WEEKLY;BYDAY=TU"),
        booking("single@test", SINGLE, organisation="Friends of Millbrook Park"),
        booking("tentative@test", SINGLE, status="awaiting_acceptance"),
        booking("cancelled@test", SINGLE, status="cancelled", last_modified=RECENT),
        booking("gone@test", SINGLE, status="cancelled", last_modified=NOW - timedelta(days=40)),
    ]


def _both(bookings: list[FeedBooking], detail: str = "standard", **kw: Any) -> tuple[bytes, bytes, str]:
    args: dict[str, Any] = {"window_start": WINDOW[0], "window_end": WINDOW[1], "now": NOW} | kw
    plain = render_feed(spec(detail), bookings, **args)  # type: ignore[arg-type]  # test literal
    cached = render_feed_with_etag(spec(detail), bookings, **args)  # type: ignore[arg-type]  # test literal
    return plain, cached.body, cached.etag


@pytest.mark.parametrize("detail", ["busy", "standard", "full"])
def test_same_bytes_as_render_feed_and_the_etag_is_their_hash(detail: str) -> None:
    for _ in range(2):  # cold, then from the cache
        plain, body, etag = _both(_bookings(), detail)
        assert body == plain
        assert etag == hashlib.sha256(plain).hexdigest()
    plain, body, _ = _both([], detail)
    assert body == plain


# A new value for every field of FeedBooking: any of them may reach the text.
CHANGES: dict[str, Any] = {
    "uid": "renamed@test",
    "sequence": 9,
    "last_modified": datetime(2027, 2, 2, tzinfo=UTC),
    "status": "awaiting_acceptance",
    "reference": "VH-2027-9999",
    "venue_name": "Millbrook Institute",
    "room_name": "Small Hall",
    "venue_address": "3 New Road, Millbrook",
    "organisation_name": "Millbrook Choir",
    "event_title": "Autumn lecture",
    "expected_attendance": 12,
    "setup_minutes": 45,
    "cleardown_minutes": 5,
    "conditions": (FeedCondition("CAPACITY", "No more than 60 people in the hall", "Fire rules"),),
    "decision": FeedDecision("approved", datetime(2027, 1, 29, 9, tzinfo=UTC), "Ivo Quennell"),
    "contact_name": "Rosalind Achterberg-Lee",
    "contact_phone": "01632 960999",
    "rrule": None,
    "occurrences": SERIES[:6],
}


def test_every_field_is_covered() -> None:
    assert set(CHANGES) == {f.name for f in fields(FeedBooking)}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_changed_booking_is_rendered_again(name: str) -> None:
    bookings = _bookings()
    _both(bookings, "full")  # warm the cache with the old booking
    changed = [replace(bookings[0], **{name: CHANGES[name]}), *bookings[1:]]
    plain, body, etag = _both(changed, "full")
    assert body == plain  # never the cached events of the old booking
    assert etag == hashlib.sha256(plain).hexdigest()


def test_the_window_and_grace_reach_the_cache_key() -> None:
    bookings = _bookings()
    _both(bookings)
    later = WINDOW[0] + timedelta(days=70)
    plain, body, _ = _both(bookings, window_start=later)
    assert body == plain
    plain, body, _ = _both(bookings, now=NOW + timedelta(days=29))  # the cancelled booking leaves
    assert body == plain
