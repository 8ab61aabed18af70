"""New objects written with one Core INSERT per table, then held by the session as if loaded.

The unit of work sorts, diffs and bookkeeps every object it flushes, and for a booking request's
half-dozen new rows that was a tenth of the request's CPU (bench/submit_cpu.py, py-spy). Code
that builds a known set of new rows, parents first, can write them this way instead: each row
is exactly what the flush would have written (the columns' Python defaults applied, as the ORM
applies them), and afterwards the objects are persistent in the session, with nothing pending.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, Table, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, class_mapper, make_transient_to_detached


def _row(mapper: Mapper[Any], obj: object) -> dict[str, Any]:
    """The object's column values by column name, Python-side defaults applied (and kept on the
    object, so it reads as it would after a flush). Server-side defaults are left to the server."""
    row: dict[str, Any] = {}
    values = obj.__dict__
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if prop.key in values:
            row[column.name] = values[prop.key]
            continue
        default = column.default
        if default is None or column.name == "sa_orm_sentinel":
            continue
        if default.is_scalar:
            value = default.arg
        elif default.is_callable:
            # SQLAlchemy wraps every callable default to take the execution context; none of the
            # models' defaults reads it.
            value = default.arg(None)
        else:
            continue  # a sequence or SQL expression: the INSERT leaves it to the database
        setattr(obj, prop.key, value)
        row[column.name] = value
    return row


@functools.cache
def _insert_into(table: Table) -> Insert:
    """One INSERT statement object per table: SQLAlchemy keeps its cache key on the object."""
    return insert(table)


async def insert_new(session: AsyncSession, objects: Sequence[object]) -> None:
    """Write `objects` (new, not in any session; parents before children) with one INSERT per
    table and set of columns, in order of first appearance, then add them to `session` as
    persistent objects."""
    # Rows of one table naming the same columns go in one executemany; a row that leaves out a
    # column others name (an unset column with no Python default) gets a statement of its own,
    # so that the column takes its server default or NULL as a flush would give it.
    batches: dict[tuple[Table, frozenset[str]], list[dict[str, Any]]] = {}
    for obj in objects:
        mapper = class_mapper(type(obj))
        table = mapper.local_table
        assert isinstance(table, Table)
        row = _row(mapper, obj)
        batches.setdefault((table, frozenset(row)), []).append(row)
    for (table, _columns), rows in batches.items():
        await session.execute(_insert_into(table), rows)
    for obj in objects:
        make_transient_to_detached(obj)
        session.add(obj)
