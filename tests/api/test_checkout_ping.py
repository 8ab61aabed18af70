"""A pooled PostgreSQL connection is checked in one round trip when it leaves the pool, and one
that PostgreSQL has cut is replaced before a request uses it (api/db/checkout_ping.py)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from api.db.engine import create_engine
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only: SQLite keeps no pool to check")


async def test_a_reused_connection_is_checked_with_one_statement_and_a_new_one_is_not() -> None:
    assert PG_URL
    engine = create_engine(PG_URL, pool_size=1)
    sent: list[str] = []
    try:
        async with engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None
            driver.add_query_logger(lambda record: sent.append(record.query))
            await conn.execute(text("SELECT 1"))
        assert not any(q.strip() == ";" for q in sent), sent  # made for this checkout: not checked
        sent.clear()
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 2"))
        # The check, then the statement's own transaction: no BEGIN and ROLLBACK around the check.
        assert [q.strip() for q in sent][:2] == [";", "BEGIN;"], sent
        assert sum(q.strip() == "ROLLBACK;" for q in sent) == 1, sent  # the checkin's reset only
    finally:
        await engine.dispose()


async def test_a_connection_postgresql_has_cut_is_replaced_before_use() -> None:
    assert PG_URL
    engine = create_engine(PG_URL, pool_size=1)
    admin = create_engine(PG_URL, pool_size=1)
    try:
        async with engine.connect() as conn:
            first: Any = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with admin.connect() as other:
            cut = await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
            assert cut.scalar_one() is True
        async with engine.connect() as conn:
            second = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert second != first
    finally:
        await engine.dispose()
        await admin.dispose()
