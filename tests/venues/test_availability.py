"""Availability rules: opening hours, closures, buffers, linked spaces and conflict search."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from venues.availability import (
    Closure,
    HeldIndex,
    HeldInterval,
    LinkedSpaceError,
    OpeningHours,
    OpeningHoursError,
    ProposedSlot,
    atomic_units,
    check_occurrences,
    closure_hits,
    conflict_problems,
    find_conflicts,
    held_interval,
    merge_intervals,
    overlaps,
    proposed_slots,
    rooms_conflict,
    self_overlaps,
    units_by_room,
    within_opening_hours,
)
from venues.recurrence import expand_series

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 1, 1, tzinfo=UTC)
HOURS = OpeningHours.parse(
    {
        "mon": [["09:00", "12:00"], ["13:00", "22:00"]],
        "tue": [["09:00", "18:00"]],
        "fri": [["18:00", "24:00"]],
        "sat": [["00:00", "02:00"], ["10:00", "16:00"]],
        "sun": [],
    }
)
PARTS = {"main-hall": ["hall-a", "hall-b"], "hall-a": [], "stage-and-a": ["hall-a", "stage"]}


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- opening hours -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "fits"),
    [
        (datetime(2027, 1, 11, 9), datetime(2027, 1, 11, 12), True),  # Monday, first range exactly
        (datetime(2027, 1, 11, 19), datetime(2027, 1, 11, 21), True),
        (datetime(2027, 1, 11, 11), datetime(2027, 1, 11, 14), False),  # spans the lunch gap
        (datetime(2027, 1, 11, 8, 30), datetime(2027, 1, 11, 10), False),
        (datetime(2027, 1, 11, 21), datetime(2027, 1, 11, 22, 1), False),
        (datetime(2027, 1, 12, 19), datetime(2027, 1, 12, 21), False),  # Tuesday closes 18:00
        (datetime(2027, 1, 13, 10), datetime(2027, 1, 13, 11), False),  # Wednesday closed (missing)
        (datetime(2027, 1, 17, 10), datetime(2027, 1, 17, 11), False),  # Sunday closed (empty)
        (datetime(2027, 1, 15, 22), datetime(2027, 1, 16, 1), True),  # Friday night through midnight
        (datetime(2027, 1, 15, 22), datetime(2027, 1, 16, 3), False),  # Saturday closes 02:00
        (datetime(2027, 1, 15, 23), datetime(2027, 1, 16, 0), True),  # ends at 24:00
        (datetime(2027, 1, 11, 21), datetime(2027, 1, 11, 20), False),  # inverted
    ],
)
def test_within_opening_hours(start: datetime, end: datetime, fits: bool) -> None:
    assert within_opening_hours(HOURS, start, end) is fits


def test_touching_ranges_join_and_sunday_wraps_to_monday() -> None:
    hours = OpeningHours.parse({"sun": [["20:00", "24:00"]], "mon": [["00:00", "01:00"], ["01:00", "03:00"]]})
    assert within_opening_hours(hours, datetime(2027, 1, 17, 22), datetime(2027, 1, 18, 2, 30))
    assert within_opening_hours(hours, datetime(2027, 1, 18, 0, 30), datetime(2027, 1, 18, 2))


def test_always_open_and_json_round_trip() -> None:
    always = OpeningHours.always_open()
    assert within_opening_hours(always, datetime(2027, 1, 17, 13), datetime(2027, 1, 18, 13))
    assert OpeningHours.parse(HOURS.to_json()) == HOURS
    assert HOURS.to_json()["wed"] == []
    assert HOURS.to_json()["fri"] == [["18:00", "24:00"]]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"monday": [["09:00", "17:00"]]}, "'monday' is not a day"),
        ({"mon": [["9:00", "17:00"]]}, "'9:00' is not a time"),
        ({"mon": [["09:00", "25:00"]]}, "'25:00' is not a time of day"),
        ({"mon": [["09:60", "17:00"]]}, "'09:60' is not a time of day"),
        ({"mon": [["24:00", "24:00"]]}, "24:00 can only end a range"),
        ({"mon": [["17:00", "09:00"]]}, "17:00-09:00 ends before it starts"),
        ({"mon": [["09:00", "09:00"]]}, "ends before it starts"),
        ({"mon": [["09:00", "13:00"], ["12:00", "17:00"]]}, "09:00-13:00 and 12:00-17:00 overlap"),
        ({"mon": [["09:00"]]}, "pair of times"),
        ({"mon": "09:00-17:00"}, "list of ranges"),
        ({"mon": [[9, 17]]}, "'9' is not a time"),
    ],
)
def test_opening_hours_validation(raw: dict[str, object], message: str) -> None:
    with pytest.raises(OpeningHoursError, match=message):
        OpeningHours.parse(raw)  # type: ignore[arg-type]  # deliberately malformed input


def test_describe_day() -> None:
    assert HOURS.describe_day(0) == "Monday 09:00-12:00, 13:00-22:00"
    assert HOURS.describe_day(2) == "closed on Wednesdays"


# --- closures ------------------------------------------------------------------------------------


def test_closure_hits_inclusive_dates_and_midnight_end() -> None:
    xmas = Closure(date(2027, 12, 24), date(2027, 12, 26), "Christmas closure")
    assert closure_hits([xmas], datetime(2027, 12, 26, 19), datetime(2027, 12, 26, 21)) == [xmas]
    assert closure_hits([xmas], datetime(2027, 12, 27, 9), datetime(2027, 12, 27, 10)) == []
    # Ends exactly at midnight into the closure: does not touch it.
    assert closure_hits([xmas], datetime(2027, 12, 23, 22), datetime(2027, 12, 24, 0)) == []
    # Runs past midnight into the closure: does.
    assert closure_hits([xmas], datetime(2027, 12, 23, 22), datetime(2027, 12, 24, 1)) == [xmas]


def test_closure_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match=r"ends .* before it starts"):
        Closure(date(2027, 1, 2), date(2027, 1, 1), "Refurbishment")


# --- check_occurrences messages ------------------------------------------------------------------


def test_check_occurrences_messages() -> None:
    occs = expand_series(
        datetime(2027, 12, 14, 19, tzinfo=LONDON),
        datetime(2027, 12, 14, 21, tzinfo=LONDON),
        "FREQ=WEEKLY;COUNT=3",
        now=NOW,
    )
    closures = [Closure(date(2027, 12, 21), date(2027, 12, 21), "Christmas Day")]
    problems = check_occurrences(occs, HOURS, closures)
    assert [p.message for p in problems] == [
        "Tue 14 Dec 2027 19:00-21:00: outside opening hours (Tuesday 09:00-18:00)",
        "Tue 21 Dec 2027 19:00-21:00: outside opening hours (Tuesday 09:00-18:00)",
        "Tue 21 Dec 2027 19:00-21:00: venue closed (Christmas Day)",
        "Tue 28 Dec 2027 19:00-21:00: outside opening hours (Tuesday 09:00-18:00)",
    ]
    assert [p.kind for p in problems] == [
        "outside_opening_hours",
        "outside_opening_hours",
        "closed",
        "outside_opening_hours",
    ]
    assert check_occurrences(occs, None, ()) == []


def test_check_occurrences_closed_day_and_overnight_message() -> None:
    occs = expand_series(
        datetime(2027, 1, 13, 22, tzinfo=LONDON), datetime(2027, 1, 14, 1, tzinfo=LONDON), None, now=NOW
    )
    (problem,) = check_occurrences(occs, HOURS)
    assert problem.message == (
        "Wed 13 Jan 2027 22:00 to Thu 14 Jan 2027 01:00: "
        "outside opening hours (closed on Wednesdays; closed on Thursdays)"
    )


def test_occurrence_within_hours_has_no_problem() -> None:
    occs = expand_series(
        datetime(2027, 1, 11, 19, tzinfo=LONDON),
        datetime(2027, 1, 11, 21, tzinfo=LONDON),
        "FREQ=WEEKLY;COUNT=20",
        now=NOW,  # crosses the March clock change: still 19:00 local
    )
    assert check_occurrences(occs, HOURS) == []


# --- buffers and overlap -------------------------------------------------------------------------


def test_half_open_overlap() -> None:
    assert not overlaps(utc(2027, 1, 1, 17), utc(2027, 1, 1, 19), utc(2027, 1, 1, 19), utc(2027, 1, 1, 21))
    assert overlaps(utc(2027, 1, 1, 17), utc(2027, 1, 1, 19, 1), utc(2027, 1, 1, 19), utc(2027, 1, 1, 21))


def test_held_interval_applies_buffers() -> None:
    assert held_interval(utc(2027, 1, 1, 19), utc(2027, 1, 1, 21), 30, 15) == (
        utc(2027, 1, 1, 18, 30),
        utc(2027, 1, 1, 21, 15),
    )
    with pytest.raises(ValueError, match="negative"):
        held_interval(utc(2027, 1, 1, 19), utc(2027, 1, 1, 21), -1, 0)


def _one(
    room_units: frozenset[str],
    start: datetime,
    end: datetime,
    before: int = 0,
    after: int = 0,
) -> list[ProposedSlot]:
    occs = expand_series(start, end, None, now=NOW)
    return proposed_slots(occs, room_units, before, after)


def test_touching_bookings_without_buffers_do_not_conflict() -> None:
    units = frozenset({"hall-a"})
    held = _one(units, utc(2027, 2, 1, 17), utc(2027, 2, 1, 19))[0].holds("h1")
    assert find_conflicts(_one(units, utc(2027, 2, 1, 19), utc(2027, 2, 1, 21)), held) == []


def test_buffers_make_adjacent_bookings_conflict() -> None:
    units = frozenset({"hall-a"})
    held = _one(units, utc(2027, 2, 1, 17), utc(2027, 2, 1, 19), 0, 15)[0].holds("h1")
    (conflict,) = find_conflicts(_one(units, utc(2027, 2, 1, 19), utc(2027, 2, 1, 21), 15, 0), held)
    assert conflict.describe() == "Mon 1 Feb 2027 19:00-21:00: already booked"
    assert conflict.held_refs == ("h1",)
    assert conflict.units == frozenset({"hall-a"})
    (problem,) = conflict_problems([conflict])
    assert problem.message == "Mon 1 Feb 2027 19:00-21:00: already booked"
    assert "h1" not in problem.message


# --- linked spaces -------------------------------------------------------------------------------


def test_atomic_units() -> None:
    assert atomic_units("main-hall", PARTS) == frozenset({"hall-a", "hall-b"})
    assert atomic_units("hall-a", PARTS) == frozenset({"hall-a"})
    assert atomic_units("hall-b", PARTS) == frozenset({"hall-b"})  # not a key: atomic
    assert atomic_units("stage-and-a", PARTS) == frozenset({"hall-a", "stage"})
    nested = {"wing": ["main-hall", "kitchen"], **PARTS}
    assert atomic_units("wing", nested) == frozenset({"hall-a", "hall-b", "kitchen"})
    assert units_by_room(nested)["wing"] == frozenset({"hall-a", "hall-b", "kitchen"})


def test_linked_space_conflicts() -> None:
    assert rooms_conflict("main-hall", "hall-a", PARTS)
    assert rooms_conflict("hall-b", "main-hall", PARTS)
    assert not rooms_conflict("hall-a", "hall-b", PARTS)
    assert rooms_conflict("stage-and-a", "main-hall", PARTS)
    assert not rooms_conflict("stage-and-a", "hall-b", PARTS)


def test_main_hall_booking_blocks_each_half_but_halves_coexist() -> None:
    slot = (utc(2027, 3, 1, 18), utc(2027, 3, 1, 20))
    main = atomic_units("main-hall", PARTS)
    half_a, half_b = atomic_units("hall-a", PARTS), atomic_units("hall-b", PARTS)
    held_main = _one(main, *slot)[0].holds("main")
    assert len(held_main) == 2  # one hold per unit
    assert find_conflicts(_one(half_a, *slot), held_main)[0].units == frozenset({"hall-a"})
    held_a = _one(half_a, *slot)[0].holds("a")
    assert find_conflicts(_one(half_b, *slot), held_a) == []
    assert find_conflicts(_one(main, *slot), held_a)[0].units == frozenset({"hall-a"})


@pytest.mark.parametrize(
    ("parts", "loop"),
    [
        ({"x": ["x"]}, "x -> x"),
        ({"x": ["y"], "y": ["z"], "z": ["x"]}, "x -> y -> z -> x"),
        ({"hall": ["a", "b"], "b": ["c"], "c": ["hall"]}, "hall -> b -> c -> hall"),
    ],
)
def test_cycles_rejected(parts: dict[str, list[str]], loop: str) -> None:
    with pytest.raises(LinkedSpaceError, match=loop):
        atomic_units(next(iter(parts)), parts)
    with pytest.raises(LinkedSpaceError):
        units_by_room(parts)


def test_diamond_is_not_a_cycle() -> None:
    parts = {"all": ["left", "right"], "left": ["middle"], "right": ["middle"]}
    assert atomic_units("all", parts) == frozenset({"middle"})


# --- series-level checks -------------------------------------------------------------------------


def test_series_conflicts_name_only_the_clashing_dates() -> None:
    units = frozenset({"hall-a"})
    weekly = expand_series(utc(2027, 2, 2, 19), utc(2027, 2, 2, 21), "FREQ=WEEKLY;COUNT=6", now=NOW)
    other = expand_series(utc(2027, 2, 16, 20), utc(2027, 2, 16, 22), "FREQ=WEEKLY;COUNT=2", now=NOW)
    held = [h for s in proposed_slots(other, units) for h in s.holds("other-booking")]
    conflicts = find_conflicts(proposed_slots(weekly, units), held)
    assert [c.describe() for c in conflicts] == [
        "Tue 16 Feb 2027 19:00-21:00: already booked",
        "Tue 23 Feb 2027 19:00-21:00: already booked",
    ]
    assert [c.index for c in conflicts] == [2, 3]


def test_self_overlap_with_buffers() -> None:
    daily = expand_series(utc(2027, 2, 1, 8), utc(2027, 2, 2, 7), "FREQ=DAILY;COUNT=3", now=NOW)
    assert self_overlaps(proposed_slots(daily, frozenset({"u"}))) == []
    assert self_overlaps(proposed_slots(daily, frozenset({"u"}), 30, 30)) == []  # exactly touching
    clashes = self_overlaps(proposed_slots(daily, frozenset({"u"}), 45, 30))
    assert [c.index for c in clashes] == [1, 2]
    assert clashes[0].reason == "overlaps another occurrence of this series"


def test_merge_intervals() -> None:
    spans = [
        (utc(2027, 1, 1, 9), utc(2027, 1, 1, 10)),
        (utc(2027, 1, 1, 10), utc(2027, 1, 1, 11)),
        (utc(2027, 1, 1, 8), utc(2027, 1, 1, 9, 30)),
        (utc(2027, 1, 1, 12), utc(2027, 1, 1, 13)),
    ]
    assert merge_intervals(spans) == [
        (utc(2027, 1, 1, 8), utc(2027, 1, 1, 11)),
        (utc(2027, 1, 1, 12), utc(2027, 1, 1, 13)),
    ]


# --- find_conflicts against brute force ----------------------------------------------------------

BASE = utc(2027, 1, 1)
_UNITS = ["a", "b", "c"]


def _brute_force(proposed: list[ProposedSlot], held: list[HeldInterval]) -> list[tuple[int, frozenset[str]]]:
    out = []
    for p in proposed:
        units = frozenset(
            h.unit for h in held if h.unit in p.units and overlaps(p.start, p.end, h.start, h.end)
        )
        if units:
            out.append((p.index, units))
    return out


_held_st = st.builds(
    lambda unit, start, length: HeldInterval(
        unit, BASE + timedelta(minutes=start), BASE + timedelta(minutes=start + length)
    ),
    st.sampled_from(_UNITS),
    st.integers(0, 3000),
    st.integers(1, 600),
)
_proposed_st = st.builds(
    lambda units, start, length: (frozenset(units), start, length),
    st.sets(st.sampled_from(_UNITS), min_size=1),
    st.integers(0, 3000),
    st.integers(1, 600),
)


@settings(max_examples=200, deadline=None)
@given(held=st.lists(_held_st, max_size=40), raw=st.lists(_proposed_st, max_size=10))
def test_find_conflicts_agrees_with_brute_force(
    held: list[HeldInterval], raw: list[tuple[frozenset[str], int, int]]
) -> None:
    proposed = [
        ProposedSlot(
            i,
            datetime(2027, 1, 1),
            datetime(2027, 1, 1),
            BASE + timedelta(minutes=s),
            BASE + timedelta(minutes=s + n),
            units,
        )
        for i, (units, s, n) in enumerate(raw)
    ]
    got = [(c.index, c.units) for c in find_conflicts(proposed, held)]
    assert got == _brute_force(proposed, held)


def test_held_index_returns_every_overlapping_hold_even_after_a_long_one() -> None:
    long_hold = HeldInterval("a", utc(2027, 1, 1), utc(2027, 1, 10), "long")
    short = [HeldInterval("a", utc(2027, 1, 2, h), utc(2027, 1, 2, h, 30), f"s{h}") for h in range(24)]
    index = HeldIndex([long_hold, *short])
    found = index.overlapping("a", utc(2027, 1, 2, 5, 15), utc(2027, 1, 2, 7))
    assert [h.ref for h in found] == ["long", "s5", "s6"]
    assert index.overlapping("b", utc(2027, 1, 2), utc(2027, 1, 3)) == []
    assert index.overlapping("a", utc(2027, 1, 10), utc(2027, 1, 11)) == []


def test_52_against_50000_matches_brute_force() -> None:
    rng = random.Random(7)
    held = []
    for i in range(50_000):
        start = BASE + timedelta(minutes=15 * rng.randrange(0, 4 * 24 * 365))
        end = start + timedelta(minutes=15 * rng.randrange(1, 12))
        held.append(HeldInterval("hall-a", start, end, str(i)))
    weekly = expand_series(
        utc(2027, 1, 5, 19), utc(2027, 1, 5, 21), "FREQ=WEEKLY;COUNT=52", now=NOW, horizon_months=13
    )
    proposed = proposed_slots(weekly, frozenset({"hall-a"}), 15, 15)
    fast = find_conflicts(proposed, held)
    slow = _brute_force(proposed, held)
    assert [(c.index, c.units) for c in fast] == slow
    assert len(slow) > 0
