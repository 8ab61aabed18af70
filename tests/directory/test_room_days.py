"""A room's days in the directory: free, partly free, booked, closed (pure, no database)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from venues.closures import Closure
from venues.opening_hours import OpeningHours
from venues.room_days import RoomTime, day_parts, local_busy, month_bounds, month_weeks

TUESDAY = dt.date(2027, 3, 9)
HOURS = OpeningHours.parse({"tue": [["09:00", "22:00"]], "wed": [["09:00", "22:00"]]})


def at(hour: int, minute: int = 0, day: dt.date = TUESDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def room(
    busy: list[tuple[dt.datetime, dt.datetime]] | None = None,
    *,
    hours: OpeningHours | None = HOURS,
    closures: tuple[Closure, ...] = (),
    before: int = 0,
    after: int = 0,
) -> RoomTime:
    return RoomTime(
        hours=hours,
        closures=closures,
        busy=busy or [],
        buffer_before=dt.timedelta(minutes=before),
        buffer_after=dt.timedelta(minutes=after),
    )


def test_a_day_with_nothing_held_is_free_for_its_opening_hours() -> None:
    r = room()
    assert r.state(TUESDAY) == "free"
    assert r.free_ranges(TUESDAY) == [(at(9), at(22))]


def test_a_day_with_some_time_held_is_partly_free_and_says_which_times() -> None:
    r = room([(at(12), at(14)), (at(18), at(20))])
    assert r.state(TUESDAY) == "partly"
    assert r.free_ranges(TUESDAY) == [(at(9), at(12)), (at(14), at(18)), (at(20), at(22))]


def test_a_day_held_from_opening_to_closing_is_booked() -> None:
    assert room([(at(8), at(23))]).state(TUESDAY) == "booked"
    # Held in two pieces that meet: still booked.
    assert room([(at(9), at(15)), (at(15), at(22))]).state(TUESDAY) == "booked"


def test_days_without_opening_hours_and_closures_are_closed() -> None:
    monday = TUESDAY - dt.timedelta(days=1)
    assert room().state(monday) == "closed"
    shut = room(closures=(Closure(TUESDAY, TUESDAY, "Repairs"),))
    assert shut.state(TUESDAY) == "closed"
    closure = shut.closure_on(TUESDAY)
    assert closure is not None and closure.reason == "Repairs"
    assert shut.state(TUESDAY + dt.timedelta(days=1)) == "free"


def test_a_room_without_opening_hours_is_open_all_day() -> None:
    r = room(hours=None)
    assert r.free_ranges(TUESDAY) == [(at(0), at(0, day=TUESDAY + dt.timedelta(days=1)))]
    assert r.state(TUESDAY - dt.timedelta(days=1)) == "free"


def test_the_rooms_own_buffers_keep_free_time_clear_of_bookings() -> None:
    # 30 minutes to set up before and 15 to clear after each new booking.
    r = room([(at(12), at(14))], before=30, after=15)
    assert r.free_ranges(TUESDAY) == [(at(9), at(11, 45)), (at(14, 30), at(22))]
    assert r.slot_free(at(14, 30), at(16))
    assert not r.slot_free(at(14, 15), at(16))
    assert r.slot_free(at(10), at(11, 45))
    assert not r.slot_free(at(10), at(11, 46))


def test_a_slot_is_free_only_inside_opening_hours_and_outside_closures() -> None:
    r = room([(at(18), at(20))])
    assert r.slot_free(at(20), at(22))
    assert not r.slot_free(at(19), at(21))
    assert not r.slot_free(at(21), at(23))  # past closing
    assert not r.slot_free(at(20), at(20))  # empty
    shut = room(closures=(Closure(TUESDAY, TUESDAY, "Polling station"),))
    assert not shut.slot_free(at(10), at(11))


def test_held_instants_become_local_merged_intervals_cut_to_the_period() -> None:
    london = ZoneInfo("Europe/London")
    start = dt.datetime(2027, 3, 9, tzinfo=london)
    end = start + dt.timedelta(days=1)
    held = [
        (dt.datetime(2027, 3, 9, 18, tzinfo=dt.UTC), dt.datetime(2027, 3, 9, 19, tzinfo=dt.UTC)),
        (dt.datetime(2027, 3, 9, 19, tzinfo=dt.UTC), dt.datetime(2027, 3, 9, 20, tzinfo=dt.UTC)),
        (dt.datetime(2027, 3, 8, 23, tzinfo=dt.UTC), dt.datetime(2027, 3, 9, 1, tzinfo=dt.UTC)),
        (dt.datetime(2027, 3, 12, 9, tzinfo=dt.UTC), dt.datetime(2027, 3, 12, 10, tzinfo=dt.UTC)),
    ]
    assert local_busy(held, london, start, end) == [(at(0), at(1)), (at(18), at(20))]
    # Summer time: 18:00 UTC is 19:00 on the venue's clock.
    july = dt.datetime(2027, 7, 6, tzinfo=london)
    summer = [(dt.datetime(2027, 7, 6, 18, tzinfo=dt.UTC), dt.datetime(2027, 7, 6, 19, tzinfo=dt.UTC))]
    day = dt.date(2027, 7, 6)
    assert local_busy(summer, london, july, july + dt.timedelta(days=1)) == [
        (at(19, day=day), at(20, day=day))
    ]


def test_a_month_is_laid_out_in_weeks_from_monday() -> None:
    weeks = month_weeks(2027, 3)
    assert weeks[0][:2] == [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]  # 1 March 2027 is a Monday
    assert [d for w in weeks for d in w if d is not None] == [dt.date(2027, 3, n) for n in range(1, 32)]
    assert all(len(w) == 7 for w in weeks)
    assert month_weeks(2027, 2)[-1][-1] == dt.date(2027, 2, 28)
    assert month_weeks(2026, 12)[-1][-1] is None  # 31 December 2026 is a Thursday
    assert month_bounds(2026, 12) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert month_bounds(2027, 2) == (dt.date(2027, 2, 1), dt.date(2027, 3, 1))


def test_free_time_is_offered_by_morning_afternoon_and_evening() -> None:
    free = room([(at(11), at(13)), (at(18), at(19))]).free_ranges(TUESDAY)
    assert day_parts(TUESDAY, free) == [
        ("Morning", at(9), at(11)),
        ("Afternoon", at(13), at(17)),
        ("Evening", at(17), at(18)),
        ("Evening", at(19), at(22)),
    ]
    whole_day = room(hours=None).free_ranges(TUESDAY)
    assert day_parts(TUESDAY, whole_day)[-1] == ("Evening", at(17), at(0, day=TUESDAY + dt.timedelta(days=1)))
