"""Fixed reads sent straight to asyncpg (vetting/direct_sql.py) give the rows the session gives,
with the same Python types, and never pass by what SQLAlchemy adds: the organisation scoping,
a list parameter's expansion, the session's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import uuid4

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from casework.messages import _SENDER_ROW
from casework.staff_alerts import _OFFICERS
from tests.statements import statements_run
from venues.booking_queries import _CLOSURES, _holds_query
from venues.models import Closure, Venue
from venues.venue_service import _PARTS_OF_VENUE
from vetting import direct_sql
from vetting.flagged import _CURRENT_VERSION
from vetting.models import VettingCase
from vetting.providers import Provider
from vetting.tenancy import Scope, scoped


async def _reads(engine: AsyncEngine, seeded: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    """The booking request's direct reads, with parameters that find rows."""
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        venue = await s.get(Venue, seeded["hall_a"].venue_id)
        assert venue is not None and venue.provider_id is not None
        s.add(
            Closure(
                venue_id=venue.id,
                room_id=None,
                start_date=dt.date(2031, 3, 3),
                end_date=dt.date(2031, 3, 4),
                reason="Floor sanding",
            )
        )
        provider = await s.get(Provider, venue.provider_id)
        assert provider is not None
        provider.message_templates = {"submitted": {"subject": "Thanks, {reference}"}}
        await s.commit()
    return [
        (_CLOSURES, {"venue_id": venue.id, "room_id": seeded["hall_a"].id,
                     "first": dt.date(2031, 3, 1), "last": dt.date(2031, 3, 31)}),
        (_PARTS_OF_VENUE, {"venue_id": venue.id}),
        (_CURRENT_VERSION, {}),
        (_SENDER_ROW, {"provider_id": venue.provider_id}),
        (_OFFICERS, {"kind": "new_request", "active": True, "provider": venue.provider_id}),
    ]  # fmt: skip


def _typed(found: Any) -> list[list[tuple[type, Any]]]:
    return [[(type(value), value) for value in row] for row in found]


async def test_each_read_gives_the_sessions_rows_without_sqlalchemy_on_postgresql(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    reads = await _reads(engine, seeded)
    async with async_sessionmaker(engine)() as s:
        await s.execute(text("SELECT 1"))  # the session's transaction has begun
        for statement, params in reads:
            expected = (await s.execute(statement, params)).all()
            with statements_run() as captured:
                found = await direct_sql.rows(s, statement, params)
            assert _typed(found) == _typed(expected)
            assert [tuple(row._mapping) for row in expected[:1]] == [row._fields for row in found[:1]]
            # SQLAlchemy runs nothing on PostgreSQL; on SQLite the session runs the statement.
            selects = [sql for sql, _ in captured if sql.startswith("SELECT")]
            assert len(selects) == (0 if engine.dialect.name == "postgresql" else 1)


async def test_the_rows_are_there_and_converted(engine: AsyncEngine, seeded: dict[str, Any]) -> None:
    reads = dict((statement, params) for statement, params in await _reads(engine, seeded))  # noqa: C402
    async with async_sessionmaker(engine)() as s:
        await s.execute(text("SELECT 1"))
        (closure,) = await direct_sql.rows(s, _CLOSURES, reads[_CLOSURES])
        assert closure == (dt.date(2031, 3, 3), dt.date(2031, 3, 4), "Floor sanding")
        (sender,) = await direct_sql.rows(s, _SENDER_ROW, reads[_SENDER_ROW])
        assert sender.message_templates == {"submitted": {"subject": "Thanks, {reference}"}}
        officers = await direct_sql.rows(s, _OFFICERS, reads[_OFFICERS])
        assert {row.id for row in officers} >= {seeded["officer"].id, seeded["officer2"].id}
        assert (await direct_sql.rows(s, _CURRENT_VERSION, {}))[0][0] >= 0


async def test_a_read_before_the_transaction_goes_through_the_session(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    reads = await _reads(engine, seeded)
    statement, params = reads[0]
    async with async_sessionmaker(engine)() as s:
        with statements_run() as captured:
            found = await direct_sql.rows(s, statement, params)
        # Sent directly, it would have run outside the transaction SQLAlchemy begins.
        assert len([sql for sql, _ in captured if sql.startswith("SELECT")]) == 1
        assert len(found) == 1


async def test_a_restricted_scope_still_narrows_a_scoped_table(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    reads = dict((statement, params) for statement, params in await _reads(engine, seeded))  # noqa: C402
    elsewhere = Scope.of(uuid4())
    async with async_sessionmaker(engine)() as s:
        await s.execute(text("SELECT 1"))
        assert len(await direct_sql.rows(s, _CLOSURES, reads[_CLOSURES])) == 1
        with scoped(s, elsewhere), statements_run() as captured:
            # Another council's scope: the session runs it, narrowed to nothing.
            assert await direct_sql.rows(s, _CLOSURES, reads[_CLOSURES]) == []
            # The flagged list's versions are not scoped: sent directly all the same.
            await direct_sql.rows(s, _CURRENT_VERSION, {})
        selects = [sql for sql, _ in captured if sql.startswith("SELECT")]
        assert len(selects) == (1 if engine.dialect.name == "postgresql" else 2)
        assert "closure" in selects[0]


def test_which_statements_are_sent_directly() -> None:
    dialect = asyncpg_dialect()
    closures, officers = (
        direct_sql.direct_form(_CLOSURES, dialect),
        direct_sql.direct_form(_OFFICERS, dialect),
    )
    assert closures is not None and closures.reads_scoped
    assert officers is not None and not officers.reads_scoped
    cases = direct_sql.direct_form(select(VettingCase.id), dialect)
    assert cases is not None and cases.reads_scoped
    # A list parameter makes a different SQL text for each length.
    assert direct_sql.direct_form(_holds_query(1, False), dialect) is None
