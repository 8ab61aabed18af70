"""Migration b24e00000005 moves a database of one council into one organisation per owner name.

The database is built at the revision before (a07b00000004) with plain inserts shaped like the
old demo data: a council with two venues, two partners with one each, a hirer group with
requests at the council and at a partner, staff of every role, a feed, a clearance and audit
records. After the upgrade nothing is lost and everything has the organisation it should.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from api.db.engine import create_engine
from api.db.migrate import upgrade
from tests.conftest import ENGINES, _pg_admin_url, _pg_execute, _with_database
from vetting.models import VettingCase
from vetting.tenancy import Scope, scoped

BEFORE = "a07b00000004"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
COUNCIL, TRUST = "Testshire Borough Council", "Testvale Hall Trust"
ASSOCIATION = "Brookside Residents Association"
SHARED = "Testtown Allotment Society"
HOURS = {"mon": [["09:00", "22:00"]]}

_TYPES: dict[str, Any] = {
    "id": GUID(length=16),
    "local_start": sa.DateTime(),
    "local_end": sa.DateTime(),
    **{c: DateTimeUTC(timezone=True) for c in ("created_at", "updated_at", "changed_at", "at")},
    **{c: DateTimeUTC(timezone=True) for c in ("start_utc", "end_utc", "first_start", "expires_at")},
    **dict.fromkeys(("contact", "people", "event", "declarations", "answers", "checks"), JsonB),
    **dict.fromkeys(("accessibility", "opening_hours", "aliases", "organisation_submitted"), JsonB),
}
TABLES = (
    "venue",
    "room",
    "organisation",
    "vetting_case",
    "booking",
    "occurrence",
    "breach",
    "app_user",
    "user_venue",
    "feed",
    "flagged_entry",
    "screening_clearance",
    "audit_record",
)


def _type(column: str) -> Any:
    if column.endswith("_id") and column != "policy_id":
        return GUID(length=16)
    return _TYPES.get(column)


async def _insert(conn: AsyncConnection, table: str, **values: Any) -> uuid.UUID:
    """One row through a plain INSERT; UUID-keyed tables get an id and timestamps when not given."""
    if table != "audit_record":
        values = {"id": uuid.uuid4()} | values
        if table not in ("user_venue", "occurrence_hold"):
            values = {"created_at": NOW, "updated_at": NOW} | values
    columns = [sa.column(name, _type(name)) for name in values]
    await conn.execute(sa.insert(sa.table(table, *columns)).values(**values))
    return values.get("id")  # type: ignore[return-value]  # audit_record: None, its id is a serial


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


async def _venue(conn: AsyncConnection, name: str, kind: str, owner: str, rooms: int = 1) -> list[uuid.UUID]:
    venue = await _insert(
        conn,
        "venue",
        name=name,
        owner_kind=kind,
        owner_name=owner,
        address="1 Test Street",
        timezone="Europe/London",
        contact_email=f"hire@{owner.split()[0].lower()}.example",
        policy_id="default",
    )
    return [venue] + [
        await _insert(
            conn,
            "room",
            venue_id=venue,
            name=f"Room {n}",
            capacity=40,
            accessibility=["step_free"],
            opening_hours=HOURS,
            buffer_before_minutes=0,
            buffer_after_minutes=0,
            active=True,
        )
        for n in range(1, rooms + 1)
    ]


async def _organisation(conn: AsyncConnection, name: str, charity_number: str | None = None) -> uuid.UUID:
    return await _insert(
        conn,
        "organisation",
        name=name,
        type="charity",
        charity_number=charity_number,
        address="2 Test Lane",
        last_cleared_at=NOW,
    )


async def _case(
    conn: AsyncConnection, n: int, room: uuid.UUID, organisation: uuid.UUID, linked: uuid.UUID | None = None
) -> uuid.UUID:
    start = NOW + dt.timedelta(days=7 * n)
    case = await _insert(
        conn,
        "vetting_case",
        reference=f"VH-2026-{n:05d}",
        status="under_review",
        organisation_id=organisation,
        linked_organisation_id=linked,
        organisation_name=SHARED,
        organisation_link="confirmed" if linked else "new",
        contact={"name": "Morgan Testwell"},
        people=[],
        event={"title": f"Meeting {n}"},
        declarations=["conditions_of_hire"],
        answers={},
        policy_id="default",
        policy_version="1",
        first_start=start,
        checks=[],
        applicant_token_hash=f"{n:064d}",
        revision=1,
    )
    booking = await _insert(
        conn, "booking", case_id=case, room_id=room, uid=f"case-{n}@test", sequence=0, changed_at=NOW
    )
    await _insert(
        conn,
        "occurrence",
        booking_id=booking,
        seq=0,
        start_utc=start,
        end_utc=start + dt.timedelta(hours=2),
        local_start=start.replace(tzinfo=None),
        local_end=start.replace(tzinfo=None) + dt.timedelta(hours=2),
        status="requested",
    )
    return case


async def _user(
    conn: AsyncConnection, role: str, email: str, venues: tuple[uuid.UUID, ...] = ()
) -> uuid.UUID:
    user = await _insert(
        conn, "app_user", email=email, name=email.split("@")[0], role=role, password_hash="x", active=True
    )
    for venue in venues:
        await _insert(conn, "user_venue", user_id=user, venue_id=venue)
    return user


async def _seed(url: str) -> dict[str, Any]:
    """The old demo's shape: the ids the checks need, by name."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            civic, civic_room, _second_room = await _venue(
                conn, "Testtown Civic Centre", "council", COUNCIL, 2
            )
            library, library_room = await _venue(conn, "Testtown Library", "council", COUNCIL)
            hall, hall_room = await _venue(conn, "Testvale Village Hall", "partner", TRUST)
            _centre, centre_room = await _venue(conn, "Brookside Centre", "partner", ASSOCIATION)
            shared = await _organisation(conn, SHARED, "1234567")
            later_name = await _organisation(conn, "Testtown Allotment Soc.")
            chess = await _organisation(conn, "Brookside Chess Club")
            await _organisation(conn, "Testtown Choir")  # no case yet
            cases = {
                "council civic": await _case(conn, 1, civic_room, shared),
                "council library": await _case(conn, 2, library_room, shared),
                "trust": await _case(conn, 3, hall_room, shared),
                # Filed under the name it gave, linked by an officer to the known group.
                "trust linked": await _case(conn, 4, hall_room, later_name, linked=shared),
                "association": await _case(conn, 5, centre_room, chess),
            }
            await _insert(
                conn,
                "breach",
                organisation_id=shared,
                occurred_on=dt.date(2026, 5, 1),
                code="late_finish",
                description="Left the hall after closing time",
                serious=False,
                recorded_by="Test Officer",
            )
            users = {
                "admin": await _user(conn, "admin", "admin@testshire.example"),
                "officer": await _user(conn, "officer", "officer@testshire.example"),
                "council manager": await _user(
                    conn, "venue_manager", "civic@testshire.example", (civic, library)
                ),
                "trust manager": await _user(conn, "venue_manager", "hall@testvale.example", (hall,)),
                "no venues": await _user(conn, "venue_manager", "spare@testshire.example"),
            }
            for owner in ("trust manager", "officer", "admin"):
                await _insert(
                    conn,
                    "feed",
                    token_hash=uuid.uuid4().hex * 2,
                    owner_id=users[owner],
                    scope="venue",
                    target=str(hall),
                    detail="busy",
                )
            entry = await _insert(
                conn,
                "flagged_entry",
                kind="person",
                name="Yevgeny Testarov",
                aliases=[],
                source="local",
                source_ref="local-1",
                added_by="Test Officer",
                active=True,
                list_version=1,
                content_hash="0" * 64,
            )
            await _insert(
                conn,
                "screening_clearance",
                name_key="evgeny testarov",
                entry_id=entry,
                entry_hash="0" * 64,
                cleared_by="Test Officer",
            )
            for n in range(3):
                await _insert(
                    conn,
                    "audit_record",
                    at=NOW,
                    actor="Test Officer",
                    action="decide",
                    object_type="case",
                    object_id=str(cases["trust"]),
                    prev_hash=f"{n:064d}",
                    hash=f"{n + 1:064d}",
                )
    finally:
        await engine.dispose()
    return {"cases": cases, "users": users, "shared": shared, "venues": (civic, library, hall)}


async def _read(url: str, query: str | sa.Executable) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(sa.text(query) if isinstance(query, str) else query)).all())
    finally:
        await engine.dispose()


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
    seed = asyncio.run(_seed(blank_url))
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
