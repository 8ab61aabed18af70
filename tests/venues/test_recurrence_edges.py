"""Boundaries of series expansion that mutation testing found unpinned (issue 25): the horizon
day (issue 22: a day in the venue's zone, inclusive), a 24-hour booking, 500 occurrences, a
floating UNTIL at the start time, WKST, and the exact messages a hirer reads."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from venues.recurrence import RecurrenceError, expand_series
from venues.rrule_spec import MAX_COUNT

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 1, 1, 12, tzinfo=UTC)


def london(y: int, m: int, d: int, hh: int = 19, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def refused(start: datetime, end: datetime, rule: str | None, **kw: object) -> str:
    with pytest.raises(RecurrenceError) as info:
        expand_series(start, end, rule, now=NOW, **kw)  # type: ignore[arg-type]  # kw forwards keywords
    return str(info.value)


def test_any_time_on_the_horizon_day_is_accepted_and_the_next_day_is_not() -> None:
    # NOW is noon on 1 January 2027: the horizon is the whole of Saturday 1 January 2028 in London.
    late = london(2028, 1, 1, 23, 0)
    (only,) = expand_series(late, late + timedelta(minutes=59), None, now=NOW)
    assert only.start_utc == late.astimezone(UTC)
    assert refused(london(2028, 1, 2, 0, 0), london(2028, 1, 2, 1, 0), None) == (
        "The booking is past the booking horizon: "
        "bookings can be made up to and including Sat 1 Jan 2028, 12 months ahead"
    )
    weekly = expand_series(london(2027, 12, 18, 21), london(2027, 12, 18, 22), "FREQ=WEEKLY;COUNT=3", now=NOW)
    assert weekly[-1].local_start == datetime(2028, 1, 1, 21)


def test_the_horizon_day_is_the_venue_s_day_not_utc_s() -> None:
    # 23:30 UTC on 30 June 2027 is already 1 July in London (BST): the horizon is 1 July 2028.
    now = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)
    start = london(2028, 7, 1, 19)
    assert len(expand_series(start, start + timedelta(hours=2), None, now=now)) == 1
    assert "up to and including Sat 1 Jul 2028" in refused_at(now, london(2028, 7, 2, 9), None)


def refused_at(now: datetime, start: datetime, rule: str | None) -> str:
    with pytest.raises(RecurrenceError) as info:
        expand_series(start, start + timedelta(hours=1), rule, now=now)
    return str(info.value)


@settings(max_examples=300, deadline=None)
@given(
    now=st.datetimes(datetime(2026, 1, 1), datetime(2040, 12, 31), timezones=st.just(UTC)),
    days_ahead=st.integers(min_value=1, max_value=8),
    hour=st.integers(min_value=0, max_value=23),
)
def test_a_year_of_weekly_dates_starting_within_a_week_always_fits(
    now: datetime, days_ahead: int, hour: int
) -> None:
    # The benchmark's series (52 weekly dates from the next week) must fit on every day of the
    # year at every hour: on 30 Nov 2026 it was refused by a message naming its own last date.
    day = now.astimezone(LONDON).date() + timedelta(days=days_ahead)
    start = datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)
    if start.utcoffset() != start.replace(fold=1).utcoffset():
        return  # an hour that happens twice or not at all: covered by the clock-change tests
    occurrences = expand_series(start, start + timedelta(minutes=59), "FREQ=WEEKLY;COUNT=52", now=now)
    assert len(occurrences) == 52


def test_series_past_the_horizon_message() -> None:
    assert refused(
        london(2027, 1, 12), london(2027, 1, 12, 21), "FREQ=WEEKLY;COUNT=52", horizon_months=12
    ) == (
        "The series goes past the booking horizon: Tue 4 Jan 2028 19:00-21:00 is too far ahead "
        "(bookings can be made up to and including Sat 1 Jan 2028, 12 months ahead); "
        "end the series earlier with COUNT or UNTIL"
    )


def test_a_booking_of_exactly_24_hours_is_accepted_and_one_second_more_is_not() -> None:
    start = london(2027, 1, 12, 9)
    assert len(expand_series(start, start + timedelta(hours=24), None, now=NOW)) == 1
    assert refused(start, start + timedelta(hours=24, seconds=1), None) == (
        "A single booking can last at most 24 hours: book a series instead"
    )


def test_start_and_end_messages() -> None:
    start = london(2027, 1, 12)
    assert refused(start, start, None) == "The end time must be after the start time"
    naive = datetime(2027, 1, 12, 21)
    expected = "Start and end times must include a time zone offset, e.g. 2027-01-12T19:00:00+00:00"
    assert refused(start, naive, None) == expected  # either one naive is enough
    assert refused(naive - timedelta(hours=2), start + timedelta(hours=2), None) == expected


def test_a_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match=r"^now must be timezone-aware$"):
        expand_series(london(2027, 1, 12), london(2027, 1, 12, 21), None, now=datetime(2027, 1, 1))


def test_without_now_the_horizon_runs_from_the_real_clock() -> None:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    (only,) = expand_series(start, start + timedelta(hours=2), None)
    assert only.start_utc == start
    with pytest.raises(RecurrenceError, match="past the booking horizon"):
        expand_series(start + timedelta(days=400), start + timedelta(days=400, hours=2), None)


def test_the_same_wall_clock_time_either_side_of_the_autumn_change_is_refused() -> None:
    # 01:30 BST (00:30 UTC) to 01:30 GMT (01:30 UTC): an hour long, but no time on the clock.
    start = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert refused(start, start + timedelta(hours=1), None) == (
        "The start and end times fall either side of the autumn clock change in a way that makes "
        "the booking end before it starts on the clock: adjust the times"
    )


def test_instants_are_in_utc() -> None:
    occs = expand_series(london(2027, 3, 20), london(2027, 3, 20, 21), "FREQ=WEEKLY;COUNT=3", now=NOW)
    for occ in occs:
        assert occ.start_utc.tzinfo is UTC and occ.end_utc.tzinfo is UTC
    assert [o.start_utc.hour for o in occs] == [19, 19, 18]  # BST from Sunday 28 March


def test_a_floating_until_at_the_start_time_includes_that_day() -> None:
    occs = expand_series(
        london(2027, 2, 2), london(2027, 2, 2, 21), "FREQ=WEEKLY;UNTIL=20270216T190000", now=NOW
    )
    assert [o.local_start.date() for o in occs] == [date(2027, 2, 2), date(2027, 2, 9), date(2027, 2, 16)]
    occs = expand_series(
        london(2027, 2, 2), london(2027, 2, 2, 21), "FREQ=WEEKLY;UNTIL=20270216T185959", now=NOW
    )
    assert len(occs) == 2


def test_at_most_500_occurrences() -> None:
    start = london(2027, 1, 2, 10)
    end = london(2027, 1, 2, 11)
    last_allowed = (start + timedelta(days=MAX_COUNT - 1)).strftime("%Y%m%d")
    occs = expand_series(start, end, f"FREQ=DAILY;UNTIL={last_allowed}", now=NOW, horizon_months=24)
    assert len(occs) == MAX_COUNT
    one_more = (start + timedelta(days=MAX_COUNT)).strftime("%Y%m%d")
    with pytest.raises(RecurrenceError) as info:
        expand_series(start, end, f"FREQ=DAILY;UNTIL={one_more}", now=NOW, horizon_months=24)
    assert str(info.value) == "A series can have at most 500 occurrences"


def test_week_start_changes_which_weeks_an_interval_counts() -> None:
    # RFC 5545's own example: every other week on Tuesday and Sunday, from Tue 5 Aug 1997.
    start, end = london(2027, 8, 3), london(2027, 8, 3, 21)  # a Tuesday
    monday = expand_series(start, end, "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", now=NOW)
    sunday = expand_series(start, end, "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", now=NOW)
    assert [o.local_start.day for o in monday] == [3, 8, 17, 22]
    assert [o.local_start.day for o in sunday] == [3, 15, 17, 29]


def test_the_horizon_date_does_not_depend_on_the_server_s_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    # 02:00 UTC on 1 January is still 31 December in New York: the message names the venue's
    # date (London), whatever the server's own zone.
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        now = datetime(2027, 1, 1, 2, tzinfo=UTC)
        start = datetime(2028, 6, 1, 12, tzinfo=UTC)
        with pytest.raises(RecurrenceError) as info:
            expand_series(start, start + timedelta(hours=1), None, now=now)
        assert "bookings can be made up to and including Sat 1 Jan 2028, 12 months ahead" in str(info.value)
    finally:
        monkeypatch.undo()
        time.tzset()
