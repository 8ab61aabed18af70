"""Engine construction with the durability settings each database needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    """Create an async engine; SQLite gets WAL, foreign keys, synchronous=FULL and serialised writes."""
    if url.startswith("sqlite"):
        return _create_sqlite_engine(url, echo=echo)
    return create_async_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
    )


def _create_sqlite_engine(url: str, *, echo: bool) -> AsyncEngine:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:":
        from pathlib import Path

        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url,
        echo=echo,
        # Each connection gets the pragmas in `connect`; NullPool avoids sharing one aiosqlite
        # thread between concurrent transactions, which would serialise them in Python instead
        # of in SQLite's own lock.
        poolclass=NullPool,
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

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # BEGIN IMMEDIATE takes the write lock up front, so a check-then-insert (conflict check,
        # then occurrence holds) cannot interleave with another writer.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
