"""The SQL statements run inside a block, for tests that count them or read their plans."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from vetting import direct_sql


@contextmanager
def statements_run(target: Any = Engine, *, direct: bool = True) -> Iterator[list[tuple[str, Any]]]:
    """The statements every engine runs inside the block, with their parameters (the app under
    test has an engine of its own), those sent to asyncpg directly included unless `direct` is
    False, or only `target`'s (a sync engine)."""
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        captured.append((statement, parameters))

    def capture_direct(statement: str, parameters: Any) -> None:
        captured.append((statement, parameters))

    event.listen(target, "before_cursor_execute", capture)
    # The statements vetting/direct_sql.py sends to asyncpg itself, on any engine's connection.
    if target is Engine and direct:
        direct_sql.observers.append(capture_direct)
    try:
        yield captured
    finally:
        event.remove(target, "before_cursor_execute", capture)
        if capture_direct in direct_sql.observers:
            direct_sql.observers.remove(capture_direct)


async def sqlite_plan(engine: AsyncEngine, statement: str, parameters: Any) -> str:
    """SQLite's plan for a statement, its steps joined by ' | '."""
    async with engine.connect() as connection:
        rows = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return " | ".join(str(row[-1]) for row in rows)
