"""A migration that only adds an index: the index is there after the upgrade with its columns,
no row changes, the downgrade drops it and a second upgrade makes it again."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db.migrate import upgrade
from tests.api.test_migration_providers import _counts, table_indexes
from tests.api.test_migration_weak_aliases import _downgrade


def index_comes_and_goes(
    url: str, previous: str, revision: str, table: str, index: str, columns: list[str]
) -> None:
    upgrade(url, previous)
    before = _counts(url)
    assert index not in asyncio.run(table_indexes(url, table))
    upgrade(url, revision)
    assert asyncio.run(table_indexes(url, table))[index] == columns
    assert _counts(url) == before
    _downgrade(url, previous)
    assert index not in asyncio.run(table_indexes(url, table))
    upgrade(url, revision)
    assert index in asyncio.run(table_indexes(url, table))


@contextmanager
def statements_run() -> Iterator[list[tuple[str, Any]]]:
    """The statements every engine runs inside the block, with their parameters (the app under
    test has an engine of its own)."""
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        captured.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", capture)
    try:
        yield captured
    finally:
        event.remove(Engine, "before_cursor_execute", capture)


async def sqlite_plan(engine: AsyncEngine, statement: str, parameters: Any) -> str:
    """SQLite's plan for a statement, its steps joined by ' | '."""
    async with engine.connect() as connection:
        rows = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return " | ".join(str(row[-1]) for row in rows)
