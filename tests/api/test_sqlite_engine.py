"""The SQLite engine: statements run in the event loop's thread, writers take turns, readers don't wait.

Another process holding the write lock is a real second process (a Python child with its own
connection), since that is the case SQLite's busy handler would otherwise handle by stopping
the event loop.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import exc, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import api.db.engine
from api.db.engine import create_engine, read_only, writable
from api.db.sqlite_inline import InlineConnection

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE counter SET value = value + 100")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'engine.sqlite3'}")
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
        await conn.exec_driver_sql("INSERT INTO counter (id, value) VALUES (1, 0)")
    yield engine
    await engine.dispose()


@contextmanager
def other_process_holding_the_write_lock(engine: AsyncEngine, seconds: float) -> Iterator[None]:
    database = engine.url.database
    assert database
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, database, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        yield
    finally:
        child.wait(timeout=30)


async def _value(engine: AsyncEngine) -> int:
    async with AsyncSession(engine) as session:
        return int((await session.execute(SELECT_VALUE)).scalar_one())


SELECT_VALUE = text("SELECT value FROM counter WHERE id = 1")


async def _increment(engine: AsyncEngine, pause: float = 0.0) -> None:
    async with AsyncSession(engine) as session, session.begin():
        value = int((await session.execute(SELECT_VALUE)).scalar_one())
        await asyncio.sleep(pause)  # let every other writer run up to its own read
        await session.execute(text("UPDATE counter SET value = :v WHERE id = 1"), {"v": value + 1})


async def _ticks_while(work: asyncio.Future[None] | asyncio.Task[None]) -> int:
    ticks = 0
    while not work.done():
        await asyncio.sleep(0.01)
        ticks += 1
    await work
    return ticks


async def test_file_databases_are_used_without_a_thread_per_connection(sqlite_engine: AsyncEngine) -> None:
    async with sqlite_engine.connect() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.driver_connection, InlineConnection)


async def test_waiting_for_another_processs_write_lock_leaves_the_event_loop_running(
    sqlite_engine: AsyncEngine,
) -> None:
    with other_process_holding_the_write_lock(sqlite_engine, 0.6):
        started = time.monotonic()
        write = asyncio.ensure_future(_increment(sqlite_engine))
        ticks = await _ticks_while(write)
        waited = time.monotonic() - started
    assert waited >= 0.3  # it did wait for the other process's COMMIT
    # A busy handler inside SQLite would have stopped the loop for the whole wait: no ticks.
    assert ticks >= 15
    assert await _value(sqlite_engine) == 101


async def test_waiting_for_the_write_lock_gives_up_after_the_busy_timeout(
    sqlite_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.db.engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    with other_process_holding_the_write_lock(sqlite_engine, 1.5):
        started = time.monotonic()
        with pytest.raises(exc.OperationalError, match="locked"):
            await _increment(sqlite_engine)
        assert time.monotonic() - started < 1.2
    async with sqlite_engine.connect() as conn:
        # SQLite's own busy handler is back for every other statement.
        assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar_one() == 200


async def test_writers_in_one_process_take_turns(sqlite_engine: AsyncEngine) -> None:
    # Each writer reads, yields to the others, then writes what it read plus one: only writers
    # that hold the write lock from their first statement (BEGIN IMMEDIATE) lose no update.
    await asyncio.gather(*(_increment(sqlite_engine, pause=0.005) for _ in range(20)))
    assert await _value(sqlite_engine) == 20


async def test_read_only_transactions_do_not_wait_for_the_writer(sqlite_engine: AsyncEngine) -> None:
    async def read() -> None:
        read_only()  # this task's context only
        assert await _value(sqlite_engine) == 0  # the other process has not committed yet

    with other_process_holding_the_write_lock(sqlite_engine, 1.0):
        started = time.monotonic()
        await asyncio.create_task(read())
        assert time.monotonic() - started < 0.5
    assert await _value(sqlite_engine) == 100


async def test_a_read_only_session_can_become_a_writer(sqlite_engine: AsyncEngine) -> None:
    async def read_then_write() -> None:
        read_only()
        async with AsyncSession(sqlite_engine) as session:
            assert int((await session.execute(SELECT_VALUE)).scalar_one()) == 0
            await writable(session)
            await session.execute(text("UPDATE counter SET value = 7 WHERE id = 1"))
            await session.commit()

    await asyncio.create_task(read_then_write())
    assert await _value(sqlite_engine) == 7


async def test_database_errors_arrive_as_sqlalchemy_errors(sqlite_engine: AsyncEngine) -> None:
    async with AsyncSession(sqlite_engine) as session:
        with pytest.raises(exc.IntegrityError):
            await session.execute(text("INSERT INTO counter (id, value) VALUES (1, 5)"))
        await session.rollback()
        with pytest.raises(exc.OperationalError, match="no such table"):
            await session.execute(text("SELECT * FROM missing_table"))
    assert await _value(sqlite_engine) == 0
