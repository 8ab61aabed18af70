"""The icalendar writer says what the former direct serializer said (bench/baseline_calendar/):
the same events with the same properties, read back by icalendar; only the bytes may differ
(property order, RRULE part order, line folding, PRODID's renderer version)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from bench.baseline_calendar import render_feed as baseline_render_feed
from tests.venues.calendar_samples import NOW, WINDOW, booking, cancel, london, move, spec, weekly
from venues.calendar import FeedBooking, FeedOccurrence, render_feed
from venues.calendar.writer import clear_event_cache

LONDON_REPEATED = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 01:30 BST, the first of the two


def _bookings() -> list[FeedBooking]:
    spring = move(cancel(weekly(datetime(2027, 3, 2, 19), 12), 3), 5, timedelta(days=1, hours=-1))
    monthly = tuple(
        FeedOccurrence(london(2027, m, d, 10), london(2027, m, d, 12), "held")
        for m, d in ((4, 13), (5, 11), (6, 8), (7, 13))
    )
    return [
        booking("spring@test", spring, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=12"),
        booking(
            "autumn@test",
            weekly(datetime(2027, 10, 5, 19), 12),
            rrule="FREQ=WEEKLY",
            status="awaiting_acceptance",
        ),
        booking("monthly@test", monthly, rrule="FREQ=MONTHLY;BYDAY=2TU;COUNT=4"),
        booking("gap@test", weekly(datetime(2027, 5, 3, 9), 4)[::2], rrule="FREQ=WEEKLY;BYDAY=MO"),
        booking("single@test", (FeedOccurrence(london(2027, 4, 1, 18), london(2027, 4, 1, 21), "held"),)),
        booking(
            "repeated@test",
            (FeedOccurrence(LONDON_REPEATED, LONDON_REPEATED + timedelta(hours=1), "held"),),
            title='Ceilidh; music, dance & \\ "quotes" — Noson Lawen ñ 日本語 ' * 3,
        ),
        booking(
            "cancelled@test",
            weekly(datetime(2027, 6, 1, 19), 3),
            rrule="FREQ=WEEKLY",
            status="cancelled",
            last_modified=NOW - timedelta(days=2),
        ),
    ]


def _meaning(ics: bytes) -> list[list[tuple[str, str, bytes]]]:
    """The calendar's properties (but PRODID, which names the renderer's version) and then each
    VEVENT's, as (name, parameters, value) the way icalendar reads and writes them back (so RRULE
    parts in one order, text unfolded), in a canonical order."""
    calendar = Calendar.from_ical(ics)
    components = [calendar, *calendar.walk("VEVENT")]
    out = []
    for component in components:
        props = []
        for name, value in component.property_items(recursive=False):
            if name not in ("BEGIN", "END", "PRODID"):
                params = repr(sorted(getattr(value, "params", {}).items()))
                props.append((name, params, value if isinstance(value, bytes) else value.to_ical()))
        out.append(sorted(props))
    return out


@pytest.mark.parametrize("detail", ["busy", "standard", "full"])
def test_same_events_as_the_direct_serializer(detail: str) -> None:
    clear_event_cache()
    kw = {"window_start": WINDOW[0], "window_end": WINDOW[1], "now": NOW}
    ours = render_feed(spec(detail), _bookings(), **kw)  # type: ignore[arg-type]  # detail is a test literal
    theirs = baseline_render_feed(spec(detail), _bookings(), **kw)  # type: ignore[arg-type]  # as above
    assert ours != theirs  # different bytes (order, folding)...
    assert _meaning(ours) == _meaning(theirs)  # ...the same events and properties
    assert render_feed(spec(detail), _bookings(), **kw) == ours  # type: ignore[arg-type]  # from the cache
