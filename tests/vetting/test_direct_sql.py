"""Fixed reads sent straight to asyncpg (vetting/direct_sql.py) give the rows the session gives,
with the same Python types, and never pass by what SQLAlchemy adds: the organisation scoping,
a list parameter's expansion, the session's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast
from uuid import uuid4

import pytest
from sqlalchemy import Table, bindparam, func, insert, select, text
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.idempotency import _CLAIM
from api.models import IdempotencyRecord
from casework.messages import _SENDER_ROW
from casework.staff_alerts import _OFFICERS
from tests.statements import statements_run
from venues.booking_queries import _CLOSURES, _holds_query
from venues.models import Closure, Venue
from venues.venue_service import _PARTS_OF_VENUE
from vetting import direct_sql
from vetting.flagged import _CURRENT_VERSION
from vetting.mail import Mail
from vetting.models import VettingCase
from vetting.outbox_models import OutboxMessage
from vetting.outbox_write import queue_mail
from vetting.providers import Provider
from vetting.sharing_scope import _SHARING
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


@contextmanager
def sqlalchemy_ran(starting: str = "SELECT") -> Iterator[list[str]]:
    """The statements starting with `starting` that SQLAlchemy itself sends inside the block (not
    those sent directly), listed when the block ends."""
    ran: list[str] = []
    with statements_run(direct=False) as captured:
        yield ran
    ran.extend(statement for statement, _ in captured if statement.startswith(starting))


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
            with sqlalchemy_ran() as captured:
                found = await direct_sql.rows(s, statement, params)
            assert _typed(found) == _typed(expected)
            assert [tuple(row._mapping) for row in expected[:1]] == [row._fields for row in found[:1]]
            # SQLAlchemy runs nothing on PostgreSQL; on SQLite the session runs the statement.
            assert len(captured) == (0 if engine.dialect.name == "postgresql" else 1)


async def test_the_rows_are_there_and_converted(engine: AsyncEngine, seeded: dict[str, Any]) -> None:
    reads = dict(await _reads(engine, seeded))
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
        with sqlalchemy_ran() as captured:
            found = await direct_sql.rows(s, statement, params)
        # Sent directly, it would have run outside the transaction SQLAlchemy begins.
        assert len(captured) == 1
        assert len(found) == 1


async def test_a_restricted_scope_still_narrows_a_scoped_table(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    reads = dict(await _reads(engine, seeded))
    elsewhere = Scope.of(uuid4())
    async with async_sessionmaker(engine)() as s:
        await s.execute(text("SELECT 1"))
        assert len(await direct_sql.rows(s, _CLOSURES, reads[_CLOSURES])) == 1
        with scoped(s, elsewhere), sqlalchemy_ran() as captured:
            # Another council's scope: the session runs it, narrowed to nothing.
            assert await direct_sql.rows(s, _CLOSURES, reads[_CLOSURES]) == []
            # The flagged list's versions are not scoped: sent directly all the same.
            await direct_sql.rows(s, _CURRENT_VERSION, {})
        assert len(captured) == (1 if engine.dialect.name == "postgresql" else 2)
        assert "closure" in captured[0]


def test_which_statements_are_sent_directly() -> None:
    dialect = asyncpg_dialect()
    closures = direct_sql.direct_form(_CLOSURES, dialect)
    officers = direct_sql.direct_form(_OFFICERS, dialect)
    assert closures is not None and closures.reads_scoped
    assert officers is not None and not officers.reads_scoped
    cases = direct_sql.direct_form(select(VettingCase.id), dialect)
    assert cases is not None and cases.reads_scoped
    # Partnerships are scoped, but this statement asks for every organisation's (ALL_PROVIDERS).
    sharing = direct_sql.direct_form(_SHARING["flagged"], dialect)
    assert sharing is not None and not sharing.reads_scoped and sharing.expanding is not None
    holds = direct_sql.direct_form(_holds_query(2, False), dialect)
    assert holds is not None and holds.expanding is not None
    # A value written into the SQL at each run is left to SQLAlchemy.
    limited = select(Provider.name).limit(bindparam("n", literal_execute=True))
    assert direct_sql.direct_form(limited, dialect) is None


_NAMES_OF = (
    select(Provider.name).where(Provider.id.in_(bindparam("ids", expanding=True))).order_by(Provider.name)
)


async def test_a_list_parameter_is_expanded_for_each_length(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    async with async_sessionmaker(engine)() as s:
        venue = await s.get(Venue, seeded["hall_a"].venue_id)
        assert venue is not None and venue.provider_id is not None
        await s.execute(text("SELECT 1"))
        for ids in ([venue.provider_id], [uuid4(), venue.provider_id, uuid4()], []):
            expected = (await s.execute(_NAMES_OF, {"ids": ids})).all()
            with sqlalchemy_ran() as captured:
                found = await direct_sql.rows(s, _NAMES_OF, {"ids": ids})
            assert _typed(found) == _typed(expected) and len(found) == (1 if ids else 0)
            assert len(captured) == (0 if engine.dialect.name == "postgresql" else 1)


async def test_a_write_runs_in_the_sessions_transaction_and_counts_its_rows(engine: AsyncEngine) -> None:
    record = {"record_id": uuid4(), "scope": "s" * 64, "key": "direct-1", "digest": "d" * 64}
    record |= {"state": "running", "now": dt.datetime(2031, 3, 3, 9, 0, tzinfo=dt.UTC)}
    count = (
        select(func.count())
        .select_from(IdempotencyRecord)
        .where(IdempotencyRecord.idempotency_key == "direct-1")
    )
    async with async_sessionmaker(engine)() as s:
        await s.execute(text("SELECT 1"))
        with sqlalchemy_ran("INSERT") as ran, statements_run() as seen:
            assert await direct_sql.run(s, _CLAIM, record) == 1
            # The same key again: ON CONFLICT DO NOTHING writes nothing.
            assert await direct_sql.run(s, _CLAIM, record | {"record_id": uuid4()}) == 0
        assert len([sql for sql, _ in seen if "INSERT INTO idempotency_record" in sql]) == 2
        assert len(ran) == (0 if engine.dialect.name == "postgresql" else 2)
        assert await s.scalar(count) == 1
        await s.rollback()
        # Rolled back with the session's transaction: it was inside it.
        assert await s.scalar(count) == 0


async def test_the_outbox_rows_go_in_from_the_commit_hook(engine: AsyncEngine) -> None:
    mails = [
        Mail(to="one@example.org", subject="First", body="Hello", dedupe_key="direct-mail-1"),
        Mail(to="two@example.org", subject="Second", body="Hello", html="<p>Hello</p>"),
        Mail(to="one@example.org", subject="First again", body="Hello", dedupe_key="direct-mail-1"),
    ]
    async with async_sessionmaker(engine)() as s:
        await s.execute(text("SELECT 1"))
        for mail in mails:
            queue_mail(s, mail)
        with sqlalchemy_ran("INSERT") as ran, statements_run() as seen:
            await s.commit()
    # One statement for both rows, as SQLAlchemy's executemany is.
    assert len([sql for sql, _ in seen if sql.startswith("INSERT INTO outbox_message")]) == 1
    assert len(ran) == (0 if engine.dialect.name == "postgresql" else 1)
    async with engine.connect() as conn:
        stored = (
            await conn.execute(
                select(OutboxMessage.subject, OutboxMessage.html, OutboxMessage.status).order_by(
                    OutboxMessage.subject
                )
            )
        ).all()
    # Committed with the transaction; the second message with the first's key is not written.
    assert [tuple(row) for row in stored] == [
        ("First", None, "pending"),
        ("Second", "<p>Hello</p>", "pending"),
    ]


_BACKEND = select(func.pg_backend_pid())


async def test_each_transaction_sends_on_its_own_connection(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("nothing is sent directly on SQLite")
    make = async_sessionmaker(engine)
    async with make() as s, make() as other:
        await s.execute(text("SELECT 1"))
        (first,) = (await direct_sql.rows(s, _BACKEND, {}))[0]
        assert first == await s.scalar(text("SELECT pg_backend_pid()"))
        await s.commit()
        # The first transaction's connection goes back to the pool and to another session now.
        await other.execute(text("SELECT 1"))
        assert await other.scalar(text("SELECT pg_backend_pid()")) == first
        await s.execute(text("SELECT 1"))
        (second,) = (await direct_sql.rows(s, _BACKEND, {}))[0]
        assert second == await s.scalar(text("SELECT pg_backend_pid()")) != first


# On the table: an ORM-enabled INSERT's result has no row count.
_RECORD_INSERT = insert(cast(Table, IdempotencyRecord.__table__)).values(
    id=bindparam("record_id"),
    scope_hash=bindparam("scope"),
    idempotency_key=bindparam("key"),
    body_hash=bindparam("digest"),
    state=bindparam("state"),
    created_at=bindparam("now"),
)


async def test_a_broken_constraint_is_sqlalchemys_integrity_error(engine: AsyncEngine) -> None:
    record = {"record_id": uuid4(), "scope": "s" * 64, "key": "direct-2", "digest": "d" * 64}
    record |= {"state": "running", "now": dt.datetime(2031, 3, 3, 9, 0, tzinfo=dt.UTC)}
    async with async_sessionmaker(engine)() as s:
        await s.execute(text("SELECT 1"))
        assert await direct_sql.run(s, _RECORD_INSERT, record) == 1
        # The same scope and key again: what callers catch when two requests race for a key.
        with pytest.raises(IntegrityError):
            await direct_sql.run(s, _RECORD_INSERT, record | {"record_id": uuid4()})
        await s.rollback()
        await s.execute(text("SELECT 1"))
        assert await direct_sql.run(s, _RECORD_INSERT, record) == 1


async def test_what_waits_to_be_flushed_is_flushed_first(engine: AsyncEngine, seeded: dict[str, Any]) -> None:
    reads = dict(await _reads(engine, seeded))
    params = reads[_CLOSURES] | {"last": dt.date(2031, 4, 30)}
    async with async_sessionmaker(engine)() as s:
        await s.execute(text("SELECT 1"))
        assert len(await direct_sql.rows(s, _CLOSURES, params)) == 1
        venue_id = reads[_CLOSURES]["venue_id"]
        s.add(Closure(venue_id=venue_id, room_id=None, start_date=dt.date(2031, 4, 1),
                      end_date=dt.date(2031, 4, 2), reason="Boiler"))  # fmt: skip
        # Not yet flushed: the read goes through the session, which flushes it and finds it.
        assert {row.reason for row in await direct_sql.rows(s, _CLOSURES, params)} == {
            "Floor sanding",
            "Boiler",
        }
        with sqlalchemy_ran() as captured:
            assert len(await direct_sql.rows(s, _CLOSURES, params)) == 2
        assert len(captured) == (0 if engine.dialect.name == "postgresql" else 1)
