"""Times in the repeated hour of the October clock change come out right in every reader tested.

On 31 October 2027 London's clocks go back at 02:00 BST, so 01:00-01:59 happens twice (BST, then
GMT). A TZID time there is ambiguous: RFC 5545 says it means the first, ical.js reads the second.
Checked with the `ical` package and ical.js (assert_valid_feed) and with python `icalendar`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.venues.calendar_samples import NOW, WINDOW, booking, held, spec
from tests.venues.feed_validation import assert_valid_feed
from venues.calendar import FeedOccurrence, render_feed

LONDON = ZoneInfo("Europe/London")


def _at(hour: int, minute: int, fold: int = 0, day: int = 31, month: int = 10) -> datetime:
    return datetime(2027, month, day, hour, minute, fold=fold, tzinfo=LONDON).astimezone(UTC)


def _single(start: datetime, minutes: int = 60) -> tuple[FeedOccurrence, ...]:
    return (FeedOccurrence(start, start + timedelta(minutes=minutes), "held"),)


SINGLES = {
    "first-0130@test": _single(_at(1, 30, fold=0)),  # 00:30 UTC (BST)
    "second-0130@test": _single(_at(1, 30, fold=1)),  # 01:30 UTC (GMT)
    "first-0100@test": _single(_at(1, 0, fold=0), 30),
    "second-0159@test": _single(_at(1, 59, fold=1), 20),
    "ends-in-it@test": _single(_at(0, 15), 90),  # 00:15 BST to 01:45 BST
    "night-before@test": _single(_at(23, 30, day=30), 180),  # 23:30 BST to 01:30 GMT
}
# Weekly on Sundays at 01:30 across the change: the 31 October date is in the repeated hour.
SERIES = tuple(
    FeedOccurrence(s, s + timedelta(hours=1), "held")
    for s in (_at(1, 30, day=d, month=m) for m, d in [(10, 17), (10, 24), (10, 31), (11, 7), (11, 14)])
)


@pytest.mark.parametrize("detail", ["busy", "standard"])
def test_repeated_hour_times_are_the_booked_instants(detail: str) -> None:
    bookings = [booking(uid, occs) for uid, occs in SINGLES.items()]
    bookings.append(booking("sundays@test", SERIES, rrule="FREQ=WEEKLY;BYDAY=SU"))
    ics = render_feed(spec(detail), bookings, window_start=WINDOW[0], window_end=WINDOW[1], now=NOW)  # type: ignore[arg-type]  # test literal
    expected = {uid: held(occs) for uid, occs in SINGLES.items()} | {"sundays@test": held(SERIES)}
    assert_valid_feed(ics, expected)  # the `ical` package and ical.js

    seen: dict[str, list[tuple[datetime, datetime]]] = {}
    for ev in icalendar.Calendar.from_ical(ics).walk("VEVENT"):
        assert "RRULE" not in ev  # a series touching the repeated hour is written date by date
        uid = str(ev["UID"]).split("#")[0]
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        seen.setdefault(uid, []).append((start.astimezone(UTC), end.astimezone(UTC)))
    assert {uid: sorted(v) for uid, v in seen.items()} == expected
