"""What an edit of a venue or room changed, field by field, for the audit record.

Pure functions over plain values. Fields that may hold personal or sensitive data (a contact's
email or telephone number, access instructions with key-safe codes) are recorded as changed
without their values: the audit log holds no personal data.
"""

from __future__ import annotations

from typing import Any

from venues.models import Room, Venue

VENUE_FIELDS = (
    "name",
    "address",
    "timezone",
    "policy_id",
    "bank_holidays_region",
    "contact_email",
    "contact_phone",
    "access_instructions",
    "invoice_on",
)
ROOM_FIELDS = (
    "name",
    "capacity",
    "accessibility",
    "opening_hours",
    "buffer_before_minutes",
    "buffer_after_minutes",
)
WITHOUT_VALUES = frozenset({"contact_email", "contact_phone", "access_instructions"})


def venue_fields(venue: Venue) -> dict[str, Any]:
    return {name: getattr(venue, name) for name in VENUE_FIELDS}


def room_fields(room: Room) -> dict[str, Any]:
    return {name: getattr(room, name) for name in ROOM_FIELDS}


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{field: {"from": old, "to": new}}`` for each field whose value differs; the fields in
    `WITHOUT_VALUES` as ``{"changed": True}``."""
    out: dict[str, dict[str, Any]] = {}
    for name, old in before.items():
        new = after.get(name)
        if old == new:
            continue
        out[name] = {"changed": True} if name in WITHOUT_VALUES else {"from": old, "to": new}
    return out
