"""The scope's criteria reach a scoped model however a statement reads it (vetting/tenancy.py),
and a statement compiled once under one organisation's scope is narrowed to the next scope's
organisations when it is run again (the criteria options carry a precomputed cache key)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam, event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from tests.factories import make_room, make_venue
from venues.models import Occurrence, Room, Venue
from vetting import tenancy
from vetting.models import CaseEvent, Decision, ScreeningMatch
from vetting.providers import Provider
from vetting.tenancy import Scope, _scoped_statement, scoped


async def _two_organisations(engine: AsyncEngine) -> dict[str, UUID]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        north = await make_venue(s, "Northam Hall", owner_kind="partner", owner_name="Northam Trust")
        south = await make_venue(s, "Southam Hall", owner_kind="partner", owner_name="Southam Trust")
        await make_room(s, north, "Northam Room")
        await make_room(s, south, "Southam Room")
        await s.commit()
    assert north.provider_id is not None and south.provider_id is not None
    assert north.provider_id != south.provider_id
    return {"north": north.provider_id, "south": south.provider_id}


async def _names(session: AsyncSession, statement: Any) -> set[str]:
    return {row[-1] for row in (await session.execute(statement)).all()}


async def test_a_scoped_model_read_only_through_a_join_is_narrowed(engine: AsyncEngine) -> None:
    orgs = await _two_organisations(engine)
    # The statement starts from a table no scope narrows (the organisations) and reaches the
    # rooms only through joins.
    through_joins = (
        select(Provider.name, Room.name)
        .join(Venue, Venue.provider_id == Provider.id)
        .join(Room, Room.venue_id == Venue.id)
        .where(Room.name.like("%am Room"))
    )
    through_subquery = select(Provider.name).where(
        Provider.id.in_(select(Venue.provider_id).join(Room, Room.venue_id == Venue.id))
    )
    async with async_sessionmaker(engine)() as s:
        assert await _names(s, through_joins) == {"Northam Room", "Southam Room"}
        with scoped(s, Scope.of(orgs["north"])):
            assert await _names(s, through_joins) == {"Northam Room"}
            assert "Southam Trust" not in await _names(s, through_subquery)
            assert "Northam Trust" in await _names(s, through_subquery)


async def test_one_compiled_statement_is_narrowed_to_each_scope_in_turn(engine: AsyncEngine) -> None:
    orgs = await _two_organisations(engine)

    def rooms() -> Any:
        # A new statement object each time, as a handler builds it: the compiled form is found
        # by the cache key, and the scope's ids are bound parameters taken from this statement.
        return select(Room.name).join(Venue, Venue.id == Room.venue_id).where(Room.name.like("%am Room"))

    async with async_sessionmaker(engine)() as s:
        turns = [("north", {"Northam Room"}), ("south", {"Southam Room"}), ("north", {"Northam Room"})]
        for org, expected in turns:
            with scoped(s, Scope.of(orgs[org])):
                assert await _names(s, rooms()) == expected, org
        with scoped(s, Scope(frozenset(orgs.values()))):
            assert await _names(s, rooms()) == {"Northam Room", "Southam Room"}


# Built once, as the booking path builds its statements: one object run under every scope.
_ROOMS_LIKE = (
    select(Room.name).join(Venue, Venue.id == Room.venue_id).where(Room.name.like(bindparam("like")))
)


async def test_a_statement_built_once_is_narrowed_to_each_scope_in_turn(engine: AsyncEngine) -> None:
    """The scoped form of a statement object is kept per statement and scope
    (`tenancy._scoped_statement`), so its cache key is worked out once: the same object under
    another scope must still read only that scope's rows, whatever the bound values."""
    orgs = await _two_organisations(engine)
    north, south = Scope.of(orgs["north"]), Scope.of(orgs["south"])
    assert _scoped_statement(_ROOMS_LIKE, north) is _scoped_statement(_ROOMS_LIKE, north)
    assert _scoped_statement(_ROOMS_LIKE, north) is not _scoped_statement(_ROOMS_LIKE, south)
    async with async_sessionmaker(engine)() as s:

        async def names(like: str) -> set[str]:
            return {row[0] for row in (await s.execute(_ROOMS_LIKE, {"like": like})).all()}

        for scope, expected in [
            (north, {"Northam Room"}),
            (south, {"Southam Room"}),
            (north, {"Northam Room"}),
        ]:
            with scoped(s, scope):
                assert await names("%am Room") == expected
                assert await names("Southam%") == expected & {"Southam Room"}
        assert await names("%am Room") == {"Northam Room", "Southam Room"}


async def test_rows_of_a_case_or_booking_are_scoped_by_their_own_key(engine: AsyncEngine) -> None:
    """Occurrences, case events, decisions and matches are narrowed by looking up each row's own
    booking or case, not by gathering every booking or case of the organisation first: with
    `booking_id IN (SELECT ...)` SQLite built that whole list for every statement, and a case page
    at ten years of data took 1.4 s (bench/scale.py)."""
    if engine.dialect.name != "sqlite":
        return  # the plan below is SQLite's; PostgreSQL plans it as a semi-join either way
    orgs = await _two_organisations(engine)
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    some_id = UUID(int=7)
    statements: list[Select[Any]] = [
        select(Occurrence).where(Occurrence.booking_id == some_id),
        select(CaseEvent).where(CaseEvent.case_id == some_id),
        select(Decision).where(Decision.case_id == some_id),
        select(ScreeningMatch).where(ScreeningMatch.case_id == some_id),
    ]
    async with async_sessionmaker(engine)() as s:
        with scoped(s, Scope.of(orgs["north"])):
            event.listen(engine.sync_engine, "before_cursor_execute", capture)
            try:
                for statement in statements:
                    await s.execute(statement)
            finally:
                event.remove(engine.sync_engine, "before_cursor_execute", capture)
        connection = await s.connection()
        assert len(captured) == len(statements)
        for sql, parameters in captured:
            plan = " | ".join(
                str(row[-1])
                for row in (await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters))
            )
            assert "LIST SUBQUERY" not in plan, (sql, plan)
            assert "CORRELATED" in plan, (sql, plan)


def _elements(key: Any) -> int:
    return 1 + sum(_elements(part) for part in key) if isinstance(key, tuple) else 1


def test_every_council_shares_one_small_cache_key_for_a_statement() -> None:
    """SQLAlchemy hashes a statement's whole cache key on every execution; the scope's thirty-odd
    criteria stand in for their part of it by one small token each (`tenancy._compact_key`),
    so the key is small and every council's run of a statement finds the same compiled form."""
    north, south = Scope.of(UUID(int=1)), Scope.of(UUID(int=2))
    both = Scope(frozenset({UUID(int=1), UUID(int=2)}), shared_flagged=frozenset({UUID(int=3)}))
    keys = [_scoped_statement(_ROOMS_LIKE, scope)._generate_cache_key() for scope in (north, south, both)]
    assert keys[0] is not None and keys[1] is not None and keys[2] is not None
    assert keys[0].key == keys[1].key == keys[2].key
    assert _elements(keys[0].key) < 400  # about 3,100 with each criterion's own key
    # The ids are still bound values of each run, so each council reads its own rows (above).
    bound = [{str(p.value) for p in key.bindparams if isinstance(p.value, (tuple, list))} for key in keys]
    assert bound[0] != bound[1]


def test_a_stand_in_is_never_another_keys(monkeypatch: Any) -> None:
    monkeypatch.setattr(tenancy, "_compact_keys", {})
    monkeypatch.setattr(tenancy, "_COMPACT_KEEP", 2)
    first = {name: tenancy._compact_key(("criteria", name)) for name in ("a", "b")}
    assert tenancy._compact_key(("criteria", "a")) == first["a"]
    assert first["a"] != first["b"]
    # The memo is full: it starts again, and a key met again gets a stand-in of its own.
    later = {name: tenancy._compact_key(("criteria", name)) for name in ("c", "a")}
    assert len({*first.values(), *later.values()}) == 4
