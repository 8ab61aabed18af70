"""Edges of opening hours and busy intervals that mutation testing found untested (issue 25).

Each test pins one boundary: the exact minute a venue opens and closes, a slot of exactly a
week, the last minute of an hour, merging spans after a gap.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from venues.availability import OpeningHours, OpeningHoursError, merge_intervals, within_opening_hours
from venues.conflicts import (
    Conflict,
    HeldIndex,
    HeldInterval,
    ProposedSlot,
    find_conflicts,
    held_interval,
    overlaps,
    proposed_slots,
    self_overlaps,
)
from venues.opening_hours import TimeRange

MINUTE = timedelta(minutes=1)
MONDAY = datetime(2027, 1, 11)  # a Monday; opening hours read local wall-clock times
RAW_HOURS = {
    "mon": [["09:00", "12:00"], ["13:00", "24:00"]],
    "tue": [["07:30", "18:00"]],
    "wed": [["10:15", "21:59"]],
    "fri": [["18:00", "24:00"]],
    "sat": [["00:00", "02:00"], ["10:00", "16:00"]],
    "sun": [["20:00", "24:00"]],
}


def week_hours() -> OpeningHours:
    """Parsed inside each test, so that mutation testing sees the parsing each test relies on."""
    return OpeningHours.parse(RAW_HOURS)


def _ranges() -> list[tuple[datetime, datetime]]:
    """Every range of week_hours() as local datetimes in the week of MONDAY."""
    out = []
    for weekday, ranges in enumerate(OpeningHours.parse(RAW_HOURS).days):
        day = MONDAY + timedelta(days=weekday)
        out += [(day + r.start * MINUTE, day + r.end * MINUTE) for r in ranges]
    return out


@pytest.mark.parametrize(("start", "end"), _ranges())
def test_a_slot_fits_from_the_opening_minute_and_not_a_minute_before(start: datetime, end: datetime) -> None:
    # A range that joins its neighbour across midnight lets a slot run on, so only the start is
    # pinned for those; every range pins its opening minute.
    hours = week_hours()
    assert within_opening_hours(hours, start, start + MINUTE)
    assert not within_opening_hours(hours, start - MINUTE, start + MINUTE) or start.hour == 0
    assert within_opening_hours(hours, end - MINUTE, end)
    assert not within_opening_hours(hours, end - MINUTE, end + MINUTE) or end.hour == 0


def test_five_minutes_before_opening_does_not_fit() -> None:
    assert not within_opening_hours(week_hours(), MONDAY.replace(hour=8, minute=55), MONDAY.replace(hour=10))
    assert not within_opening_hours(week_hours(), MONDAY.replace(hour=12, minute=55), MONDAY.replace(hour=14))
    tuesday = MONDAY + timedelta(days=1)
    assert not within_opening_hours(week_hours(), tuesday.replace(hour=7, minute=25), tuesday.replace(hour=9))
    assert within_opening_hours(week_hours(), tuesday.replace(hour=7, minute=30), tuesday.replace(hour=9))


def test_closing_minute_is_the_last_minute() -> None:
    wednesday = MONDAY + timedelta(days=2)
    assert within_opening_hours(
        week_hours(), wednesday.replace(hour=21), wednesday.replace(hour=21, minute=59)
    )
    assert not within_opening_hours(week_hours(), wednesday.replace(hour=21), wednesday.replace(hour=22))
    assert not within_opening_hours(
        week_hours(), wednesday.replace(hour=10, minute=14), wednesday.replace(hour=11)
    )


def test_the_first_minute_of_a_day_belongs_to_that_day() -> None:
    # Monday is open until midnight, Tuesday only from 07:30: Tuesday 00:00-00:01 is closed.
    tuesday = MONDAY + timedelta(days=1)
    assert within_opening_hours(week_hours(), tuesday - MINUTE, tuesday)
    assert not within_opening_hours(week_hours(), tuesday, tuesday + MINUTE)
    assert not within_opening_hours(week_hours(), tuesday - MINUTE, tuesday + MINUTE)
    # Friday runs through midnight into Saturday: 23:59-00:01 is one stretch.
    saturday = MONDAY + timedelta(days=5)
    assert within_opening_hours(week_hours(), saturday - MINUTE, saturday + MINUTE)
    assert not within_opening_hours(
        week_hours(), saturday + timedelta(hours=2) - MINUTE, saturday + timedelta(hours=2, minutes=1)
    )


def test_sunday_night_into_monday_is_closed_at_midnight_here() -> None:
    sunday = MONDAY + timedelta(days=6)
    assert within_opening_hours(week_hours(), sunday.replace(hour=23), sunday + timedelta(days=1))
    assert not within_opening_hours(
        week_hours(), sunday.replace(hour=23), sunday + timedelta(days=1, minutes=1)
    )


def test_a_week_long_slot_fits_only_a_venue_open_all_week_and_never_longer() -> None:
    always = OpeningHours.always_open()
    for weekday in range(7):
        start = MONDAY + timedelta(days=weekday, hours=10)
        assert within_opening_hours(always, start, start + timedelta(days=7))
        assert not within_opening_hours(always, start, start + timedelta(days=7, seconds=1))
        assert not within_opening_hours(always, start, start + timedelta(days=8))
    assert not within_opening_hours(week_hours(), MONDAY, MONDAY + timedelta(days=7))


def test_seconds_and_microseconds_count() -> None:
    nine = MONDAY.replace(hour=9)
    assert not within_opening_hours(week_hours(), nine - timedelta(seconds=1), nine + MINUTE)
    assert not within_opening_hours(week_hours(), nine - timedelta(microseconds=1), nine + MINUTE)
    noon = MONDAY.replace(hour=12)
    assert not within_opening_hours(week_hours(), noon - MINUTE, noon + timedelta(microseconds=1))
    assert within_opening_hours(week_hours(), noon - MINUTE, noon)


def test_part_minutes_count_at_closing_time() -> None:
    noon = MONDAY.replace(hour=12)
    half = timedelta(seconds=30)
    assert within_opening_hours(week_hours(), noon - half, noon)
    assert not within_opening_hours(week_hours(), noon - half, noon + half)
    assert within_opening_hours(week_hours(), noon - timedelta(seconds=1, microseconds=500_000), noon)
    assert not within_opening_hours(
        week_hours(), noon - timedelta(microseconds=1), noon + timedelta(microseconds=1)
    )
    assert within_opening_hours(
        week_hours(), MONDAY.replace(hour=9, microsecond=500_000), MONDAY.replace(hour=9, second=1)
    )
    assert within_opening_hours(week_hours(), MONDAY.replace(hour=11, minute=59), noon)
    assert not within_opening_hours(
        week_hours(), MONDAY.replace(hour=11, minute=59, second=1), noon + timedelta(seconds=2)
    )


def test_an_empty_slot_never_fits() -> None:
    ten = MONDAY.replace(hour=10)
    assert not within_opening_hours(week_hours(), ten, ten)
    assert not within_opening_hours(OpeningHours.always_open(), ten, ten)
    assert within_opening_hours(week_hours(), ten, ten + timedelta(microseconds=1))


def test_always_open_is_every_day_all_day() -> None:
    always = OpeningHours.always_open()
    assert always.to_json() == {
        day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    }
    assert always.describe_day(4) == "Friday 00:00-24:00"


def test_a_slot_on_monday_before_the_first_opening_is_refused() -> None:
    hours = OpeningHours.parse({"mon": [["09:00", "10:00"]]})
    assert not within_opening_hours(hours, MONDAY, MONDAY + MINUTE)
    assert not within_opening_hours(hours, MONDAY.replace(hour=8), MONDAY.replace(hour=9, minute=30))
    assert within_opening_hours(hours, MONDAY.replace(hour=9), MONDAY.replace(hour=10))


@pytest.mark.parametrize("value", ["00:00", "00:59", "21:59", "23:59", "09:05"])
def test_every_minute_of_the_day_is_a_time(value: str) -> None:
    hours = OpeningHours.parse({"mon": [[value, "24:00"]]})
    hour, minute = (int(part) for part in value.split(":"))
    assert hours.days[0] == (TimeRange(hour * 60 + minute, 1440),)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"mon": [["24:00", "24:00"]]}, "mon: 24:00 can only end a range"),
        ({"tue": [["09:00", "24:01"]]}, "tue: '24:01' is not a time of day"),
        ({"tue": [["09:00", "24:30"]]}, "tue: '24:30' is not a time of day"),
        ({"wed": [["09:60", "17:00"]]}, "wed: '09:60' is not a time of day"),
        ({"thu": [["25:00", "26:00"]]}, "thu: '25:00' is not a time of day"),
        ({"fri": [["9:00", "17:00"]]}, "fri: '9:00' is not a time: write HH:MM, e.g. 09:00"),
        ({"sat": [["09:00", "17:00 "]]}, "sat: '17:00 ' is not a time: write HH:MM, e.g. 09:00"),
        ({"sun": [["17:00", "09:00"]]}, "sun: 17:00-09:00 ends before it starts"),
        ({"mon": [["09:00", "13:00"], ["12:00", "17:00"]]}, "mon: 09:00-13:00 and 12:00-17:00 overlap"),
        (
            {"mon": [["09:00", "17:00", "18:00"]]},
            'mon: each range must be a pair of times such as ["09:00", "17:00"]',
        ),
        ({"mon": [9]}, 'mon: each range must be a pair of times such as ["09:00", "17:00"]'),
        ({"mon": ["ab"]}, 'mon: each range must be a pair of times such as ["09:00", "17:00"]'),
        ({"mon": ["0900"]}, 'mon: each range must be a pair of times such as ["09:00", "17:00"]'),
        ({"mon": "09:00-17:00"}, 'mon: give a list of ranges such as [["09:00", "17:00"]]'),
        ({"mon": 9}, 'mon: give a list of ranges such as [["09:00", "17:00"]]'),
        ({"Mon": [], "xyz": []}, "'Mon' is not a day: use mon, tue, wed, thu, fri, sat, sun"),
        ([["09:00", "17:00"]], 'Opening hours must be an object such as {"mon": [["09:00", "17:00"]]}'),
    ],
)
def test_opening_hours_error_messages(raw: object, message: str) -> None:
    with pytest.raises(OpeningHoursError) as info:
        OpeningHours.parse(raw)  # type: ignore[arg-type]  # deliberately malformed input
    assert str(info.value) == message


def test_touching_ranges_are_accepted_and_sorted() -> None:
    hours = OpeningHours.parse({"mon": [["13:00", "18:00"], ["09:00", "13:00"]]})
    assert hours.days[0] == (TimeRange(540, 780), TimeRange(780, 1080))
    assert within_opening_hours(hours, MONDAY.replace(hour=12), MONDAY.replace(hour=14))


def test_describe_and_json_of_each_day() -> None:
    assert week_hours().describe_day(1) == "Tuesday 07:30-18:00"
    assert week_hours().describe_day(3) == "closed on Thursdays"
    assert week_hours().describe_day(6) == "Sunday 20:00-24:00"
    assert week_hours().to_json() == {
        "mon": [["09:00", "12:00"], ["13:00", "24:00"]],
        "tue": [["07:30", "18:00"]],
        "wed": [["10:15", "21:59"]],
        "thu": [],
        "fri": [["18:00", "24:00"]],
        "sat": [["00:00", "02:00"], ["10:00", "16:00"]],
        "sun": [["20:00", "24:00"]],
    }
    assert OpeningHours.parse({"mon": None}).days[0] == ()  # type: ignore[dict-item]  # null means closed


def test_seven_days_are_required() -> None:
    with pytest.raises(OpeningHoursError, match=r"^Opening hours need an entry for each of the seven days$"):
        OpeningHours(((),) * 6)


# --- busy intervals ------------------------------------------------------------------------------


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=UTC)


def test_merging_after_a_gap_keeps_each_span_s_own_start() -> None:
    spans = [
        (utc(1, 9), utc(1, 10)),
        (utc(1, 12), utc(1, 13)),
        (utc(1, 12, 30), utc(1, 14)),
        (utc(1, 16), utc(1, 17)),
        (utc(1, 16), utc(1, 16, 30)),  # inside the span before: the end does not shrink
    ]
    assert merge_intervals(spans) == [
        (utc(1, 9), utc(1, 10)),
        (utc(1, 12), utc(1, 14)),
        (utc(1, 16), utc(1, 17)),
    ]
    assert merge_intervals([]) == []


def test_touching_spans_join_and_a_gap_of_a_minute_does_not() -> None:
    assert merge_intervals([(utc(1, 9), utc(1, 10)), (utc(1, 10), utc(1, 11))]) == [(utc(1, 9), utc(1, 11))]
    assert merge_intervals([(utc(1, 9), utc(1, 10)), (utc(1, 10, 1), utc(1, 11))]) == [
        (utc(1, 9), utc(1, 10)),
        (utc(1, 10, 1), utc(1, 11)),
    ]


def test_overlap_is_half_open_both_ways() -> None:
    assert overlaps(utc(1, 9), utc(1, 10), utc(1, 9, 59), utc(1, 11))
    assert overlaps(utc(1, 9, 59), utc(1, 11), utc(1, 9), utc(1, 10))
    assert not overlaps(utc(1, 9), utc(1, 10), utc(1, 10), utc(1, 11))
    assert not overlaps(utc(1, 10), utc(1, 11), utc(1, 9), utc(1, 10))


def test_buffers_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match=r"^buffer minutes cannot be negative$"):
        held_interval(utc(1, 9), utc(1, 10), -1, 0)
    with pytest.raises(ValueError, match=r"^buffer minutes cannot be negative$"):
        held_interval(utc(1, 9), utc(1, 10), 0, -1)
    assert held_interval(utc(1, 9), utc(1, 10), 0, 0) == (utc(1, 9), utc(1, 10))
    assert held_interval(utc(1, 9), utc(1, 10)) == (utc(1, 9), utc(1, 10))  # no buffers unless given
    assert held_interval(utc(1, 9), utc(1, 10), 15, 5) == (utc(1, 8, 45), utc(1, 10, 5))


def _slot(index: int, start: datetime, end: datetime, *units: str) -> ProposedSlot:
    return ProposedSlot(
        index, start.replace(tzinfo=None), end.replace(tzinfo=None), start, end, frozenset(units)
    )


def test_holds_are_one_per_unit_sorted_and_carry_the_ref() -> None:
    slot = _slot(0, utc(1, 9), utc(1, 10), "stage", "hall-a")
    assert slot.holds("occ-1") == [
        HeldInterval("hall-a", utc(1, 9), utc(1, 10), "occ-1"),
        HeldInterval("stage", utc(1, 9), utc(1, 10), "occ-1"),
    ]
    assert slot.holds()[0].ref is None


def test_conflicts_name_the_units_hit_and_each_ref_once() -> None:
    held = [
        HeldInterval("hall-a", utc(1, 9), utc(1, 11), "b1"),
        HeldInterval("stage", utc(1, 9), utc(1, 11), "b1"),
        HeldInterval("stage", utc(1, 10), utc(1, 12), "b2"),
        HeldInterval("stage", utc(1, 10), utc(1, 12)),  # no ref: counts, names nothing
        HeldInterval("hall-b", utc(1, 9), utc(1, 12), "b3"),
    ]
    slots = [
        _slot(0, utc(1, 10), utc(1, 11), "hall-a", "stage"),
        _slot(1, utc(1, 12), utc(1, 13), "hall-a", "stage"),
        _slot(2, utc(1, 11, 30), utc(1, 13), "stage"),
    ]
    for source in (held, HeldIndex(held)):
        conflicts = find_conflicts(slots, source)
        assert conflicts == [
            Conflict(
                0, slots[0].local_start, slots[0].local_end, frozenset({"hall-a", "stage"}), ("b1", "b2")
            ),
            Conflict(2, slots[2].local_start, slots[2].local_end, frozenset({"stage"}), ("b2",)),
        ]
    assert conflicts[0].describe() == "Fri 1 Jan 2027 10:00-11:00: already booked"


def test_proposed_slots_carry_local_times_and_buffer_only_when_given() -> None:
    class Occ:
        def __init__(self, index: int, start: datetime, end: datetime) -> None:
            self.index, self.start_utc, self.end_utc = index, start, end
            self.local_start, self.local_end = start.replace(tzinfo=None), end.replace(tzinfo=None)

    occs = [Occ(0, utc(1, 9), utc(1, 10)), Occ(1, utc(8, 9), utc(8, 10))]
    plain = proposed_slots(occs, frozenset({"a"}))
    assert [(p.index, p.start, p.end, p.local_start) for p in plain] == [
        (0, utc(1, 9), utc(1, 10), datetime(2027, 1, 1, 9)),
        (1, utc(8, 9), utc(8, 10), datetime(2027, 1, 8, 9)),
    ]
    buffered = proposed_slots(occs, frozenset({"a"}), 10, 20)
    assert (buffered[0].start, buffered[0].end, buffered[0].local_end) == (
        utc(1, 8, 50),
        utc(1, 10, 20),
        datetime(2027, 1, 1, 10),
    )


def test_a_hold_ending_as_the_query_starts_is_not_returned_after_a_long_one() -> None:
    long, short = HeldInterval("a", utc(1, 8), utc(1, 12)), HeldInterval("a", utc(1, 9), utc(1, 10))
    assert HeldIndex([long, short]).overlapping("a", utc(1, 10), utc(1, 11)) == [long]


def test_held_index_for_an_unknown_unit_is_empty() -> None:
    index = HeldIndex([HeldInterval("a", utc(1, 9), utc(1, 10))])
    assert index.overlapping("b", utc(1, 9), utc(1, 10)) == []
    assert index.overlapping("a", utc(1, 10), utc(1, 11)) == []
    assert index.overlapping("a", utc(1, 8), utc(1, 9)) == []
    assert index.overlapping("a", utc(1, 8), utc(1, 9, 1)) == [HeldInterval("a", utc(1, 9), utc(1, 10))]


def test_self_overlaps_per_unit_and_in_index_order() -> None:
    slots = [
        _slot(0, utc(1, 9), utc(1, 12), "a"),
        _slot(1, utc(1, 10), utc(1, 11), "b"),  # other unit: no clash with 0
        _slot(2, utc(1, 11), utc(1, 13), "a", "b"),  # clashes with 0 on a, not with 1 on b (touching)
        _slot(3, utc(1, 12, 30), utc(1, 14), "b"),  # clashes with 2 on b
        _slot(4, utc(1, 9), utc(1, 9, 30), "a"),  # same start as 0: the later index clashes
    ]
    reason = "overlaps another occurrence of this series"
    assert self_overlaps(slots) == [
        Conflict(i, slots[i].local_start, slots[i].local_end, frozenset(units), (), reason)
        for i, units in ((2, {"a"}), (3, {"b"}), (4, {"a"}))
    ]
    # A long first slot keeps later ones clashing after a short one in between.
    long_first = [
        _slot(0, utc(1, 9), utc(1, 17), "a"),
        _slot(1, utc(1, 10), utc(1, 11), "a"),
        _slot(2, utc(1, 12), utc(1, 13), "a"),
    ]
    assert [c.index for c in self_overlaps(long_first)] == [1, 2]
