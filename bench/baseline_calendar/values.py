"""Typed property values of the plan, and the time helpers both the plan and the writer use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

# --------------------------------------------------------------------------------------------
# The plan: calendar properties and events as (name, value) pairs with typed values, shared by
# both serializers. The value wrappers are NamedTuples because a 2,000-event feed creates some
# 30,000 of them and hashes them again in the serializer's memo; a property name always carries
# the same kind of value, so tuple equality across kinds never matters.


class _Local(NamedTuple):
    """A wall-clock time in the feed's zone, written with TZID."""

    value: datetime  # naive


class _Text(NamedTuple):
    value: str


class _Token(NamedTuple):
    """A value written verbatim (enumerations, integers, durations, rules)."""

    value: str


_Value = _Local | _Text | _Token | datetime | date
_Prop = tuple[str, _Value]


@dataclass
class _PlannedEvent:
    props: list[_Prop] = field(default_factory=list)


def _local_stamp(dt: datetime) -> str:
    return f"{dt.year:04d}{dt.month:02d}{dt.day:02d}T{dt.hour:02d}{dt.minute:02d}{dt.second:02d}"


@lru_cache(maxsize=4096)
def _utc_stamp(dt: datetime) -> str:
    return f"{_local_stamp(dt.astimezone(UTC))}Z"


@lru_cache(maxsize=8)
def _zone(tzid: str) -> ZoneInfo:
    return ZoneInfo(tzid)


def _repeated(local: datetime) -> bool:
    """Whether this wall-clock time happens twice (the October hour), so naming it is ambiguous."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _when(dt: datetime, zone: ZoneInfo) -> _Value:
    """TZID form when the local time names this instant unambiguously; UTC otherwise.

    Both passes of the repeated October hour are written in UTC: RFC 5545 says a TZID time there
    means the first, but readers differ (ical.js takes the second), so no TZID form is safe.
    """
    local = dt.astimezone(zone)
    if _repeated(local):
        return dt.astimezone(UTC)
    return _Local(local.replace(tzinfo=None))
