"""Whether occurrences can be booked: opening hours, closures, and overlap with held slots.

This module gathers the pure availability rules in one import; each rule lives in its own module
(``opening_hours``, ``closures``, ``conflicts``, ``linked_spaces``). Everything works on venue-local
wall-clock times for hours and closures, and on aware UTC instants for overlaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from venues.closures import Closure, ClosureError, closure_hits, occupied_dates
from venues.conflicts import (
    Conflict,
    HeldIndex,
    HeldInterval,
    OccurrenceLike,
    ProposedSlot,
    find_conflicts,
    held_interval,
    merge_intervals,
    overlaps,
    proposed_slots,
    self_overlaps,
)
from venues.linked_spaces import LinkedSpaceError, atomic_units, rooms_conflict, units_by_room
from venues.opening_hours import OpeningHours, OpeningHoursError, TimeRange, within_opening_hours
from venues.slot_text import describe_slot

__all__ = [
    "Closure",
    "ClosureError",
    "Conflict",
    "HeldIndex",
    "HeldInterval",
    "LinkedSpaceError",
    "OccurrenceLike",
    "OccurrenceProblem",
    "OpeningHours",
    "OpeningHoursError",
    "ProblemKind",
    "ProposedSlot",
    "TimeRange",
    "atomic_units",
    "check_occurrences",
    "closure_hits",
    "conflict_problems",
    "find_conflicts",
    "held_interval",
    "merge_intervals",
    "occupied_dates",
    "overlaps",
    "proposed_slots",
    "rooms_conflict",
    "self_overlaps",
    "units_by_room",
    "within_opening_hours",
]

ProblemKind = Literal["outside_opening_hours", "closed", "conflict"]


@dataclass(frozen=True)
class OccurrenceProblem:
    """Why one occurrence cannot be booked, worded for the hirer."""

    index: int
    local_start: datetime
    local_end: datetime
    kind: ProblemKind
    detail: str
    # The fact behind the detail, for a reader in another language: the closure's reason.
    note: str = ""

    @property
    def message(self) -> str:
        """``Tue 12 Jan 2027 19:00-21:00: outside opening hours (Tuesday 09:00-18:00)``."""
        return f"{describe_slot(self.local_start, self.local_end)}: {self.detail}"


def check_occurrences(
    occurrences: Iterable[OccurrenceLike],
    hours: OpeningHours | None,
    closures: Sequence[Closure] = (),
) -> list[OccurrenceProblem]:
    """Opening-hours and closure problems, in occurrence order; ``hours=None`` means no restriction."""
    problems: list[OccurrenceProblem] = []
    for occ in occurrences:
        if hours is not None and not hours.fits(occ.local_start, occ.local_end):
            first, last = occupied_dates(occ.local_start, occ.local_end)
            days = sorted({first.weekday(), last.weekday()})
            described = "; ".join(hours.describe_day(d) for d in days)
            problems.append(
                OccurrenceProblem(
                    occ.index,
                    occ.local_start,
                    occ.local_end,
                    "outside_opening_hours",
                    f"outside opening hours ({described})",
                )
            )
        for closure in closure_hits(closures, occ.local_start, occ.local_end):
            problems.append(
                OccurrenceProblem(
                    occ.index,
                    occ.local_start,
                    occ.local_end,
                    "closed",
                    f"venue closed ({closure.reason})",
                    closure.reason,
                )
            )
    return problems


def conflict_problems(conflicts: Iterable[Conflict]) -> list[OccurrenceProblem]:
    """Conflicts in the same shape as other problems (the clashing holds' refs are dropped)."""
    return [OccurrenceProblem(c.index, c.local_start, c.local_end, "conflict", c.reason) for c in conflicts]
