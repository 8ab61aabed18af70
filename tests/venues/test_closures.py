"""UK bank holiday closures from the holidays package, and how they block occurrences."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from venues.availability import check_occurrences, closure_hits
from venues.closures import Closure, ClosureError, uk_bank_holiday_closures
from venues.recurrence import expand_series

LONDON = ZoneInfo("Europe/London")


def test_england_2027_bank_holidays() -> None:
    closures = uk_bank_holiday_closures(date(2027, 1, 1), date(2027, 12, 31))
    by_day = {c.start_date: c.reason for c in closures}
    assert by_day[date(2027, 3, 29)] == "Easter Monday"
    assert by_day[date(2027, 3, 26)] == "Good Friday"
    assert by_day[date(2027, 12, 25)] == "Christmas Day"
    assert by_day[date(2027, 12, 28)] == "Boxing Day (observed)"
    assert all(c.start_date == c.end_date for c in closures)
    assert len(closures) == 10  # 8 bank holidays plus two substitute days for a weekend Christmas


def test_range_is_inclusive_and_spans_years() -> None:
    closures = uk_bank_holiday_closures(date(2026, 12, 25), date(2027, 1, 1))
    assert [c.start_date for c in closures] == [
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 28),
        date(2027, 1, 1),
    ]


def test_scotland_and_northern_ireland_differ() -> None:
    sct = {c.reason for c in uk_bank_holiday_closures(date(2027, 1, 1), date(2027, 12, 31), "SCT")}
    nir = {c.reason for c in uk_bank_holiday_closures(date(2027, 1, 1), date(2027, 12, 31), "nir")}
    assert "Saint Andrew's Day" in sct
    assert "Easter Monday" not in sct
    assert "Saint Patrick's Day" in nir
    assert "Battle of the Boyne" in nir


def test_unknown_region_and_inverted_range() -> None:
    with pytest.raises(ClosureError, match="Unknown UK region 'XX'"):
        uk_bank_holiday_closures(date(2027, 1, 1), date(2027, 12, 31), "XX")
    with pytest.raises(ClosureError, match="before the start"):
        uk_bank_holiday_closures(date(2027, 12, 31), date(2027, 1, 1))


def test_bank_holidays_block_a_monday_series() -> None:
    occs = expand_series(
        datetime(2027, 3, 22, 19, tzinfo=LONDON),
        datetime(2027, 3, 22, 21, tzinfo=LONDON),
        "FREQ=WEEKLY;COUNT=3",
        now=datetime(2027, 1, 1, tzinfo=ZoneInfo("UTC")),
    )
    closures = uk_bank_holiday_closures(date(2027, 1, 1), date(2027, 12, 31))
    problems = check_occurrences(occs, None, closures)
    assert [p.message for p in problems] == ["Mon 29 Mar 2027 19:00-21:00: venue closed (Easter Monday)"]


def test_bank_holiday_and_own_closure_both_reported() -> None:
    own = Closure(date(2027, 12, 20), date(2027, 12, 31), "Winter shutdown")
    closures = [*uk_bank_holiday_closures(date(2027, 12, 1), date(2027, 12, 31)), own]
    hits = closure_hits(closures, datetime(2027, 12, 25, 10), datetime(2027, 12, 25, 12))
    assert [c.reason for c in hits] == ["Winter shutdown", "Christmas Day"]
