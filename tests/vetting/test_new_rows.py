"""`insert_new` writes what a flush would have written, and leaves the objects persistent with
nothing pending (vetting/new_rows.py: the booking request's rows go in this way)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import uuid4

from sqlalchemy import JSON, Integer, String, Table, event, func, select
from sqlalchemy import Sequence as SequenceDefault
from sqlalchemy import inspect as orm_inspect
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, object_session

from tests.statements import statements_run
from vetting.models import CaseEvent, Organisation
from vetting.new_rows import _fits_one_statement, _inserts_in_one, insert_new
from vetting.status_links import StatusLink

ORGANISATIONS = Organisation.__table__
assert isinstance(ORGANISATIONS, Table)
GENERATED = {"id", "created_at", "updated_at"}


def _organisation(name: str, **extra: Any) -> Organisation:
    return Organisation(provider_id=None, name=name, type="club", address="1 Row Street", **extra)


async def _stored(engine: AsyncEngine, name: str) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = (await conn.execute(select(ORGANISATIONS).where(ORGANISATIONS.c.name == name))).one()
    return dict(row._mapping)


async def test_the_rows_are_those_a_flush_writes(engine: AsyncEngine) -> None:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        s.add(_organisation("Flushed Row Club", website=None))
        await s.flush()
        inserted = _organisation("Inserted Row Club", website=None)
        await insert_new(s, [inserted])
        await s.commit()
    flushed_row = await _stored(engine, "Flushed Row Club")
    inserted_row = await _stored(engine, "Inserted Row Club")
    assert {k: v for k, v in flushed_row.items() if k not in GENERATED | {"name"}} == {
        k: v for k, v in inserted_row.items() if k not in GENERATED | {"name"}
    }
    # The Python-side defaults were applied, and the object holds what was stored.
    assert inserted_row["id"] == inserted.id
    assert inserted.created_at is not None and inserted_row["created_at"] is not None
    assert inserted_row["updated_at"] is not None


async def test_the_objects_are_persistent_with_nothing_pending(engine: AsyncEngine) -> None:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's writer lock, taken by the first write
            statements.append(statement)

    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        first, second = _organisation("Persistent One"), _organisation("Persistent Two")
        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            await insert_new(s, [first, second])
            assert len(statements) == 1  # one executemany for the table
            assert orm_inspect(first).persistent and orm_inspect(second).persistent
            assert object_session(first) is s.sync_session
            assert not s.new and not s.dirty
            statements.clear()
            assert await s.get(Organisation, first.id) is first
            await s.flush()
            assert statements == []  # found in the identity map; nothing left to write
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)
        await s.commit()
    assert (await _stored(engine, "Persistent Two"))["id"] == second.id


async def test_rows_naming_different_columns_each_get_what_a_flush_gives(engine: AsyncEngine) -> None:
    cleared = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        await insert_new(
            s,
            [
                _organisation("Cleared Row Club", last_cleared_at=cleared, id=uuid4()),
                _organisation("Never Cleared Row Club"),
            ],
        )
        await s.commit()
    assert (await _stored(engine, "Cleared Row Club"))["last_cleared_at"] == cleared
    assert (await _stored(engine, "Never Cleared Row Club"))["last_cleared_at"] is None


def test_the_statement_for_several_tables_is_built_once_and_cached_by_sqlalchemy() -> None:
    """PostgreSQL's one-statement form (`_inserts_in_one`): SQLAlchemy compiles a statement once
    only if it has a cache key, and an INSERT with INSERTs in its WITH clause had none (compiled
    on every booking request, 1.4 ms of CPU: bench/submit_cpu.py)."""
    links = StatusLink.__table__
    assert isinstance(links, Table)
    shape = ((ORGANISATIONS, ("id", "name", "type"), 1), (links, ("case_id", "id", "token_hash"), 2))
    statement = _inserts_in_one(shape)
    assert _inserts_in_one(shape) is statement
    assert statement._generate_cache_key() is not None
    assert str(statement).count("INSERT INTO") == 2


def test_a_table_whose_insert_needs_a_sql_expression_keeps_its_own_insert() -> None:
    """A column whose default is a SQL expression SQLAlchemy writes into the INSERT would be left
    out of the one-statement text, so such a table is never put in it; a sequence's next value
    (the history's ids) is written there as ``nextval``, as SQLAlchemy writes it."""
    events = CaseEvent.__table__
    assert isinstance(events, Table)
    stamped = _Stamped.__table__
    assert isinstance(stamped, Table)
    assert _fits_one_statement(ORGANISATIONS)
    assert _fits_one_statement(events)
    assert not _fits_one_statement(stamped)
    shape = ((ORGANISATIONS, ("id", "name", "type"), 1), (events, ("action", "case_id"), 2))
    sql = str(_inserts_in_one(shape))
    assert sql.count("nextval('case_event_id_seq')") == 2
    assert '"case_id", "id") VALUES' in sql


async def test_rows_numbered_by_a_sequence_go_in_beside_the_objects(engine: AsyncEngine) -> None:
    """Plain rows (as the history's go in after a booking request's case) written after the
    objects, in one statement on PostgreSQL: every row there, numbered by the sequence in the
    order given."""
    numbered = _Numbered.__table__
    assert isinstance(numbered, Table)
    async with engine.begin() as conn:
        await conn.run_sync(_Scratch.metadata.create_all)
    try:
        rows = [{"label": label} for label in ("first", "second", "third")]
        with statements_run(engine.sync_engine) as captured:
            async with async_sessionmaker(engine, expire_on_commit=False)() as s:
                await insert_new(s, [_organisation("Numbered Rows Club")], rows=[(numbered, rows)])
                await s.commit()
        writes = [sql for sql, _ in captured if sql.lstrip().startswith(("INSERT", "WITH"))]
        assert len(writes) == (1 if engine.dialect.name == "postgresql" else 2), writes
        async with engine.connect() as conn:
            stored = (await conn.execute(select(numbered.c.label).order_by(numbered.c.id))).all()
        assert [row.label for row in stored] == ["first", "second", "third"]
        assert (await _stored(engine, "Numbered Rows Club"))["type"] == "club"
    finally:
        async with engine.begin() as conn:
            await conn.run_sync(_Scratch.metadata.drop_all)


class _Scratch(DeclarativeBase):
    pass


class _Stamped(_Scratch):
    """A table whose INSERT takes a SQL expression from SQLAlchemy."""

    __tablename__ = "new_rows_test_stamped"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stamped: Mapped[str] = mapped_column(String(40), default=func.lower("STAMPED"))


class _Numbered(_Scratch):
    """A table whose ids a sequence gives, as the history's are."""

    __tablename__ = "new_rows_test_numbered"
    id: Mapped[int] = mapped_column(Integer, SequenceDefault("new_rows_test_numbered_seq"), primary_key=True)
    label: Mapped[str] = mapped_column(String(20))


class _Note(_Scratch):
    """A table of this test's own: a Python default beside a JSON column and a plain one."""

    __tablename__ = "new_rows_test_note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str | None] = mapped_column(String(20), default="plain", nullable=True)
    remark: Mapped[str | None] = mapped_column(String(20), nullable=True)
    data: Mapped[Any] = mapped_column(JSON, nullable=True)


async def test_an_explicit_none_is_written_as_a_flush_writes_it(engine: AsyncEngine) -> None:
    """The flush leaves out a None the column's type does not store as a value of its own: the
    column's default applies (here "plain"), or NULL; JSON stores None as JSON null."""
    async with engine.begin() as conn:
        await conn.run_sync(_Scratch.metadata.create_all)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            s.add(_Note(id=1, label=None, remark=None, data=None))
            await s.flush()
            inserted = _Note(id=2, label=None, remark=None, data=None)
            await insert_new(s, [inserted])
            await s.commit()
        table = _Note.__table__
        assert isinstance(table, Table)
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(
                        table.c.label,
                        table.c.remark,
                        func.json_typeof(table.c.data)
                        if engine.dialect.name == "postgresql"
                        else func.json_type(table.c.data),
                    ).order_by(table.c.id)
                )
            ).all()
        assert rows[0] == rows[1] == ("plain", None, "null")
        assert inserted.label == "plain"
    finally:
        async with engine.begin() as conn:
            await conn.run_sync(_Scratch.metadata.drop_all)
