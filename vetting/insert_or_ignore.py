"""``INSERT ... ON CONFLICT (...) DO NOTHING`` as a statement SQLAlchemy's compiled cache keeps.

SQLAlchemy never caches its PostgreSQL and SQLite ``insert().on_conflict_do_nothing()``
constructs (their classes set ``inherit_cache = False``), so each run compiled the statement
again: two compilations on every booking POST (the idempotency claim and the outbox write),
found by logging the engine's "[generated in ...]" lines. A text statement is cached; its bind
parameters carry the columns' own types, so values are converted exactly as the table's insert
would convert them. Both databases accept the same ``ON CONFLICT (...) DO NOTHING`` (SQLite
3.24 and later), and each conflict target is a unique index the migrations make.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Table, TextClause, bindparam, text
from sqlalchemy.types import NullType


def insert_or_ignore(table: Table, conflict: Sequence[str], binds: Mapping[str, str]) -> TextClause:
    """The insert of `binds` (column name -> bind parameter name) into `table` that does nothing
    when a row with the same `conflict` columns is there already."""
    for name in (table.name, *conflict, *binds):
        # Names are written into the SQL: only the table's own plain column names are accepted.
        assert name.isidentifier() and name.islower(), name
    columns = ", ".join(binds)
    values = ", ".join(f":{param}" for param in binds.values())
    # Only identifiers checked above are written into the SQL; every value is a bind parameter.
    sql = (
        f"INSERT INTO {table.name} ({columns}) VALUES ({values}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(conflict)}) DO NOTHING"
    )
    types = {column: table.c[column].type for column in binds}
    for column, type_ in types.items():
        # A foreign key column's type comes from the column it refers to once that is defined:
        # built too early, a bind would pass values (a UUID) to the driver unconverted.
        if isinstance(type_, NullType):
            raise TypeError(f"{table.name}.{column} has no type yet: build the statement on first use")
    return text(sql).bindparams(*(bindparam(param, type_=types[column]) for column, param in binds.items()))
