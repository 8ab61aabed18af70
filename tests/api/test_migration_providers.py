"""Migration b24e00000005 moves a database of one council into one organisation per owner name.

The database is built at the revision before (a07b00000004) with plain inserts shaped like the
old demo data: a council with two venues, two partners with one each, a hirer group with
requests at the council and at a partner, staff of every role, a feed, a clearance and audit
records. After the upgrade nothing is lost and everything has the organisation it should.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.db.migrate import upgrade
from tests.api.pre_provider_data import ASSOCIATION, BEFORE, COUNCIL, SHARED, TABLES, TRUST, seed_old_data
from tests.conftest import ENGINES, _pg_admin_url, _pg_execute, _with_database
from vetting.models import VettingCase
from vetting.tenancy import Scope, scoped


@pytest.fixture(params=ENGINES)
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (not the migrated template): this test migrates it step by step."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'providers.sqlite3'}"
        return
    name = f"vh_migp_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute([f'CREATE DATABASE "{name}"']))
    yield _with_database(_pg_admin_url(), name)
    asyncio.run(_pg_execute([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)']))


async def _read(url: str, query: str | sa.Executable) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(sa.text(query) if isinstance(query, str) else query)).all())
    finally:
        await engine.dispose()


async def table_indexes(url: str, table: str) -> dict[str, list[str]]:
    """The indexes of ``table`` as the database reports them: name -> columns."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            found = await conn.run_sync(lambda sync: sa.inspect(sync).get_indexes(table))
    finally:
        await engine.dispose()
    return {str(i["name"]): [str(c) for c in i["column_names"]] for i in found}


def _counts(url: str) -> dict[str, int]:
    return {
        t: asyncio.run(_read(url, sa.select(sa.func.count()).select_from(sa.table(t))))[0][0] for t in TABLES
    }


def _uuid(value: Any) -> uuid.UUID | None:
    """A GUID as read by plain SQL: 16 bytes on SQLite, a UUID on PostgreSQL."""
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(bytes=value) if isinstance(value, bytes) else uuid.UUID(str(value))


def _by_id(rows: list[Any]) -> dict[uuid.UUID | None, Any]:
    return {_uuid(r[0]): r for r in rows}


def test_each_owner_becomes_an_organisation_and_nothing_is_lost(blank_url: str) -> None:
    upgrade(blank_url, BEFORE)
    seed = asyncio.run(seed_old_data(blank_url))
    before = _counts(blank_url)
    upgrade(blank_url)
    after = _counts(blank_url)
    # The group with requests at the council and at the trust gets one record per organisation.
    assert after == before | {"organisation": before["organisation"] + 1}

    providers = {
        r.name: (_uuid(r.id), r.kind, r.slug)
        for r in asyncio.run(_read(blank_url, "SELECT id, name, kind, slug, active FROM provider"))
    }
    assert {name: (kind, slug) for name, (_pid, kind, slug) in providers.items()} == {
        COUNCIL: ("unitary_council", "testshire-borough-council"),
        TRUST: ("charity", "testvale-hall-trust"),
        ASSOCIATION: ("charity", "brookside-residents-association"),
    }
    pid = {name: p[0] for name, p in providers.items()}
    venues = asyncio.run(_read(blank_url, "SELECT owner_name, provider_id FROM venue"))
    assert all(_uuid(v.provider_id) == pid[v.owner_name] for v in venues)

    organisations = _by_id(
        asyncio.run(_read(blank_url, "SELECT id, name, provider_id, charity_number FROM organisation"))
    )
    assert all(o.provider_id is not None for o in organisations.values())
    cases = _by_id(
        asyncio.run(
            _read(
                blank_url, "SELECT id, provider_id, organisation_id, linked_organisation_id FROM vetting_case"
            )
        )
    )
    expected_owner = {"council civic": COUNCIL, "council library": COUNCIL, "trust": TRUST}
    expected_owner |= {"trust linked": TRUST, "association": ASSOCIATION}
    filed: dict[str, set[uuid.UUID | None]] = {}
    for label, case_id in seed["cases"].items():
        case = cases[case_id]
        owner = pid[expected_owner[label]]
        assert _uuid(case.provider_id) == owner, label
        for column in ("organisation_id", "linked_organisation_id"):
            record = _uuid(getattr(case, column))
            if record is not None:
                # Each organisation's cases point at its own copy of the group.
                assert _uuid(organisations[record].provider_id) == owner, (label, column)
                if organisations[record].name == SHARED:
                    filed.setdefault(expected_owner[label], set()).add(record)
    assert set(filed) == {COUNCIL, TRUST}
    assert all(len(ids) == 1 for ids in filed.values())  # one record per organisation, not per case
    copies = [o for o in organisations.values() if o.name == SHARED]
    assert {_uuid(o.provider_id) for o in copies} == {pid[COUNCIL], pid[TRUST]}
    assert {o.charity_number for o in copies} == {"1234567"}  # copied whole
    spare = next(o for o in organisations.values() if o.name == "Testtown Choir")
    assert _uuid(spare.provider_id) == pid[COUNCIL]  # no case: the default (first council)
    breach = asyncio.run(_read(blank_url, "SELECT organisation_id FROM breach"))[0]
    assert organisations[_uuid(breach.organisation_id)].name == SHARED

    users = _by_id(asyncio.run(_read(blank_url, "SELECT id, provider_id FROM app_user")))
    assert {label: _uuid(users[uid].provider_id) for label, uid in seed["users"].items()} == {
        "admin": None,  # service administrators belong to no organisation
        "officer": pid[COUNCIL],
        "council manager": pid[COUNCIL],
        "trust manager": pid[TRUST],
        "no venues": pid[COUNCIL],
    }
    feeds = asyncio.run(_read(blank_url, "SELECT owner_id, provider_id FROM feed"))
    owner_of = {_uuid(f.owner_id): _uuid(f.provider_id) for f in feeds}
    assert owner_of == {
        seed["users"]["trust manager"]: pid[TRUST],
        seed["users"]["officer"]: pid[COUNCIL],
        seed["users"]["admin"]: None,
    }
    clearance = asyncio.run(_read(blank_url, "SELECT provider_id FROM screening_clearance"))
    assert [_uuid(c.provider_id) for c in clearance] == [pid[COUNCIL]]
    for table in ("flagged_entry", "audit_record"):  # stay service-wide
        rows = asyncio.run(_read(blank_url, sa.select(sa.column("provider_id")).select_from(sa.table(table))))
        assert rows == [(None,)] * before[table]

    # The trust's officers, through the one scoping mechanism, see the trust's two cases only.
    assert asyncio.run(_scoped_references(blank_url, pid[TRUST])) == ["VH-2026-00003", "VH-2026-00004"]
    # The audit log is still append-only (SQLite rebuilt no table it has triggers on).
    with pytest.raises(DBAPIError, match="append-only"):
        asyncio.run(_read(blank_url, "UPDATE audit_record SET actor = 'someone else'"))


async def _scoped_references(url: str, provider_id: uuid.UUID | None) -> list[str]:
    engine = create_engine(url)
    try:
        async with async_sessionmaker(engine)() as session:
            assert provider_id is not None
            with scoped(session, Scope.of(provider_id)):
                rows = await session.execute(sa.select(VettingCase.reference).order_by(VettingCase.reference))
                return list(rows.scalars())
    finally:
        await engine.dispose()


def test_an_empty_database_upgrades_with_no_organisations(blank_url: str) -> None:
    upgrade(blank_url, BEFORE)
    upgrade(blank_url)
    assert asyncio.run(_read(blank_url, "SELECT count(*) FROM provider")) == [(0,)]
