"""The arithmetic of the reports page, kept apart from the queries: small-count suppression,
percentiles of working days, and a room's open hours over a period. Pure functions, no database.

Suppression rule (the same as the partnership oversight report's, casework/oversight.py): a count
of requests, decisions, referrals or appeals from 1 to 4 is shown as "fewer than 5". Where a
breakdown publishes its total, one hidden cell could be worked out by subtraction, so when exactly
one cell of a breakdown is hidden the next smallest non-zero cell is hidden too. Medians and
percentiles are given only when at least 5 decisions stand behind them. Zero is shown as zero.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence

from casework.oversight import THRESHOLD, Count

__all__ = [
    "THRESHOLD",
    "Count",
    "nearest_rank",
    "open_minutes",
    "publish",
    "suppress_breakdown",
]


def publish(n: int, threshold: int = THRESHOLD) -> Count:
    """A count as published: hidden (None) from 1 to `threshold` - 1."""
    return Count(None if 0 < n < threshold else n)


def suppress_breakdown(
    counts: Mapping[str, int], *, threshold: int = THRESHOLD, total_shown: bool = True
) -> dict[str, Count]:
    """Each cell as published: below the threshold hidden, and a second cell hidden with it when
    only one was (and the total is shown), so that subtraction cannot reveal it."""
    out = {key: publish(n, threshold) for key, n in counts.items()}
    hidden = [k for k, c in out.items() if c.suppressed]
    if total_shown and len(hidden) == 1:
        others = sorted((n, k) for k, n in counts.items() if n > 0 and not out[k].suppressed)
        if others:
            out[others[0][1]] = Count(None)
    return out


def nearest_rank(values: Sequence[int], share: float) -> int:
    """The smallest value that at least `share` of `values` do not exceed (sorted input)."""
    rank = max(1, math.ceil(share * len(values)))
    return values[rank - 1]


def median(values: Sequence[int]) -> float:
    return float(statistics.median(values))


def open_minutes(
    weekday_minutes: Sequence[int], start: dt.date, end: dt.date, closed: Iterable[dt.date]
) -> int:
    """Minutes a room is open from `start` to `end` inclusive: its weekly hours on every day but
    the closed ones (closures of the venue or room, bank holidays where the venue closes)."""
    days = (end - start).days + 1
    total = 0
    for weekday in range(7):
        first = (weekday - start.weekday()) % 7
        occurrences = 0 if first >= days else (days - 1 - first) // 7 + 1
        total += occurrences * weekday_minutes[weekday]
    for day in set(closed):
        if start <= day <= end:
            total -= weekday_minutes[day.weekday()]
    return total


def expand_counts(pairs: Iterable[tuple[int, int]]) -> list[int]:
    """(value, how many) pairs as one sorted list of values."""
    out: list[int] = []
    for value, n in sorted(pairs):
        out.extend([value] * n)
    return out


def share(part: float, whole: float) -> float | None:
    return round(part / whole, 3) if whole > 0 else None


def bucket_of(days: int, edges: Sequence[int]) -> int:
    """Index of the bucket `days` falls in: edges (5, 10, 20) make 0-5, 6-10, 11-20, over 20."""
    for i, edge in enumerate(edges):
        if days <= edge:
            return i
    return len(edges)
