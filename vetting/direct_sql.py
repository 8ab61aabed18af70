"""Fixed reads of unscoped tables, sent straight to asyncpg on PostgreSQL.

A statement through an ``AsyncSession`` costs this worker about 170 us of CPU whatever it does
(the ORM's execution event, the compiled cache's key, the result's processing, the greenlet that
carries the call to the driver), against about 70 us for asyncpg's own ``fetch`` on the same
connection, and a booking request runs a dozen statements (issue 22 item 3, docs/performance.md).
`rows` sends a statement built once with SQLAlchemy as the SQL SQLAlchemy itself would send:
compiled once for the dialect, with its parameters in order and each value and column converted
by its type's own processors, as SQLAlchemy would convert them.

It sends a statement directly only when nothing SQLAlchemy adds is lost:

* the organisation scoping would not narrow it: vetting/tenancy.py applies a restricted scope in
  the ORM's execution event, which a direct statement would pass by, so a statement that reads a
  table the scoping narrows goes directly only while the session has no scope or an unrestricted
  one (as when a booking request plans its dates in the room's own terms);
* its SQL is one fixed text (no list parameter expanded at each run);
* the connection is already inside the session's transaction: SQLAlchemy's asyncpg adapter
  begins it with its first statement, and one sent before that would run outside it.

Otherwise, and always on SQLite, the statement goes through the session as before. Rows come
back as named tuples: they unpack, index and name their columns like SQLAlchemy's rows.
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import visitors
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.selectable import Select, TextualSelect

from vetting.tenancy import Scope, current_scope, scoped_models

Processor = Callable[[Any], Any] | None
_UNSET = object()


@dataclass(frozen=True)
class DirectForm:
    """What is sent for a statement: its SQL, its parameters in order (with the value of any the
    statement fixes itself) and how each value and column is converted."""

    sql: str
    names: tuple[str, ...]
    fixed: tuple[Any, ...]
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...]
    row: type[tuple[Any, ...]]
    reads_scoped: bool

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        out = []
        for name, fixed, convert in zip(self.names, self.fixed, self.binds, strict=True):
            value = params[name] if fixed is _UNSET else params.get(name, fixed)
            out.append(value if convert is None or value is None else convert(value))
        return out

    def converted(self, records: Sequence[Any]) -> list[tuple[Any, ...]]:
        results, row = self.results, self.row
        if not any(results):
            return [row(*record) for record in records]
        return [
            row(
                *(
                    value if convert is None else convert(value)
                    for convert, value in zip(results, record, strict=True)
                )
            )
            for record in records
        ]


def _tables(statement: Select[Any] | TextualSelect) -> set[str]:
    return {element.name for element in visitors.iterate(statement) if isinstance(element, Table)}


def direct_form(statement: Select[Any] | TextualSelect, dialect: Dialect) -> DirectForm | None:
    """How `statement` is sent directly on `dialect`, or None if it must always go through the
    session (its SQL is not one fixed text)."""
    compiled = statement.compile(dialect=dialect)
    if not isinstance(compiled, SQLCompiler) or (not compiled.positiontup and compiled.binds):
        return None
    if any(b.expanding for b in compiled.binds.values()) or "POSTCOMPILE" in compiled.string:
        return None
    names = tuple(compiled.positiontup or ())
    parameters = [compiled.binds[name] for name in names]
    columns = list(statement.selected_columns)
    keys = [str(key) for key in statement.selected_columns.keys()]
    return DirectForm(
        sql=compiled.string,
        names=names,
        fixed=tuple(_UNSET if p.required else p.value for p in parameters),
        binds=tuple(p.type.dialect_impl(dialect).bind_processor(dialect) for p in parameters),
        results=tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns),
        row=namedtuple("DirectRow", keys, rename=True),
        reads_scoped=bool(_tables(statement) & {model.__table__.name for model in scoped_models()}),
    )


# Statement -> its direct form, or None when it goes through the session. Keyed by identity (the
# statements handed in are built once), with the statement kept beside its entry so that its id
# cannot be another's while the entry is here.
_FORMS: dict[int, tuple[Any, DirectForm | None]] = {}
_LOCK = threading.Lock()


def _form(statement: Select[Any] | TextualSelect, dialect: Dialect) -> DirectForm | None:
    with _LOCK:
        found = _FORMS.get(id(statement))
    if found is not None and found[0] is statement:
        return found[1]
    form = direct_form(statement, dialect)
    with _LOCK:
        _FORMS[id(statement)] = (statement, form)
    return form


def _unrestricted(scope: Scope | None) -> bool:
    return scope is None or scope.unrestricted


async def rows(
    session: AsyncSession, statement: Select[Any] | TextualSelect, params: Mapping[str, Any]
) -> Sequence[Any]:
    """All rows of `statement` (built once, not per call) run with `params` in the session's
    transaction."""
    bind = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        form = _form(statement, bind.dialect)
        if form is not None and (not form.reads_scoped or _unrestricted(current_scope(session))):
            connection = await session.connection()
            fairy = connection.sync_connection.connection  # type: ignore[union-attr]  # a checked-out connection
            driver = fairy.driver_connection
            if driver is not None and driver.is_in_transaction():
                return form.converted(await driver.fetch(form.sql, *form.arguments(params)))
    return (await session.execute(statement, params)).all()
