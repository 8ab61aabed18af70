"""The grace period, the window default and the VTIMEZONE rules (the ETag: test_feed_render)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.venues.calendar_samples import NOW
from venues.calendar import default_window, visible_in_feed
from venues.ical_timezone import observances, vtimezone_lines


def test_cancelled_bookings_leave_after_the_grace_period() -> None:
    assert visible_in_feed("confirmed", NOW - timedelta(days=400), NOW)
    assert visible_in_feed("cancelled", NOW - timedelta(days=29), NOW)
    assert not visible_in_feed("cancelled", NOW - timedelta(days=31), NOW)


def test_default_window_is_stable_within_a_day() -> None:
    start, end = default_window(datetime(2027, 2, 15, 9, 30, tzinfo=UTC))
    assert default_window(datetime(2027, 2, 15, 23, 59, tzinfo=UTC)) == (start, end)
    assert start == datetime(2027, 1, 16, tzinfo=UTC)
    assert timedelta(days=540) < end - start - timedelta(days=30) < timedelta(days=550)


@pytest.mark.parametrize("tzid", ["Europe/London", "Europe/Paris", "America/New_York", "Australia/Sydney"])
def test_timezone_rules_match_zoneinfo(tzid: str) -> None:
    zone = ZoneInfo(tzid)
    obs = {o.kind: o for o in observances(tzid)}
    assert set(obs) == {"STANDARD", "DAYLIGHT"}
    for year in (2026, 2030, 2045):
        for o in obs.values():
            onset = o.onset(year)
            assert (onset - timedelta(minutes=1)).astimezone(zone).utcoffset() == o.offset_from
            assert onset.astimezone(zone).utcoffset() == o.offset_to


def test_london_vtimezone_is_the_outlook_shape() -> None:
    lines = vtimezone_lines("Europe/London")
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in lines
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in lines
    assert lines.count("BEGIN:STANDARD") == lines.count("BEGIN:DAYLIGHT") == 1
    assert "DTSTART:19700329T010000" in lines
    assert "DTSTART:19701025T020000" in lines
