"""Engine construction with the durability settings each database needs."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
import weakref
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool, NullPool
from sqlalchemy.util import await_only

from api.db import sqlite_inline
from api.db.checkout_ping import check_on_checkout
from vetting import direct_sql

SQLITE_BUSY_TIMEOUT_MS = 30_000

# Requests that only read say so (`read_only()`) before their first query; their SQLite
# transactions then begin DEFERRED, and in WAL mode readers neither wait for the writer nor
# hold it up. Everything else keeps BEGIN IMMEDIATE, which serialises writers (bench/loadtest.py
# measured every request taking the write lock: 16 concurrent health checks queued behind one
# another in SQLite's busy handler, 300 requests a second with a p99 over a second).
_READ_ONLY: ContextVar[bool] = ContextVar("venue_hire_sqlite_read_only", default=False)


def read_only() -> None:
    """Declare that this request's transactions only read (SQLite: BEGIN DEFERRED)."""
    _READ_ONLY.set(True)


async def writable(session: AsyncSession) -> None:
    """Leave read-only mode: end the read transaction so the next statement takes the write lock.

    A deferred transaction that read and then writes fails on SQLite if another connection wrote
    in between, so the caller must read again, after this, whatever its write depends on.
    """
    await session.rollback()
    _READ_ONLY.set(False)


async def generic_plans(session: AsyncSession) -> None:
    """PostgreSQL: let this transaction's statements run on generic plans again.

    Connections plan every statement with its values (``force_custom_plan`` below), for the
    reads whose best plan depends on them. A booking request's statements are key and index
    lookups and inserts that plan the same whatever the values, and planning each of them on
    every run was 40% of PostgreSQL's CPU for the request (3.0 -> 1.8 ms, bench/submit_cpu.py).
    ``SET LOCAL`` ends with the transaction; it is a round trip of its own, so it belongs to
    transactions of many statements."""
    bind = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        await direct_sql.run(session, _GENERIC_PLANS, {})


_GENERIC_PLANS = text("SET LOCAL plan_cache_mode = auto")


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    """Create an async engine; SQLite gets WAL, foreign keys, synchronous=FULL and serialised writes."""
    if url.startswith("sqlite"):
        return _create_sqlite_engine(url, echo=echo)
    engine = create_async_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=pool_size,
        # asyncpg prepares every statement; from its sixth run PostgreSQL may keep a generic plan
        # made without the values, and for the feed's bookings (rooms and a window as
        # parameters) that plan took 240-420 ms against 40-60 ms planned with them (bench/scale.py,
        # a year of data). Planning each run costs a fraction of a millisecond.
        connect_args={"server_settings": {"plan_cache_mode": "force_custom_plan"}},
    )
    # In place of `pool_pre_ping`, which costs three round trips on asyncpg (api/db/checkout_ping.py).
    check_on_checkout(engine)
    return engine


def _create_sqlite_engine(url: str, *, echo: bool) -> AsyncEngine:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    in_memory = not path or path == ":memory:"
    inline = not in_memory
    engine = create_async_engine(
        url,
        echo=echo,
        # Files are used from the event loop's thread (api/db/sqlite_inline.py); in-memory databases
        # (one per connection) keep aiosqlite.
        **({"async_creator": sqlite_inline.connector(path, SQLITE_BUSY_TIMEOUT_MS / 1000)} if inline else {}),
        # A queue pool hands each concurrent transaction its own connection, so transactions are
        # still serialised by SQLite's lock, while requests stop paying for a file open and four
        # pragmas each (NullPool, when each also started an aiosqlite thread: 2.4x fewer health
        # checks a second in bench/loadtest.py). In-memory databases are one per connection, so
        # they keep NullPool.
        poolclass=NullPool if in_memory else AsyncAdaptedQueuePool,
        **({} if in_memory else {"pool_size": 5, "max_overflow": 20}),
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so `begin` below decides the lock mode.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    writers = _WriterQueue()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        if _READ_ONLY.get():
            conn.exec_driver_sql("BEGIN")
            return
        # Writers of this process queue here, first come first served, before asking SQLite:
        # SQLite's own busy handler makes waiters sleep and poll (up to 100 ms a nap), and
        # bench/loadtest.py measured 16 concurrent booking requests in one worker spending
        # most of their time asleep (26 a second, p95 3.5 s). Other processes still wait in
        # SQLite's lock, as before.
        writers.acquire(conn)
        try:
            # BEGIN IMMEDIATE takes the write lock up front, so a check-then-insert (conflict
            # check, then occurrence holds) cannot interleave with another writer.
            if inline:
                sqlite_inline.begin_immediate(conn, SQLITE_BUSY_TIMEOUT_MS / 1000)
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            writers.release(conn)
            raise

    @event.listens_for(engine.sync_engine, "commit")
    def _on_commit(conn: Any) -> None:
        writers.release_after(conn)

    @event.listens_for(engine.sync_engine, "rollback")
    def _on_rollback(conn: Any) -> None:
        writers.release_after(conn)

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        # A connection given back without COMMIT or ROLLBACK events (garbage-collected, invalidated)
        # must not keep the slot.
        writers.release_info(record.info)

    return engine


class _WriterQueue:
    """One write transaction at a time per process and event loop, waited for in asyncio.

    Acquired in the `begin` event (which SQLAlchemy's asyncio layer runs inside a greenlet, so it
    may await) and released once the transaction's COMMIT or ROLLBACK has been sent. Waiting is
    bounded by the same busy timeout SQLite would apply.
    """

    _KEY = "venue_hire_write_slot"

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def acquire(self, conn: Any) -> None:
        if conn.info.get(self._KEY):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # plain synchronous use (no event loop): SQLite's lock alone
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks.setdefault(loop, asyncio.Lock())
        waiting = asyncio.wait_for(lock.acquire(), SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            await_only(waiting)
        except exc.MissingGreenlet:
            waiting.close()
            return  # not under SQLAlchemy's asyncio layer: SQLite's lock alone
        except TimeoutError as error:
            raise exc.OperationalError("BEGIN IMMEDIATE", None, error) from error
        conn.info[self._KEY] = (loop, lock)

    def release(self, conn: Any) -> None:
        self.release_info(conn.info)

    def release_info(self, info: dict[str, Any]) -> None:
        held = info.pop(self._KEY, None)
        if held is None:
            return
        loop, lock = held
        try:
            same_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            same_loop = False
        if same_loop:
            lock.release()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(lock.release)

    def release_after(self, conn: Any) -> None:
        # The event fires just before the driver's COMMIT/ROLLBACK; the next writer's BEGIN is
        # queued behind it on its own connection, and SQLite orders the two.
        self.release(conn)


class _SqliteProbe:
    """Reads the database file's schema from the event loop's own thread, in microseconds.

    A health check through aiosqlite costs about a dozen thread hand-offs; this costs a stat and
    one read that never waits (WAL readers do not wait for the writer). The stat notices a file
    replaced or removed under a running process, which an open connection alone would not.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._generation = 0

    def check(self) -> None:
        with self._lock:
            self._connect()
            assert self._conn is not None
            try:
                self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error:
                self._close()
                raise

    def data_version(self) -> tuple[int, int]:
        """(connection generation, PRAGMA data_version): changes whenever any connection, in any
        process, commits to the file; values from different connections never compare equal."""
        with self._lock:
            self._connect()
            assert self._conn is not None
            try:
                (value,) = self._conn.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                self._close()
                raise
            return self._generation, int(value)

    def _connect(self) -> None:
        info = os.stat(self.path)
        identity = (info.st_dev, info.st_ino)
        if self._conn is None or identity != self._identity:
            self._close()
            self._conn = sqlite3.connect(self.path, timeout=1, check_same_thread=False, isolation_level=None)
            self._identity = identity
            self._generation += 1

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn, self._identity = None, None


_probes: dict[str, _SqliteProbe] = {}


def _probe(engine: AsyncEngine) -> _SqliteProbe | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    probe = _probes.get(url.database)
    if probe is None:
        probe = _probes.setdefault(url.database, _SqliteProbe(url.database))
    return probe


def data_version(engine: AsyncEngine) -> tuple[int, int] | None:
    """A value that changes whenever anything is committed to the database; None when the engine
    cannot tell cheaply (PostgreSQL), in which case callers must not cache on it."""
    probe = _probe(engine)
    return probe.data_version() if probe is not None else None


# Where the write-ahead log has got to: it moves with every commit that changed anything, in any
# session (and with vacuum and checkpoints too, which only makes a cached answer rarer). A
# standby has no insert position of its own; what it has replayed moves with what it shows.
_PG_WAL_POSITION = text(
    "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
    " ELSE pg_current_wal_insert_lsn() END) - '0/0'::pg_lsn"
)


async def committed_version(engine: AsyncEngine, session: AsyncSession) -> tuple[int, int] | None:
    """`data_version`, and on PostgreSQL the WAL position read through `session` (one round trip).

    Read it before reading what depends on it: a commit after that moves it, so an answer cached
    under it is never kept past a change. A commit whose WAL record is written but which is not
    yet visible when the answer is read can hide in that answer; callers bound how long they
    trust a value (the feed validator: a minute) for that rare case."""
    version = data_version(engine)
    if version is not None or engine.dialect.name != "postgresql":
        return version
    position = (await session.execute(_PG_WAL_POSITION)).scalar_one()
    return 0, int(position)


async def ping(engine: AsyncEngine) -> None:
    """Prove the database answers; raises when it does not. Cheap enough for load balancers."""
    probe = _probe(engine)
    if probe is not None:
        probe.check()
        return
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
