"""Migration d22event0001 adds the index on case_event (action, at, case_id), by which the reports'
count of requests for more information reads only its period's rows of that action; its downgrade
drops it and a second upgrade makes it again, on both engines. On SQLite the count's plan reads
the index (before it, every case of the organisation and then each case's history: the reports
page grew with all the years kept, issue 22)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.db.migrate import upgrade
from casework import report_queries as q
from casework.report_scope import ReportScope
from tests.api.test_migration_providers import _counts, blank_url, table_indexes  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade

PREVIOUS = "d21purge0001"
REVISION = "d22event0001"
INDEX = "ix_case_event_action_at"


async def _event_indexes(url: str) -> dict[str, list[str]]:
    return await table_indexes(url, "case_event")


def test_the_index_comes_and_goes_with_the_migration(blank_url: str) -> None:  # noqa: F811
    upgrade(blank_url, PREVIOUS)
    before = _counts(blank_url)
    assert INDEX not in asyncio.run(_event_indexes(blank_url))
    upgrade(blank_url, REVISION)
    assert asyncio.run(_event_indexes(blank_url))[INDEX] == ["action", "at", "case_id"]
    assert _counts(blank_url) == before
    _downgrade(blank_url, PREVIOUS)
    assert INDEX not in asyncio.run(_event_indexes(blank_url))
    upgrade(blank_url, REVISION)
    assert INDEX in asyncio.run(_event_indexes(blank_url))


async def test_the_information_requests_count_reads_the_index(engine: AsyncEngine) -> None:
    if engine.dialect.name != "sqlite":
        return  # the plan below is SQLite's
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        captured.append((statement, parameters))

    where = q.Where(dt.date(2026, 1, 1), dt.date(2026, 12, 31), None, "sqlite", ReportScope((UUID(int=7),)))
    async with async_sessionmaker(engine)() as s:
        event.listen(engine.sync_engine, "before_cursor_execute", capture)
        try:
            assert await q.information_requests(s, where) == 0
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", capture)
        connection = await s.connection()
        (sql, parameters) = captured[-1]
        plan = " | ".join(
            str(row[-1]) for row in await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters)
        )
    assert f"case_event USING COVERING INDEX {INDEX}" in plan, plan
