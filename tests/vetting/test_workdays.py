"""Working days with England and Wales bank holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vetting.workdays import (
    add_working_days,
    bank_holiday_name,
    bank_holidays,
    is_working_day,
    working_days_between,
)

D = dt.date


def test_weekends_and_bank_holidays_are_not_working_days() -> None:
    assert is_working_day(D(2026, 12, 24))
    assert not is_working_day(D(2026, 12, 25))  # Christmas Day, Friday
    assert not is_working_day(D(2026, 12, 26))  # Saturday
    assert not is_working_day(D(2026, 12, 28))  # Boxing Day substitute, Monday
    assert not is_working_day(D(2027, 3, 26))  # Good Friday
    assert not is_working_day(D(2027, 3, 29))  # Easter Monday
    assert is_working_day(D(2027, 3, 30))
    assert bank_holiday_name(D(2027, 3, 26)) == "Good Friday"


def test_add_working_days_across_christmas() -> None:
    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 24)
    assert add_working_days(D(2026, 12, 23), 2) == D(2026, 12, 29)
    # 2027: Christmas on Saturday, substitute days Monday 27 and Tuesday 28 December
    assert add_working_days(D(2027, 12, 24), 1) == D(2027, 12, 29)
    assert add_working_days(D(2027, 12, 31), 1) == D(2028, 1, 4)  # New Year's Day substitute on 3 January


def test_add_working_days_across_easter() -> None:
    assert add_working_days(D(2027, 3, 25), 1) == D(2027, 3, 30)
    assert add_working_days(D(2027, 3, 30), -1) == D(2027, 3, 25)
    assert add_working_days(D(2026, 4, 2), 10) == D(2026, 4, 20)  # Thursday before Good Friday


def test_zero_days_moves_to_next_working_day() -> None:
    assert add_working_days(D(2026, 12, 25), 0) == D(2026, 12, 29)
    assert add_working_days(D(2026, 12, 24), 0) == D(2026, 12, 24)


def test_working_days_between() -> None:
    assert working_days_between(D(2026, 12, 23), D(2027, 1, 4)) == 5
    assert working_days_between(D(2027, 1, 4), D(2026, 12, 23)) == -5
    assert working_days_between(D(2027, 3, 25), D(2027, 3, 30)) == 1
    assert working_days_between(D(2027, 3, 25), D(2027, 3, 25)) == 0


def _walked(a: dt.date, b: dt.date) -> int:
    """The definition, one day at a time."""
    if b < a:
        return -_walked(b, a)
    return sum(1 for n in range(1, (b - a).days + 1) if is_working_day(a + dt.timedelta(days=n)))


@given(
    st.dates(min_value=D(2020, 1, 1), max_value=D(2032, 12, 31)),
    st.integers(min_value=-800, max_value=800),
)
def test_working_days_between_counts_what_walking_the_days_counts(a: dt.date, span: int) -> None:
    b = a + dt.timedelta(days=span)
    assert working_days_between(a, b) == _walked(a, b)


def test_bank_holidays_list_for_closures() -> None:
    assert bank_holidays(D(2027, 3, 1), D(2027, 5, 31)) == [
        (D(2027, 3, 26), "Good Friday"),
        (D(2027, 3, 29), "Easter Monday"),
        (D(2027, 5, 3), "May Day"),
        (D(2027, 5, 31), "Spring Bank Holiday"),
    ]
    christmas = bank_holidays(D(2026, 12, 20), D(2027, 1, 5))
    assert [d for d, _ in christmas] == [D(2026, 12, 25), D(2026, 12, 26), D(2026, 12, 28), D(2027, 1, 1)]
    assert bank_holidays(D(2027, 1, 5), D(2027, 1, 4)) == []


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_eight_bank_holidays_a_year_on_weekdays(year: int) -> None:
    weekday_holidays = [d for d, _ in bank_holidays(D(year, 1, 1), D(year, 12, 31)) if d.weekday() < 5]
    assert len(weekday_holidays) == 8


@given(start=st.dates(D(2025, 1, 1), D(2029, 12, 31)), n=st.integers(1, 60))
def test_add_and_between_agree(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert is_working_day(end)
