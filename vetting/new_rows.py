"""New objects written without the unit of work, then held by the session as if loaded.

The unit of work sorts, diffs and bookkeeps every object it flushes, and for a booking request's
half-dozen new rows that was a tenth of the request's CPU (bench/submit_cpu.py, py-spy). Code
that builds a known set of new rows, parents first, can write them this way instead: each row
is exactly what the flush would have written (the columns' Python defaults applied, as the ORM
applies them), and afterwards the objects are persistent in the session, with nothing pending.
On PostgreSQL the rows of several tables go in one statement, on SQLite one INSERT per table.
Rows with no object to hold them (the history's, numbered by a sequence) can go in beside them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Insert, Table, TextClause, bindparam, insert, text
from sqlalchemy import Sequence as SequenceDefault
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, class_mapper, make_transient_to_detached

from vetting import direct_sql

# The column SQLAlchemy adds for matching rows of a many-row INSERT to their objects; never ours to fill.
_SENTINEL = "sa_orm_sentinel"
# A sequence's name as the models give it, written into ``nextval('...')`` as it is.
_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def _row(mapper: Mapper[Any], obj: object) -> dict[str, Any]:
    """The object's column values by column name, Python-side defaults applied (and kept on the
    object, so it reads as it would after a flush). Server-side defaults are left to the server."""
    row: dict[str, Any] = {}
    values = obj.__dict__
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        value = values.get(prop.key)
        # As the flush does: a None the column's type does not store as a value of its own (JSON
        # stores 'null') is left out, so the column takes its default, or NULL.
        if value is not None or (prop.key in values and column.type.should_evaluate_none):
            row[column.name] = value
            continue
        default = column.default
        if default is None or column.name == _SENTINEL:
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


Shape = tuple[tuple[Table, tuple[str, ...], int], ...]


@functools.cache
def _fits_one_statement(table: Table) -> bool:
    """Whether the one-statement text below can write the table's rows: every value its INSERT
    needs is a bound parameter, the database's own default or a sequence's next value (rendered
    as ``nextval``, as SQLAlchemy renders it); not so for a column whose default is a SQL
    expression SQLAlchemy writes into the statement, which the text would leave out."""
    return all(
        column.default is None
        or column.default.is_scalar
        or column.default.is_callable
        or _sequence_of(column) is not None
        for column in table.columns
        if column.name != _SENTINEL
    )


def _sequence_of(column: Column[Any]) -> str | None:
    """The sequence that numbers the column (the history's ids), as ``nextval`` names it; None
    for any other default, and for a sequence whose name is not a plain one (its table then keeps
    an INSERT of its own, where SQLAlchemy writes the name)."""
    default = column.default
    if not isinstance(default, SequenceDefault) or default.schema is not None:
        return None
    return default.name if _PLAIN_NAME.fullmatch(default.name) else None


def _numbered(table: Table, columns: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The columns a sequence fills that the rows leave out, with the sequence's name."""
    return tuple(
        (column.name, name)
        for column in table.columns
        if column.name not in columns and (name := _sequence_of(column)) is not None
    )


def _name(batch: int, row: int, column: str) -> str:
    return f"b{batch}_{row}_{column}"


def _quote(name: str) -> str:
    """A PostgreSQL quoted identifier (the models' own table and column names)."""
    return '"' + name.replace('"', '""') + '"'


@functools.lru_cache(maxsize=64)
def _inserts_in_one(shape: Shape) -> TextClause:
    """One PostgreSQL statement inserting every batch of `shape` (table, columns, rows), in its
    order, with a bound parameter of the column's type per value; built once per shape.

    Written as text: SQLAlchemy gives an INSERT with INSERTs in its WITH clause no cache key, so
    it compiled the statement again on every run, which cost more than the round trips saved."""
    clauses: list[str] = []
    binds = []
    for n, (table, columns, count) in enumerate(shape):
        numbered = _numbered(table, columns)
        rows = []
        for r in range(count):
            values = [f":{_name(n, r, column)}" for column in columns]
            values += [f"nextval('{sequence}')" for _column, sequence in numbered]
            rows.append("(" + ", ".join(values) + ")")
            binds += [bindparam(_name(n, r, column), type_=table.c[column].type) for column in columns]
        names = ", ".join(_quote(column) for column in (*columns, *(column for column, _ in numbered)))
        # Names from the models, quoted; every value a bound parameter or a checked sequence's nextval.
        clauses.append(f"INSERT INTO {_quote(table.name)} ({names}) VALUES {', '.join(rows)}")  # noqa: S608
    *first, last = clauses
    with_clause = ", ".join(f"new_rows_{n} AS ({clause})" for n, clause in enumerate(first))
    return text(f"WITH {with_clause} {last}").bindparams(*binds)


async def insert_new(
    session: AsyncSession,
    objects: Sequence[object],
    rows: Sequence[tuple[Table, Sequence[dict[str, Any]]]] = (),
) -> None:
    """Write `objects` (new, not in any session; parents before children) with one INSERT per
    table and set of columns, in order of first appearance, then add them to `session` as
    persistent objects. `rows` are written after them as they are, with no object to hold them
    (the history's, whose ids the database numbers)."""
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
    for table, plain_rows in rows:
        for row in plain_rows:
            batches.setdefault((table, frozenset(row)), []).append(row)
    bind = session.bind
    in_one = len(batches) > 1 and all(_fits_one_statement(table) for table, _columns in batches)
    if in_one and bind is not None and bind.dialect.name == "postgresql":
        # PostgreSQL takes them all in one statement, each table's INSERT a WITH clause of it:
        # one round trip instead of one per table. Foreign keys are checked at the end of the
        # statement, so children may name parents inserted beside them.
        shape = tuple(
            (table, tuple(sorted(columns)), len(batch)) for (table, columns), batch in batches.items()
        )
        params = {
            _name(n, r, column): row[column]
            for n, ((_table, columns, _count), batch) in enumerate(zip(shape, batches.values(), strict=True))
            for r, row in enumerate(batch)
            for column in columns
        }
        await direct_sql.run(session, _inserts_in_one(shape), params)
    else:
        for (table, _columns), batch in batches.items():
            await session.execute(_insert_into(table), batch)
    for obj in objects:
        make_transient_to_detached(obj)
        session.add(obj)
