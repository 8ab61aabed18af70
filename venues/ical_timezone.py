"""A rule-based VTIMEZONE (one STANDARD and one DAYLIGHT block, each with a yearly RRULE).

Outlook reads a VTIMEZONE only when it is written this way; the long RDATE lists that some
generators derive from the tz database are ignored or mangled by it. The rules are derived from
zoneinfo for a reference year and then checked against zoneinfo for the following decades, so a
zone whose rules cannot be written as "the n-th (or last) weekday of a month" is refused rather
than published wrong.
"""

from __future__ import annotations

import calendar as stdcal
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_REFERENCE_YEAR = 2027
_CHECKED_YEARS = 30


@dataclass(frozen=True)
class Observance:
    """One STANDARD or DAYLIGHT block: the local wall time the change happens, by the old offset."""

    kind: str  # "STANDARD" or "DAYLIGHT"
    name: str
    offset_from: timedelta
    offset_to: timedelta
    month: int
    ordinal: int  # 1..4, or -1 for the last such weekday of the month
    weekday: int  # 0 = Monday
    local_time: timedelta  # time of day of the change, in the offset in force before it

    def rrule(self) -> str:
        return f"FREQ=YEARLY;BYMONTH={self.month};BYDAY={self.ordinal}{_WEEKDAYS[self.weekday]}"

    def onset(self, year: int) -> datetime:
        """The UTC instant of this change in `year`."""
        day = _nth_weekday(year, self.month, self.weekday, self.ordinal)
        local = datetime(day.year, day.month, day.day, tzinfo=UTC) + self.local_time
        return local - self.offset_from


def _nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date:
    days = stdcal.monthrange(year, month)[1]
    if ordinal == -1:
        last = date(year, month, days)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    off = instant.astimezone(zone).utcoffset()
    assert off is not None  # zoneinfo always has an offset for an aware datetime
    return off


def _transitions(zone: ZoneInfo, year: int) -> list[datetime]:
    """UTC instants in `year` where the zone's offset changes (to the minute)."""
    found: list[datetime] = []
    step = timedelta(hours=6)
    t = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    while t < end:
        nxt = t + step
        if _offset(zone, t) != _offset(zone, nxt):
            lo, hi = t, nxt
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if _offset(zone, mid) == _offset(zone, lo):
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        t = nxt
    return found


@lru_cache(maxsize=16)
def observances(tzid: str) -> tuple[Observance, ...]:
    """The zone's current rules as observances; a zone without clock changes has just STANDARD."""
    zone = ZoneInfo(tzid)
    changes = _transitions(zone, _REFERENCE_YEAR)
    if not changes:
        jan = datetime(_REFERENCE_YEAR, 1, 1, tzinfo=UTC)
        off = _offset(zone, jan)
        name = jan.astimezone(zone).tzname() or tzid
        return (Observance("STANDARD", name, off, off, 1, 1, 3, timedelta(0)),)
    if len(changes) != 2:
        raise ValueError(f"{tzid}: {len(changes)} clock changes in {_REFERENCE_YEAR}, cannot write as rules")
    result: list[Observance] = []
    for instant in changes:
        before = _offset(zone, instant - timedelta(minutes=1))
        after_local = instant.astimezone(zone)
        after = _offset(zone, instant)
        local = (instant + before).replace(tzinfo=None)
        days_in_month = stdcal.monthrange(local.year, local.month)[1]
        ordinal = -1 if local.day + 7 > days_in_month else (local.day - 1) // 7 + 1
        is_dst = bool(after_local.dst())
        result.append(
            Observance(
                kind="DAYLIGHT" if is_dst else "STANDARD",
                name=after_local.tzname() or tzid,
                offset_from=before,
                offset_to=after,
                month=local.month,
                ordinal=ordinal,
                weekday=local.weekday(),
                local_time=timedelta(hours=local.hour, minutes=local.minute),
            )
        )
    for obs in result:
        for year in range(_REFERENCE_YEAR - 5, _REFERENCE_YEAR + _CHECKED_YEARS):
            onset = obs.onset(year)
            if (
                _offset(zone, onset - timedelta(minutes=1)) != obs.offset_from
                or _offset(zone, onset) != obs.offset_to
            ):
                raise ValueError(f"{tzid}: the {obs.kind} rule does not hold in {year}")
    return tuple(sorted(result, key=lambda o: o.kind != "STANDARD"))


def _utc_offset(value: timedelta) -> str:
    minutes = int(value.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{mins:02d}"


@lru_cache(maxsize=16)
def vtimezone_lines(tzid: str) -> tuple[str, ...]:
    """The VTIMEZONE as unfolded content lines (all short and ASCII, so folding is never needed)."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    for obs in observances(tzid):
        first = _nth_weekday(1970, obs.month, obs.weekday, obs.ordinal)
        seconds = int(obs.local_time.total_seconds())
        start = datetime(first.year, first.month, first.day) + timedelta(seconds=seconds)
        lines += [
            f"BEGIN:{obs.kind}",
            f"DTSTART:{start:%Y%m%dT%H%M%S}",
            f"TZOFFSETFROM:{_utc_offset(obs.offset_from)}",
            f"TZOFFSETTO:{_utc_offset(obs.offset_to)}",
            f"TZNAME:{obs.name}",
        ]
        if obs.offset_from != obs.offset_to:
            lines.append(f"RRULE:{obs.rrule()}")
        lines.append(f"END:{obs.kind}")
    lines.append("END:VTIMEZONE")
    return tuple(lines)
