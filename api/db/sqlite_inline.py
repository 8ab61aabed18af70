"""SQLite for SQLAlchemy's asyncio layer without a thread per connection.

aiosqlite runs every call in a thread of its own: one statement through SQLAlchemy is four
hand-offs (cursor, execute, fetch, close), each a queue put, a thread wake-up, a self-pipe write
and an event-loop turn, and under load each waits for the GIL besides. Answering inline raised
booking requests (about twenty statements each then) from 52 to 70 a second on one worker in
bench/loadtest.py's conditions, and took the hand-offs out of the time the write lock is held.

These classes answer aiosqlite's interface at once, in the event loop's thread, so SQLAlchemy's
aiosqlite dialect (its SQL, types and errors) is used unchanged. That is safe because what may
block is small and bounded here:

* WAL readers never wait for the writer, and statements are point lookups and short scans.
* The one wait that matters, BEGIN IMMEDIATE while another process writes, is not left to
  SQLite's busy handler (which would stop the loop): ``begin_immediate`` retries in asyncio.
* COMMIT's fsync (synchronous=FULL) costs about a quarter of a millisecond on this storage.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias

from sqlalchemy import exc
from sqlalchemy.engine import Connection
from sqlalchemy.util import await_only

Parameters: TypeAlias = Sequence[Any] | dict[str, Any]

# Waits between attempts to take the write lock from another process, in seconds.
_BACKOFF = (0.0005, 0.001, 0.002, 0.004, 0.008)


class _AnsweredAtOnce:
    """Stands in for aiosqlite's request queue, which SQLAlchemy uses to set the isolation level."""

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as error:  # handed to the awaiting caller, as aiosqlite does
            future.set_exception(error)


class InlineCursor:
    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def execute(self, sql: str, parameters: Parameters | None = None) -> InlineCursor:
        if parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Parameters]) -> InlineCursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class InlineConnection:
    """The part of ``aiosqlite.Connection`` that SQLAlchemy's aiosqlite dialect calls."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._tx = _AnsweredAtOnce()

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    async def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Parameters | None = None) -> InlineCursor:
        cursor = InlineCursor(self._conn.cursor())
        return await cursor.execute(sql, parameters)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self._conn.close()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    def stop(self) -> None:
        """Close at once (SQLAlchemy's terminate, e.g. for a connection garbage-collected)."""
        self._conn.close()


def connector(path: str, busy_timeout_s: float) -> Callable[[], Any]:
    """An ``async_creator`` for ``create_async_engine``: one sqlite3 connection, used inline."""

    async def connect() -> InlineConnection:
        connection = sqlite3.connect(
            path, timeout=busy_timeout_s, check_same_thread=False, isolation_level=None
        )
        return InlineConnection(connection)

    return connect


def begin_immediate(conn: Connection, busy_timeout_s: float) -> None:
    """BEGIN IMMEDIATE, waiting for another process's write lock in asyncio rather than in SQLite.

    Called from SQLAlchemy's ``begin`` event, which its asyncio layer runs in a greenlet, so it
    may await. SQLite's busy handler is off for the attempts and restored after them.
    """
    raw: sqlite3.Connection = conn.connection.driver_connection._conn  # type: ignore[union-attr]  # an InlineConnection
    deadline = time.monotonic() + busy_timeout_s
    raw.execute("PRAGMA busy_timeout=0")
    try:
        attempt = 0
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except exc.OperationalError as error:
                if "locked" not in str(error.orig) or time.monotonic() >= deadline:
                    raise
            _sleep(_BACKOFF[min(attempt, len(_BACKOFF) - 1)])
            attempt += 1
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")


def _sleep(seconds: float) -> None:
    pause = asyncio.sleep(seconds)
    try:
        await_only(pause)
    except exc.MissingGreenlet:  # not under SQLAlchemy's asyncio layer: nothing else to let run
        pause.close()
        time.sleep(seconds)
