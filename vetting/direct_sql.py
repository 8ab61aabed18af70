"""Fixed statements sent straight to asyncpg on PostgreSQL, as SQLAlchemy would send them.

A statement through an ``AsyncSession`` costs this worker about 170 us of CPU whatever it does
(the ORM's execution event, the compiled cache's key, the result's processing, the greenlet that
carries the call to the driver), against about 70 us for asyncpg's own ``fetch`` on the same
connection, and a booking request runs a dozen statements (issue 22 item 3, docs/performance.md).
`rows` (a read) and `run` (a write) send a statement built once with SQLAlchemy as the SQL
SQLAlchemy itself would send: compiled once for the dialect (a list parameter expanded for each
run's lengths, as SQLAlchemy expands it), with its parameters in order and each value and column
converted by its type's own processors, as SQLAlchemy would convert them.

It sends a statement directly only when nothing SQLAlchemy adds is lost:

* the organisation scoping would not narrow it: vetting/tenancy.py applies a restricted scope in
  the ORM's execution event, which a direct statement would pass by, so a statement that reads a
  table the scoping narrows goes directly only while the session has no scope or an unrestricted
  one (as when a booking request plans its dates in the room's own terms), or when the statement
  itself asks for every organisation's rows (``ALL_PROVIDERS``);
* no value is written into its SQL at each run (a literal rendered after compiling);
* the connection is already inside the session's transaction: SQLAlchemy's asyncpg adapter
  begins it with its first statement, and one sent before that would run outside it;
* the session has nothing waiting to be flushed (its own run would flush it first, so that the
  statement sees it).

Otherwise, and always on SQLite, the statement goes through the session as before. Rows come
back as named tuples: they unpack, index and name their columns like SQLAlchemy's rows.
"""

from __future__ import annotations

import threading
import weakref
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import asyncpg
from sqlalchemy import Table, exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.util import await_only

from vetting.tenancy import ALL_PROVIDERS, Scope, current_scope, scoped_models

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
    # A statement with list parameters: its SQL is made for each run's list lengths.
    expanding: SQLCompiler | None = None

    def arguments(self, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """The SQL to send with `params`, and the values in its parameters' order."""
        if self.expanding is not None:
            return self._expanded(self.expanding, params)
        out = []
        for name, fixed, convert in zip(self.names, self.fixed, self.binds, strict=True):
            value = params[name] if fixed is _UNSET else params.get(name, fixed)
            # As SQLAlchemy does, None too goes through the type's conversion (JSON's null).
            out.append(value if convert is None else convert(value))
        return self.sql, out

    def _expanded(self, compiled: SQLCompiler, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
        state = compiled.construct_expanded_state(dict(params))
        positions = state.positiontup or ()
        converts = dict(zip(self.names, self.binds, strict=True)) | dict(state.processors)
        values = state.parameters
        out = []
        for name in positions:
            convert = converts.get(name)
            out.append(values[name] if convert is None else convert(values[name]))
        return state.statement, out

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


def _tables(statement: ClauseElement) -> set[str]:
    return {element.name for element in visitors.iterate(statement) if isinstance(element, Table)}


def direct_form(statement: Executable, dialect: Dialect) -> DirectForm | None:
    """How `statement` is sent directly on `dialect`, or None if it must always go through the
    session (its SQL is not one fixed text)."""
    element = cast(ClauseElement, statement)  # every executable statement is a clause element
    compiled = element.compile(dialect=dialect)
    if not isinstance(compiled, SQLCompiler) or (not compiled.positiontup and compiled.binds):
        return None
    expanding = any(b.expanding for b in compiled.binds.values())
    if "POSTCOMPILE" in compiled.string and not expanding:
        return None  # a value rendered into the SQL at each run: not sent this way
    names = tuple(compiled.positiontup or ())
    parameters = [compiled.binds[name] for name in names]
    selected = getattr(statement, "selected_columns", None)  # a read's; a write returns no rows
    columns = [] if selected is None else list(selected)
    keys = [] if selected is None else [str(key) for key in list(selected.keys())]
    return DirectForm(
        sql=compiled.string,
        names=names,
        fixed=tuple(_UNSET if p.required else p.value for p in parameters),
        binds=tuple(p.type.dialect_impl(dialect).bind_processor(dialect) for p in parameters),
        results=tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns),
        row=namedtuple("DirectRow", keys, rename=True),
        reads_scoped=bool(_tables(element) & {model.__table__.name for model in scoped_models()})
        and not statement.get_execution_options().get(ALL_PROVIDERS, False),
        expanding=compiled if expanding else None,
    )


# Statement -> its direct form, or None when it goes through the session. Keyed by identity (the
# statements handed in are built once), with the statement kept beside its entry so that its id
# cannot be another's while the entry is here.
_FORMS: dict[int, tuple[Any, DirectForm | None]] = {}
_CONNECTION_KEY = "direct_sql.connection"
_KEEP = 512  # statements built per shape (a series' dates, a message's rows) come and go
_LOCK = threading.Lock()


def _form(statement: Executable, dialect: Dialect) -> DirectForm | None:
    with _LOCK:
        found = _FORMS.pop(id(statement), None)
        if found is not None and found[0] is statement:
            _FORMS[id(statement)] = found  # most recently used last
            return found[1]
    form = direct_form(statement, dialect)
    with _LOCK:
        if len(_FORMS) >= _KEEP:
            del _FORMS[next(iter(_FORMS))]
        _FORMS[id(statement)] = (statement, form)
    return form


# Called with each statement sent directly and its values, as SQLAlchemy's "before_cursor_execute"
# is for the statements it sends: tests that count or read a request's statements see both.
observers: list[Callable[[str, Sequence[Any]], None]] = []


def _observed(sql: str, arguments: Sequence[Any]) -> None:
    for observer in list(observers):
        observer(sql, arguments)


def _unrestricted(scope: Scope | None) -> bool:
    return scope is None or scope.unrestricted


async def _driver(session: AsyncSession, statement: Executable) -> tuple[Any, DirectForm] | None:
    """The asyncpg connection and the direct form to send `statement` with, if it may be sent."""
    bind = session.bind
    if bind is None or bind.dialect.driver != "asyncpg":
        return None
    form = _form(statement, bind.dialect)
    if form is None or (form.reads_scoped and not _unrestricted(current_scope(session))):
        return None
    sync = session.sync_session
    if sync.autoflush and (sync.new or sync.deleted or sync.dirty):
        # The session's own run flushes these first, so that a read sees them: let it.
        return None
    driver = await _connection_of(session)
    if driver is None or not driver.is_in_transaction():
        return None
    return driver, form


async def _connection_of(session: AsyncSession) -> Any:
    """The asyncpg connection of the session's transaction. Asking the session for it each time
    costs a greenlet switch (a tenth of what a direct statement saves), so it is kept for the
    transaction it belongs to (a weak reference: an ended transaction is not kept alive)."""
    transaction = session.sync_session.get_transaction()
    known = session.info.get(_CONNECTION_KEY)
    if transaction is not None and known is not None and known[0]() is transaction:
        return known[1]
    connection = (await session.connection()).sync_connection
    assert connection is not None  # an AsyncConnection the session has begun
    driver = connection.connection.driver_connection
    transaction = session.sync_session.get_transaction()
    if transaction is not None:
        session.info[_CONNECTION_KEY] = (weakref.ref(transaction), driver)
    return driver


@contextmanager
def _as_sqlalchemy_errors(sql: str, arguments: Sequence[Any]) -> Iterator[None]:
    """asyncpg's errors as SQLAlchemy raises them for its own statements: the callers catch
    ``IntegrityError`` (a unique key two requests raced for, say), never asyncpg's classes."""
    try:
        yield
    except asyncpg.IntegrityConstraintViolationError as error:
        raise exc.IntegrityError(sql, arguments, error) from error
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise exc.DBAPIError(sql, arguments, error) from error


async def rows(session: AsyncSession, statement: Executable, params: Mapping[str, Any]) -> Sequence[Any]:
    """All rows of the read `statement` (built once, not per call) run with `params` in the
    session's transaction."""
    found = await _driver(session, statement)
    if found is None:
        return (await session.execute(statement, params)).all()
    driver, form = found
    sql, arguments = form.arguments(params)
    if observers:
        _observed(sql, arguments)
    with _as_sqlalchemy_errors(sql, arguments):
        return form.converted(await driver.fetch(sql, *arguments))


async def run(session: AsyncSession, statement: Executable, params: Mapping[str, Any]) -> int:
    """Run the write `statement` (built once; it returns no rows) with `params` in the session's
    transaction; how many rows it wrote."""
    found = await _driver(session, statement)
    if found is None:
        result = await session.execute(statement, params)
        return int(getattr(result, "rowcount", 0) or 0)
    driver, form = found
    # The command tag: "INSERT 0 1", "UPDATE 1", "SET".
    sql, arguments = form.arguments(params)
    if observers:
        _observed(sql, arguments)
    with _as_sqlalchemy_errors(sql, arguments):
        status: str = await driver.execute(sql, *arguments)
    count = status.rsplit(" ", 1)[-1]
    return int(count) if count.isdigit() else 0


def run_many_in_hook(session: Session, statement: Executable, batch: Sequence[Mapping[str, Any]]) -> None:
    """Run the write `statement` once for each of `batch`, from one of the session's own hooks
    (``before_commit``): those run in the greenlet SQLAlchemy's async session carries its work in,
    where the driver's coroutine is awaited as SQLAlchemy awaits its own."""
    bind = session.get_bind()
    if bind.dialect.driver == "asyncpg":
        form = _form(statement, bind.dialect)
        if form is not None and form.expanding is None and not form.reads_scoped:
            driver = session.connection().connection.driver_connection
            if driver is not None and driver.is_in_transaction():
                arguments = [form.arguments(params)[1] for params in batch]
                if observers:
                    _observed(form.sql, arguments)  # one statement, many rows: one call, as SQLAlchemy's
                with _as_sqlalchemy_errors(form.sql, arguments):
                    await_only(driver.executemany(form.sql, arguments))
                return
    session.execute(statement, list(batch))
