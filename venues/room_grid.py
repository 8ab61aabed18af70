"""A day as a table: time slots as rows, rooms as columns, each booking one cell spanning its
rows. Pure (no database): the manager's day page lays out whatever `casework.venue_schedule` read.

Requests still waiting for a decision may overlap each other or a booking in the same room, so
overlapping items in a column are merged into one cell that lists them all: a table cell cannot
be shared, and the manager needs to see the clash rather than lose one side of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar


class Timed(Protocol):
    @property
    def start(self) -> dt.datetime: ...

    @property
    def end(self) -> dt.datetime: ...


T = TypeVar("T", bound=Timed)

DEFAULT_FIRST_HOUR = 8
DEFAULT_LAST_HOUR = 22


@dataclass
class GridCell(Generic[T]):
    """``rowspan`` rows from this one; ``items`` empty for a free slot."""

    rowspan: int = 1
    items: list[T] = field(default_factory=list)


@dataclass
class DayGrid(Generic[T]):
    slots: list[dt.time]
    # rows[i][j]: the cell starting at slot i of column j, or None where a cell above spans it.
    rows: list[list[GridCell[T] | None]]


def _slot_of(day: dt.date, moment: dt.datetime, first_hour: int, minutes: int, *, up: bool) -> int:
    offset = moment - dt.datetime.combine(day, dt.time(first_hour))
    whole, rest = divmod(int(offset.total_seconds()), minutes * 60)
    return whole + (1 if up and rest else 0)


def hours_for(day: dt.date, items: Sequence[Timed]) -> tuple[int, int]:
    """The grid's first and last hour: 8am to 10pm, stretched to whatever is booked."""
    first, last = DEFAULT_FIRST_HOUR, DEFAULT_LAST_HOUR
    for item in items:
        if item.start.date() == day:
            first = min(first, item.start.hour)
        end_hour = 24 if item.end.date() > day else item.end.hour + (1 if item.end.minute else 0)
        last = max(last, min(end_hour, 24))
    return first, last


def day_grid(day: dt.date, columns: Sequence[Sequence[T]], *, slot_minutes: int = 30) -> DayGrid[T]:
    """Lay out one day; ``columns`` holds each room's items (any order)."""
    everything = [item for column in columns for item in column]
    first_hour, last_hour = hours_for(day, everything)
    count = (last_hour - first_hour) * 60 // slot_minutes
    slots = [
        (dt.datetime.combine(day, dt.time(first_hour)) + dt.timedelta(minutes=slot_minutes * i)).time()
        for i in range(count)
    ]
    rows: list[list[GridCell[T] | None]] = [[GridCell() for _ in columns] for _ in range(count)]
    for j, column in enumerate(columns):
        clusters: list[tuple[int, int, list[T]]] = []
        for item in sorted(column, key=lambda i: (i.start, i.end)):
            top = max(0, _slot_of(day, item.start, first_hour, slot_minutes, up=False))
            bottom = min(count, max(top + 1, _slot_of(day, item.end, first_hour, slot_minutes, up=True)))
            if top >= count:
                continue
            if clusters and top < clusters[-1][1]:
                start, end, items = clusters[-1]
                clusters[-1] = (start, max(end, bottom), [*items, item])
            else:
                clusters.append((top, bottom, [item]))
        for top, bottom, items in clusters:
            rows[top][j] = GridCell(rowspan=bottom - top, items=items)
            for i in range(top + 1, bottom):
                rows[i][j] = None
    return DayGrid(slots=slots, rows=rows)


__all__ = ["DayGrid", "GridCell", "day_grid", "hours_for"]
