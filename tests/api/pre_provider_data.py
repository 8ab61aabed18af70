"""A database at revision a07b00000004 (before organisations), filled with plain inserts shaped
like the old demo data, for tests/api/test_migration_providers.py."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy.ext.asyncio import AsyncConnection

from api.db.engine import create_engine

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


async def seed_old_data(url: str) -> dict[str, Any]:
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
