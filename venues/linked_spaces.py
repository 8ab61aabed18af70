"""Linked spaces: resolve a room to the atomic units it occupies.

A composite room lists its parts (main hall = hall A + hall B); parts may themselves be composite.
A room with no parts is atomic and occupies itself. Two rooms conflict exactly when their unit
sets intersect, so one hold per (occurrence, unit) with an exclusion constraint on the unit
makes "the main hall blocks both halves, and a half blocks the main hall" hold in the database.
Space in a composite room that belongs to no part should be modelled as a part of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class LinkedSpaceError(ValueError):
    """The linked-space graph is unusable (a room contains itself, directly or through parts)."""


def atomic_units(room_id: str, parts_of: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """The atomic units ``room_id`` occupies; raises :class:`LinkedSpaceError` on a cycle."""
    return _resolve(room_id, parts_of, {}, ())


def units_by_room(parts_of: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    """Units of every room mentioned in ``parts_of`` (as composite or as part); validates the graph."""
    memo: dict[str, frozenset[str]] = {}
    rooms = set(parts_of) | {part for parts in parts_of.values() for part in parts}
    for room in sorted(rooms):
        _resolve(room, parts_of, memo, ())
    return memo


def rooms_conflict(room_a: str, room_b: str, parts_of: Mapping[str, Sequence[str]]) -> bool:
    """Whether bookings of the two rooms at the same time would collide."""
    return not atomic_units(room_a, parts_of).isdisjoint(atomic_units(room_b, parts_of))


def _resolve(
    room_id: str,
    parts_of: Mapping[str, Sequence[str]],
    memo: dict[str, frozenset[str]],
    path: tuple[str, ...],
) -> frozenset[str]:
    if room_id in memo:
        return memo[room_id]
    if room_id in path:
        loop = " -> ".join((*path[path.index(room_id) :], room_id))
        raise LinkedSpaceError(f"Linked spaces form a loop: {loop}; a room cannot contain itself")
    parts = parts_of.get(room_id) or ()
    if isinstance(parts, str):
        raise LinkedSpaceError(f"Parts of {room_id} must be a list of room ids, not a single string")
    if not parts:
        units = frozenset({room_id})
    else:
        units = frozenset().union(*(_resolve(p, parts_of, memo, (*path, room_id)) for p in parts))
    memo[room_id] = units
    return units
