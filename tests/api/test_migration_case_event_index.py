"""Migration d22event0001 adds the index on case_event (action, at, case_id), by which the reports'
count of requests for more information reads only its period's rows of that action; its downgrade
drops it and a second upgrade makes it again, on both engines. On SQLite the count's plan reads
the index (before it, every case of the organisation and then each case's history: the reports
page grew with all the years kept, issue 22)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from casework import report_queries as q
from casework.report_scope import ReportScope
from tests.api.migration_indexes import index_comes_and_goes
from tests.api.test_migration_providers import blank_url  # noqa: F401  # fixture

PREVIOUS = "d21purge0001"
REVISION = "d22event0001"
INDEX = "ix_case_event_action_at"


def test_the_index_comes_and_goes_with_the_migration(blank_url: str) -> None:  # noqa: F811
    index_comes_and_goes(blank_url, PREVIOUS, REVISION, "case_event", INDEX, ["action", "at", "case_id"])


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
