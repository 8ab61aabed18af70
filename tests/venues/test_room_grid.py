"""The day grid's layout (venues.room_grid): cells span the rows of their bookings, overlapping
items share one cell, and every slot of every column is covered exactly once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from venues.room_grid import day_grid

DAY = dt.date(2027, 1, 20)


@dataclass(frozen=True)
class Item:
    start: dt.datetime
    end: dt.datetime
    name: str = ""


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_a_booking_spans_its_half_hours_and_the_day_runs_eight_to_ten() -> None:
    grid = day_grid(DAY, [[Item(at(19), at(21), "chess")], []])
    assert grid.slots[0] == dt.time(8) and grid.slots[-1] == dt.time(21, 30) and len(grid.slots) == 28
    row = grid.slots.index(dt.time(19))
    cell = grid.rows[row][0]
    assert cell is not None and cell.rowspan == 4 and [i.name for i in cell.items] == ["chess"]
    assert all(grid.rows[row + k][0] is None for k in (1, 2, 3))
    assert all(r[1] is not None and r[1].rowspan == 1 and not r[1].items for r in grid.rows)


def test_overlapping_requests_share_one_cell_and_odd_times_round_outwards() -> None:
    items = [Item(at(14, 30), at(16, 30), "a"), Item(at(15, 10), at(17, 5), "b"), Item(at(18), at(19), "c")]
    grid = day_grid(DAY, [items])
    top = grid.slots.index(dt.time(14, 30))
    cell = grid.rows[top][0]
    assert cell is not None and [i.name for i in cell.items] == ["a", "b"]
    assert cell.rowspan == 6  # 2:30pm to 5:30pm, 5:05pm rounded up
    later = grid.rows[grid.slots.index(dt.time(18))][0]
    assert later is not None and [i.name for i in later.items] == ["c"]


def test_early_and_late_bookings_stretch_the_day() -> None:
    grid = day_grid(DAY, [[Item(at(6, 30), at(7, 30)), Item(at(22), at(23, 30))]])
    assert grid.slots[0] == dt.time(6) and grid.slots[-1] == dt.time(23, 30)
    past_midnight = day_grid(DAY, [[Item(at(23), at(1, day=DAY + dt.timedelta(days=1)))]])
    assert past_midnight.slots[-1] == dt.time(23, 30)
    last = past_midnight.rows[past_midnight.slots.index(dt.time(23))][0]
    assert last is not None and last.rowspan == 2


_times = st.integers(0, 24 * 4 - 1).map(lambda q: at(q // 4, (q % 4) * 15))


@given(
    st.lists(
        st.lists(st.tuples(_times, st.integers(1, 16)), max_size=6),
        min_size=1,
        max_size=4,
    )
)
def test_every_slot_of_every_column_is_covered_once_and_no_item_is_lost(
    columns: list[list[tuple[dt.datetime, int]]],
) -> None:
    data = [
        [Item(s, s + dt.timedelta(minutes=15 * n), f"{j}-{i}") for i, (s, n) in enumerate(c)]
        for j, c in enumerate(columns)
    ]
    grid = day_grid(DAY, data)
    for j, column in enumerate(data):
        covered = 0
        shown: list[str] = []
        i = 0
        while i < len(grid.rows):
            cell = grid.rows[i][j]
            assert cell is not None, (i, j)
            shown += [item.name for item in cell.items]
            covered += cell.rowspan
            i += cell.rowspan
        assert covered == len(grid.slots)
        assert sorted(shown) == sorted(item.name for item in column)
