"""Recurrence: the supported RRULE subset, wall-clock series across clock changes, limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from venues.recurrence import ByDay, Occurrence, RecurrenceError, expand_series, parse_rrule

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 1, 1, 12, tzinfo=UTC)


def london(y: int, m: int, d: int, hh: int = 19, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def series(start: datetime, end: datetime, rule: str | None, **kw: object) -> list[Occurrence]:
    return expand_series(start, end, rule, now=NOW, **kw)  # type: ignore[arg-type]  # kw forwards keywords


def local_dates(occs: list[Occurrence]) -> list[date]:
    return [o.local_start.date() for o in occs]


# --- clock changes -------------------------------------------------------------------------------


def test_weekly_keeps_local_time_across_spring_forward() -> None:
    # Tuesdays 19:00-21:00 from 16 Mar 2027; the clocks go forward on Sunday 28 Mar 2027.
    occs = series(london(2027, 3, 16), london(2027, 3, 16, 21), "FREQ=WEEKLY;COUNT=4")
    assert local_dates(occs) == [date(2027, 3, 16), date(2027, 3, 23), date(2027, 3, 30), date(2027, 4, 6)]
    assert all(o.local_start.time() == time(19) and o.local_end.time() == time(21) for o in occs)
    assert [o.start_utc.hour for o in occs] == [19, 19, 18, 18]
    assert all(o.end_utc - o.start_utc == timedelta(hours=2) for o in occs)
    assert [o.index for o in occs] == [0, 1, 2, 3]
    assert all(o.start_utc.tzinfo is not None and o.start_utc.utcoffset() == timedelta(0) for o in occs)
    assert all(o.local_start.tzinfo is None for o in occs)


def test_weekly_keeps_local_time_across_fall_back() -> None:
    # The clocks go back on Sunday 31 Oct 2027.
    occs = series(london(2027, 10, 19), london(2027, 10, 19, 21), "FREQ=WEEKLY;COUNT=3")
    assert local_dates(occs) == [date(2027, 10, 19), date(2027, 10, 26), date(2027, 11, 2)]
    assert [o.local_start.time() for o in occs] == [time(19)] * 3
    assert [o.start_utc.hour for o in occs] == [18, 18, 19]


def test_first_occurrence_is_exactly_the_given_instants() -> None:
    start = datetime(2027, 1, 12, 19, tzinfo=UTC)
    occs = series(start, start + timedelta(hours=2), "FREQ=WEEKLY;COUNT=2")
    assert occs[0].start_utc == start
    assert occs[0].end_utc == start + timedelta(hours=2)
    assert occs[0].local_start == datetime(2027, 1, 12, 19)


def test_offset_given_in_another_zone_is_converted_to_venue_time() -> None:
    start = datetime(2027, 6, 1, 20, tzinfo=ZoneInfo("Europe/Paris"))  # 19:00 in London (BST)
    occs = series(start, start + timedelta(hours=1), "FREQ=DAILY;COUNT=2")
    assert [o.local_start for o in occs] == [datetime(2027, 6, 1, 19), datetime(2027, 6, 2, 19)]


def test_nonexistent_spring_time_shifts_forward_past_the_gap() -> None:
    # 01:30 does not exist on 28 Mar 2027 in London: it becomes 02:30 BST (01:30 UTC).
    occs = series(london(2027, 3, 27, 1, 30), london(2027, 3, 27, 3, 0), "FREQ=DAILY;COUNT=3")
    assert occs[1].local_start == datetime(2027, 3, 28, 2, 30)
    assert occs[1].start_utc == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert occs[1].local_end == datetime(2027, 3, 28, 3, 0)
    assert occs[2].local_start == datetime(2027, 3, 29, 1, 30)


def test_start_in_gap_end_just_after_keeps_positive_duration() -> None:
    occs = series(london(2027, 3, 27, 1, 30), london(2027, 3, 27, 2, 30), "FREQ=DAILY;COUNT=2")
    assert occs[1].end_utc - occs[1].start_utc == timedelta(hours=1)


def test_ambiguous_autumn_time_takes_the_first_instance() -> None:
    # 01:30 happens twice on 31 Oct 2027; fold=0 picks the BST one, 00:30 UTC.
    occs = series(london(2027, 10, 30, 1, 30), london(2027, 10, 30, 1, 45), "FREQ=DAILY;COUNT=2")
    assert occs[1].start_utc == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert occs[1].local_start == datetime(2027, 10, 31, 1, 30)


# --- the supported subset ----------------------------------------------------------------------


def test_daily() -> None:
    occs = series(london(2027, 2, 1, 9), london(2027, 2, 1, 10), "FREQ=DAILY;COUNT=5")
    assert local_dates(occs) == [date(2027, 2, d) for d in range(1, 6)]


def test_daily_weekdays_only() -> None:
    occs = series(london(2027, 2, 5, 9), london(2027, 2, 5, 10), "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=3")
    assert local_dates(occs) == [date(2027, 2, 5), date(2027, 2, 8), date(2027, 2, 9)]


def test_weekly_interval_two() -> None:
    occs = series(london(2027, 1, 12), london(2027, 1, 12, 21), "FREQ=WEEKLY;INTERVAL=2;COUNT=3")
    assert local_dates(occs) == [date(2027, 1, 12), date(2027, 1, 26), date(2027, 2, 9)]


def test_weekly_several_days() -> None:
    occs = series(london(2027, 1, 11), london(2027, 1, 11, 21), "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=4")
    assert local_dates(occs) == [date(2027, 1, 11), date(2027, 1, 14), date(2027, 1, 18), date(2027, 1, 21)]


def test_monthly_first_monday() -> None:
    occs = series(london(2027, 2, 1), london(2027, 2, 1, 21), "FREQ=MONTHLY;BYDAY=1MO;COUNT=4")
    assert local_dates(occs) == [date(2027, 2, 1), date(2027, 3, 1), date(2027, 4, 5), date(2027, 5, 3)]
    assert all(o.local_start.time() == time(19) for o in occs)  # across the March change too


def test_monthly_last_friday() -> None:
    occs = series(london(2027, 1, 29), london(2027, 1, 29, 21), "FREQ=MONTHLY;BYDAY=-1FR;COUNT=4")
    assert local_dates(occs) == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26), date(2027, 4, 30)]


def test_monthly_second_tuesday_until() -> None:
    occs = series(london(2027, 1, 12), london(2027, 1, 12, 21), "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270615")
    assert local_dates(occs) == [
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
        date(2027, 5, 11),
        date(2027, 6, 8),
    ]


def test_monthly_bymonthday_skips_months_without_that_day() -> None:
    occs = series(london(2027, 1, 31), london(2027, 1, 31, 21), "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3")
    assert local_dates(occs) == [date(2027, 1, 31), date(2027, 3, 31), date(2027, 5, 31)]


def test_monthly_last_day_of_month() -> None:
    occs = series(london(2027, 1, 31), london(2027, 1, 31, 21), "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3")
    assert local_dates(occs) == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]


def test_dtstart_not_matching_rule_is_still_first_and_counted() -> None:
    # Starts on a Wednesday but the rule says Mondays: RFC 5545 keeps DTSTART as occurrence 1 of COUNT.
    occs = series(london(2027, 1, 13), london(2027, 1, 13, 21), "FREQ=WEEKLY;BYDAY=MO;COUNT=3")
    assert local_dates(occs) == [date(2027, 1, 13), date(2027, 1, 18), date(2027, 1, 25)]


def test_count_versus_until() -> None:
    by_count = series(london(2027, 1, 12), london(2027, 1, 12, 21), "FREQ=WEEKLY;COUNT=3")
    by_until = series(london(2027, 1, 12), london(2027, 1, 12, 21), "FREQ=WEEKLY;UNTIL=20270126")
    assert local_dates(by_count) == local_dates(by_until)


def test_until_in_utc_is_compared_with_the_start_instant() -> None:
    rule_before = "FREQ=WEEKLY;UNTIL=20270126T185959Z"
    rule_at = "FREQ=WEEKLY;UNTIL=20270126T190000Z"
    assert len(series(london(2027, 1, 12), london(2027, 1, 12, 21), rule_before)) == 2
    assert len(series(london(2027, 1, 12), london(2027, 1, 12, 21), rule_at)) == 3


def test_until_before_first_occurrence_rejected() -> None:
    with pytest.raises(RecurrenceError, match="UNTIL=20270101 is before the first occurrence"):
        series(london(2027, 1, 12), london(2027, 1, 12, 21), "FREQ=WEEKLY;UNTIL=20270101")


def test_single_booking_without_rule() -> None:
    for rule in (None, "", "  "):
        occs = series(london(2027, 1, 12), london(2027, 1, 12, 21), rule)
        assert len(occs) == 1
        assert occs[0].index == 0


def test_rrule_prefix_lower_case_and_trailing_semicolon_accepted() -> None:
    occs = series(london(2027, 1, 12), london(2027, 1, 12, 21), "RRULE:freq=weekly;count=2;wkst=SU;")
    assert len(occs) == 2


# --- limits and errors ---------------------------------------------------------------------------


def test_open_ended_series_rejected() -> None:
    with pytest.raises(RecurrenceError, match=r"no end: add COUNT .* or UNTIL"):
        series(london(2027, 1, 12), london(2027, 1, 12, 21), "FREQ=WEEKLY")


def test_series_past_horizon_rejected_and_names_the_date() -> None:
    with pytest.raises(RecurrenceError, match=r"past the booking horizon: Tue 4 Jan 2028 19:00-21:00"):
        series(london(2027, 1, 12), london(2027, 1, 12, 21), "FREQ=WEEKLY;COUNT=52")


def test_series_up_to_horizon_accepted() -> None:
    occs = series(london(2027, 1, 12), london(2027, 1, 12, 21), "FREQ=WEEKLY;COUNT=51")
    assert occs[-1].local_start.date() == date(2027, 12, 28)


def test_until_past_horizon_rejected() -> None:
    with pytest.raises(RecurrenceError, match="past the booking horizon"):
        series(london(2027, 1, 12), london(2027, 1, 12, 21), "FREQ=DAILY;UNTIL=20300101")


def test_horizon_is_configurable() -> None:
    rule = "FREQ=MONTHLY;BYDAY=2TU;COUNT=6"
    assert len(series(london(2027, 1, 12), london(2027, 1, 12, 21), rule, horizon_months=6)) == 6
    with pytest.raises(RecurrenceError, match="3 months ahead"):
        series(london(2027, 1, 12), london(2027, 1, 12, 21), rule, horizon_months=3)


def test_single_booking_past_horizon_rejected() -> None:
    with pytest.raises(RecurrenceError, match="The booking is past the booking horizon"):
        series(london(2028, 6, 1), london(2028, 6, 1, 21), None)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (london(2027, 1, 12, 21), london(2027, 1, 12, 19), "end time must be after the start"),
        (london(2027, 1, 12, 19), london(2027, 1, 12, 19), "end time must be after the start"),
        (london(2027, 1, 12, 9), london(2027, 1, 13, 10), "at most 24 hours"),
        (datetime(2027, 1, 12, 19), datetime(2027, 1, 12, 21), "time zone offset"),
    ],
)
def test_bad_start_end(start: datetime, end: datetime, message: str) -> None:
    with pytest.raises(RecurrenceError, match=message):
        series(start, end, "FREQ=WEEKLY;COUNT=2")


def test_unknown_timezone() -> None:
    with pytest.raises(RecurrenceError, match="Unknown time zone 'Mars/Olympus'"):
        series(london(2027, 1, 12), london(2027, 1, 12, 21), None, tz="Mars/Olympus")


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=YEARLY;COUNT=2", "FREQ=YEARLY is not supported: use DAILY, WEEKLY or MONTHLY"),
        ("FREQ=HOURLY;COUNT=2", "FREQ=HOURLY is not supported: use DAILY, WEEKLY or MONTHLY"),
        ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY is not a frequency"),
        ("COUNT=3", "needs FREQ"),
        ("", "empty"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1;COUNT=3", "BYSETPOS is not supported"),
        ("FREQ=DAILY;BYHOUR=9;COUNT=3", "BYHOUR is not supported"),
        ("FREQ=DAILY;BYMINUTE=30;COUNT=3", "BYMINUTE is not supported"),
        ("FREQ=DAILY;BYSECOND=30;COUNT=3", "BYSECOND is not supported"),
        ("FREQ=WEEKLY;BYWEEKNO=20;COUNT=3", "BYWEEKNO is not supported"),
        ("FREQ=DAILY;BYYEARDAY=100;COUNT=3", "BYYEARDAY is not supported"),
        ("FREQ=MONTHLY;BYMONTH=3;BYDAY=1MO;COUNT=3", "BYMONTH is not supported"),
        ("FREQ=WEEKLY;FOO=1;COUNT=3", "FOO is not a recurrence rule part"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270601", "COUNT and UNTIL cannot be used together"),
        ("FREQ=WEEKLY;COUNT=501", "COUNT=501 is out of range"),
        ("FREQ=WEEKLY;COUNT=0", "COUNT=0 is out of range"),
        ("FREQ=WEEKLY;COUNT=six", "COUNT=SIX is not a whole number"),
        ("FREQ=WEEKLY;INTERVAL=0;COUNT=3", "INTERVAL=0 is out of range"),
        ("FREQ=WEEKLY;COUNT=3;COUNT=4", "COUNT appears more than once"),
        ("FREQ=WEEKLY;COUNT", "'COUNT' is not a valid rule part"),
        ("FREQ=WEEKLY;UNTIL=2027-06-01", "UNTIL=2027-06-01 is not a valid date"),
        ("FREQ=WEEKLY;UNTIL=20270231", "UNTIL=20270231 is not a valid date"),
        ("FREQ=WEEKLY;BYDAY=1MO;COUNT=3", "only supported with FREQ=MONTHLY"),
        ("FREQ=WEEKLY;BYDAY=XX;COUNT=3", "BYDAY=XX is not understood"),
        ("FREQ=WEEKLY;BYDAY=MO,MO;COUNT=3", "lists MO more than once"),
        ("FREQ=MONTHLY;BYDAY=TU;COUNT=3", "needs a position, e.g. 1TU .* use FREQ=WEEKLY"),
        ("FREQ=MONTHLY;BYDAY=6TU;COUNT=3", "position must be 1 to 5"),
        ("FREQ=MONTHLY;BYDAY=0TU;COUNT=3", "position must be 1 to 5"),
        ("FREQ=WEEKLY;BYMONTHDAY=3;COUNT=3", "BYMONTHDAY is only supported with FREQ=MONTHLY"),
        ("FREQ=MONTHLY;BYMONTHDAY=32;COUNT=3", "BYMONTHDAY=32 is not understood"),
        ("FREQ=MONTHLY;BYMONTHDAY=0;COUNT=3", "BYMONTHDAY=0 is not understood"),
        ("FREQ=MONTHLY;BYMONTHDAY=1;BYDAY=1MO;COUNT=3", "BYDAY and BYMONTHDAY cannot be used together"),
        ("FREQ=WEEKLY;WKST=XX;COUNT=3", "WKST=XX is not a day code"),
    ],
)
def test_unsupported_rules_say_what_is_wrong(rule: str, message: str) -> None:
    with pytest.raises(RecurrenceError, match=message):
        parse_rrule(rule)
    if rule:  # a blank rule is a single booking to expand_series
        with pytest.raises(RecurrenceError, match=message):
            series(london(2027, 1, 12), london(2027, 1, 12, 21), rule)


def test_parse_rrule_spec_and_round_trip() -> None:
    spec = parse_rrule("RRULE:FREQ=MONTHLY;BYDAY=1MO,-1FR;UNTIL=20270731T230000Z;INTERVAL=2")
    assert spec.freq == "MONTHLY"
    assert spec.interval == 2
    assert spec.byday == (ByDay(0, 1), ByDay(4, -1))
    assert spec.until == datetime(2027, 7, 31, 23, tzinfo=UTC)
    assert spec.to_text() == "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1FR;UNTIL=20270731T230000Z"
    assert parse_rrule(spec.to_text()) == spec
    assert [d.describe() for d in spec.byday] == ["first Monday", "last Friday"]


def test_parse_until_forms() -> None:
    assert parse_rrule("FREQ=DAILY;UNTIL=20270731").until == date(2027, 7, 31)
    assert parse_rrule("FREQ=DAILY;UNTIL=20270731T180000").until == datetime(2027, 7, 31, 18)


# --- properties ----------------------------------------------------------------------------------

_RULES = st.one_of(
    st.builds(lambda i, c: f"FREQ=DAILY;INTERVAL={i};COUNT={c}", st.integers(1, 4), st.integers(1, 60)),
    st.builds(lambda i, c: f"FREQ=WEEKLY;INTERVAL={i};COUNT={c}", st.integers(1, 3), st.integers(1, 25)),
    st.builds(
        lambda d, c: f"FREQ=MONTHLY;BYDAY={d};COUNT={c}",
        st.sampled_from(["1MO", "2TU", "-1FR", "3WE", "-2SA"]),
        st.integers(1, 6),
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    day=st.dates(min_value=date(2027, 1, 2), max_value=date(2027, 6, 30)),
    # 02:00 onwards so no slot touches the UK clock-change hour (explicit tests cover that).
    minute_of_day=st.integers(2 * 60, 22 * 60).map(lambda m: m - m % 15),
    duration_min=st.integers(15, 120),
    rule=_RULES,
)
def test_every_occurrence_keeps_local_start_time_and_duration(
    day: date, minute_of_day: int, duration_min: int, rule: str
) -> None:
    start = datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60), tzinfo=LONDON)
    duration = timedelta(minutes=duration_min)
    occs = series(start, start + duration, rule, horizon_months=24)
    for o in occs:
        assert o.local_start.time() == start.time().replace(tzinfo=None)
        assert o.local_end - o.local_start == duration
        assert o.end_utc - o.start_utc == duration
        assert o.start_utc.astimezone(LONDON).replace(tzinfo=None) == o.local_start
    assert [o.index for o in occs] == list(range(len(occs)))
    assert all(a.start_utc < b.start_utc for a, b in pairwise(occs))
    assert len(occs) == int(rule.rsplit("COUNT=", 1)[1])
