"""Overlap of held time slots per atomic unit, with set-up and clear-down buffers.

Intervals are half-open ``[start, end)``: a booking ending at 19:00 and one starting at 19:00 do not
overlap. A held interval already includes its buffers (the room is busy while being set up and
cleared down), so two bookings collide when their buffered intervals overlap on a shared unit.
Conflicts name only the proposed occurrence's local date and time; ``held_refs`` carries the
caller's own ids of the clashing holds for officer views and must never be shown to a hirer.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from operator import attrgetter
from typing import Protocol

from venues.slot_text import describe_slot


class OccurrenceLike(Protocol):
    """What :func:`proposed_slots` reads: a ``venues.recurrence.Occurrence`` or an ORM row alike."""

    @property
    def index(self) -> int: ...
    @property
    def start_utc(self) -> datetime: ...
    @property
    def end_utc(self) -> datetime: ...
    @property
    def local_start(self) -> datetime: ...
    @property
    def local_end(self) -> datetime: ...


@dataclass(frozen=True)
class HeldInterval:
    """A unit busy over ``[start, end)`` (aware UTC, buffers included); ``ref`` is an internal id."""

    unit: str
    start: datetime
    end: datetime
    ref: str | None = None


@dataclass(frozen=True)
class ProposedSlot:
    """An occurrence about to be held: its local times for messages, buffered UTC range, units."""

    index: int
    local_start: datetime
    local_end: datetime
    start: datetime
    end: datetime
    units: frozenset[str]

    def holds(self, ref: str | None = None) -> list[HeldInterval]:
        """One hold per unit, sorted by unit: the rows an exclusion constraint guards."""
        return [HeldInterval(unit, self.start, self.end, ref) for unit in sorted(self.units)]


# Why a date of a series clashes with another date of the same series (not with another booking).
OWN_SERIES = "overlaps another occurrence of this series"


@dataclass(frozen=True)
class Conflict:
    """A proposed occurrence that cannot be held; safe to show to the hirer except ``held_refs``."""

    index: int
    local_start: datetime
    local_end: datetime
    units: frozenset[str]
    held_refs: tuple[str, ...] = ()
    reason: str = "already booked"

    def describe(self) -> str:
        """``Tue 12 Jan 2027 19:00-21:00: already booked``."""
        return f"{describe_slot(self.local_start, self.local_end)}: {self.reason}"


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open overlap: touching intervals do not overlap."""
    return a_start < b_end and b_start < a_end


def held_interval(
    start_utc: datetime, end_utc: datetime, buffer_before_min: int = 0, buffer_after_min: int = 0
) -> tuple[datetime, datetime]:
    """The span a booking keeps the room busy: set-up before, clear-down after."""
    if buffer_before_min < 0 or buffer_after_min < 0:
        raise ValueError("buffer minutes cannot be negative")
    return start_utc - timedelta(minutes=buffer_before_min), end_utc + timedelta(minutes=buffer_after_min)


def proposed_slots(
    occurrences: Iterable[OccurrenceLike],
    units: frozenset[str],
    buffer_before_min: int = 0,
    buffer_after_min: int = 0,
) -> list[ProposedSlot]:
    """Turn a room's occurrences (units from ``atomic_units``, buffers of that room) into slots."""
    slots = []
    for occ in occurrences:
        start, end = held_interval(occ.start_utc, occ.end_utc, buffer_before_min, buffer_after_min)
        slots.append(ProposedSlot(occ.index, occ.local_start, occ.local_end, start, end, units))
    return slots


_start_of = attrgetter("start")


class HeldIndex:
    """Held intervals grouped by unit and sorted by start, for many overlap queries.

    Building costs O(m log m); each query is O(log m + k) where k is the number of holds that start
    before the query ends but whose ends pass the running maximum - in practice the actual overlaps.
    """

    def __init__(self, held: Iterable[HeldInterval]) -> None:
        by_unit: dict[str, list[HeldInterval]] = {}
        for h in held:
            by_unit.setdefault(h.unit, []).append(h)
        self._held: dict[str, list[HeldInterval]] = {}
        self._starts: dict[str, list[datetime]] = {}
        self._max_ends: dict[str, list[datetime]] = {}
        for unit, items in by_unit.items():
            items.sort(key=_start_of)
            self._held[unit] = items
            self._starts[unit] = [h.start for h in items]
            # Running maximum of ends is non-decreasing, so it can be bisected to skip holds that
            # ended before the query starts.
            self._max_ends[unit] = list(accumulate([h.end for h in items], max))

    def overlapping(self, unit: str, start: datetime, end: datetime) -> list[HeldInterval]:
        """Holds on ``unit`` that overlap ``[start, end)``, in start order."""
        items = self._held.get(unit)
        if not items:
            return []
        hi = bisect_left(self._starts[unit], end)
        lo = bisect_right(self._max_ends[unit], start, 0, hi)
        return [h for h in items[lo:hi] if h.end > start]


def find_conflicts(
    proposed: Sequence[ProposedSlot], held: Sequence[HeldInterval] | HeldIndex
) -> list[Conflict]:
    """Proposed slots that overlap any held interval on a shared unit, in proposal order."""
    index = held if isinstance(held, HeldIndex) else HeldIndex(held)
    conflicts = []
    for slot in proposed:
        hit_units: set[str] = set()
        refs: list[str] = []
        for unit in sorted(slot.units):
            hits = index.overlapping(unit, slot.start, slot.end)
            if hits:
                hit_units.add(unit)
                refs.extend(h.ref for h in hits if h.ref is not None and h.ref not in refs)
        if hit_units:
            conflicts.append(
                Conflict(slot.index, slot.local_start, slot.local_end, frozenset(hit_units), tuple(refs))
            )
    return conflicts


def self_overlaps(proposed: Sequence[ProposedSlot]) -> list[Conflict]:
    """Slots of one series that overlap an earlier-starting slot of the same series on a shared unit."""
    clashing: dict[int, set[str]] = {}
    for unit in sorted({u for slot in proposed for u in slot.units}):
        latest_end: datetime | None = None
        for slot in sorted((s for s in proposed if unit in s.units), key=lambda s: (s.start, s.index)):
            if latest_end is not None and slot.start < latest_end:
                clashing.setdefault(slot.index, set()).add(unit)
            latest_end = slot.end if latest_end is None else max(latest_end, slot.end)
    return [
        Conflict(
            slot.index,
            slot.local_start,
            slot.local_end,
            frozenset(clashing[slot.index]),
            reason=OWN_SERIES,
        )
        for slot in sorted(proposed, key=lambda s: s.index)
        if slot.index in clashing
    ]


def merge_intervals(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Union of intervals as sorted, disjoint spans (touching spans join): busy time without detail."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
