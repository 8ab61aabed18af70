"""Rooms and venues as the directory reads them: plain columns rather than ORM objects, and what
availability and the filter read of either (a `Room` or a `RoomCard`).

The directory lists every room of every venue, and building ORM objects for them cost more than
the reads; JSON columns are read as text and decoded once per distinct value, as most rooms
share a few ("[]", the usual opening hours).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from venues.driver_ids import id_key
from venues.opening_hours import OpeningHours


class RoomLike(Protocol):
    """What availability and the filter read of a room (a `Room` or a `RoomCard`)."""

    @property
    def id(self) -> UUID: ...
    @property
    def capacity(self) -> int: ...
    @property
    def accessibility(self) -> list[str]: ...
    @property
    def facilities(self) -> list[str]: ...
    @property
    def opening_hours(self) -> dict[str, Any]: ...
    @property
    def buffer_before_minutes(self) -> int: ...
    @property
    def buffer_after_minutes(self) -> int: ...


class VenueLike(Protocol):
    @property
    def id(self) -> UUID: ...
    @property
    def timezone(self) -> str: ...
    @property
    def bank_holidays_region(self) -> str | None: ...


class RoomCard(NamedTuple):
    """A room as the directory lists it. Named tuples rather than frozen dataclasses: as
    immutable, and made in a fifth of the time, which counts a thousand times a search."""

    id: UUID
    name: str
    capacity: int
    accessibility: list[str]
    facilities: list[str]
    layouts: dict[str, int]
    opening_hours: dict[str, Any]
    buffer_before_minutes: int
    buffer_after_minutes: int
    parsed_hours: OpeningHours | None = None
    key: str = ""  # `venues.driver_ids.id_key` of the id, made once


class VenueCard(NamedTuple):
    id: UUID
    name: str
    address: str
    owner_name: str
    directions: str | None
    timezone: str
    bank_holidays_region: str | None
    rate_card_id: str | None = None


def room_hours(room: RoomLike) -> OpeningHours | None:
    if isinstance(room, RoomCard):
        return room.parsed_hours
    if not room.opening_hours:
        return None
    return _parsed_hours(json.dumps(room.opening_hours, sort_keys=True))


@functools.lru_cache(maxsize=512)
def _parsed_hours(canonical: str) -> OpeningHours:
    # Most rooms share a handful of timetables: parse each once, not once per room per request.
    return OpeningHours.parse(json.loads(canonical))


@functools.lru_cache(maxsize=4096)
def _decoded(raw: str | None) -> Any:
    """A JSON column's value from its text; shared between rooms, so never to be changed."""
    return json.loads(raw) if raw else None


def room_key(room: RoomLike) -> str:
    """The room's `id_key`, made once for a card."""
    return room.key if isinstance(room, RoomCard) else id_key(room.id)


def room_card(row: Sequence[Any]) -> RoomCard:
    """A card from the columns `venues.directory` selects, in their order, the id as the driver
    gave it (`venues.driver_ids.raw_id`)."""
    raw, name, capacity, access, facilities, layouts, hours, before, after = row
    opening = _decoded(hours)
    return RoomCard(
        raw if isinstance(raw, UUID) else UUID(bytes=raw),
        name,
        capacity,
        _decoded(access) or [],
        _decoded(facilities) or [],
        _decoded(layouts) or {},
        opening or {},
        before,
        after,
        _parsed_hours(hours) if opening else None,
        id_key(raw),
    )


__all__ = ["RoomCard", "RoomLike", "VenueCard", "VenueLike", "room_card", "room_hours", "room_key"]
