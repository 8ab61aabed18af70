"""Ids read as the database driver returns them, for reads of thousands of rows.

advanced-alchemy's GUID type turns every id read into a `uuid.UUID` through a type decorator; on
SQLite that is a new object per row from 16 bytes, and the directory reads each venue's id once
per room and each unit's once per hold, only to use them as keys. `raw_id` selects an id column
with no conversion (bytes on SQLite, asyncpg's own UUID on PostgreSQL) and `id_key` makes the
same string of either, or of a `uuid.UUID`, so keys from raw and converted ids meet.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, type_coerce
from sqlalchemy.types import NullType


def raw_id(column: Any) -> ColumnElement[Any]:
    """The column in a SELECT list, its value as the driver gives it (no result processing)."""
    return type_coerce(column, NullType())


def id_key(value: bytes | UUID) -> str:
    """32 hex digits of an id, raw (`raw_id`) or converted."""
    return value.hex() if isinstance(value, bytes) else value.hex


__all__ = ["id_key", "raw_id"]
