"""A booking request writes its new rows without the unit of work (vetting/new_rows.py): on
PostgreSQL the organisation, case, private link, booking and dates in one statement, on SQLite
one INSERT per table; either way every row is there, joined up, once."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import application_payload, next_weekday
from tests.statements import statements_run
from venues.models import Booking, Occurrence
from vetting.models import CaseEvent, Organisation, VettingCase
from vetting.status_links import StatusLink

NEW_ROW_TABLES = ("organisation", "vetting_case", "status_link", "booking", "occurrence")


def _inserts_into(table: str, statement: str) -> bool:
    return f"INSERT INTO {table} " in statement or f'INSERT INTO "{table}" ' in statement


async def test_the_new_rows_go_in_together_and_are_all_there(
    client: AsyncTestClient[Litestar], seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    body = application_payload(
        seeded["hall_a"].id,
        next_weekday(2, weeks_ahead=3),
        rrule="FREQ=WEEKLY;COUNT=3",
        organisation="Rowtown Together Club",
    )
    with statements_run() as captured:
        created = await client.post("/api/v1/applications", json=body)
    assert created.status_code == 201, created.text
    inserts = [s for s, _ in captured if s.lstrip().startswith(("INSERT", "WITH"))]
    writing = [s for s in inserts if any(_inserts_into(t, s) for t in NEW_ROW_TABLES)]
    if engine.dialect.name == "postgresql":
        assert len(writing) == 1, writing
        assert all(_inserts_into(t, writing[0]) for t in (*NEW_ROW_TABLES, "case_event"))
        assert not any(_inserts_into("case_event", s) for s in inserts if s is not writing[0])
    else:
        assert len(writing) == len(NEW_ROW_TABLES)
    case_id = UUID(created.json()["id"])
    async with engine.connect() as conn:
        case = (await conn.execute(select(VettingCase.__table__).where(VettingCase.id == case_id))).one()
        organisation = (
            await conn.execute(select(Organisation.__table__).where(Organisation.id == case.organisation_id))
        ).one()
        booking = (await conn.execute(select(Booking.__table__).where(Booking.case_id == case_id))).one()
        dates = (
            await conn.execute(
                select(Occurrence.seq, Occurrence.room_id)
                .where(Occurrence.booking_id == booking.id)
                .order_by(Occurrence.seq)
            )
        ).all()
        links = await conn.scalar(
            select(func.count()).select_from(StatusLink).where(StatusLink.case_id == case_id)
        )
        history = (
            await conn.execute(
                select(CaseEvent.__table__.c.action)
                .where(CaseEvent.case_id == case_id)
                .order_by(CaseEvent.id)
            )
        ).all()
    assert organisation.name == "Rowtown Together Club"
    assert case.created_at is not None and case.revision == 1
    assert [d.seq for d in dates] == [0, 1, 2]
    assert {d.room_id for d in dates} == {booking.room_id} == {seeded["hall_a"].id}
    assert links == 1
    assert [row.action for row in history] == ["submitted", "screened", "checks_run"]
