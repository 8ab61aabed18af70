"""The outbox under data protection: subject access lists what was sent to the hirer (not staff
mail), and retention removes messages with their case and old ones about no case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import create_app
from api.dataprotection.retention import apply_purge, plan_purge
from api.dataprotection.subject_access import export_subject
from api.settings import Settings
from tests.factories import application_payload, bearer, next_weekday
from venues.models import Occurrence
from vetting.models import VettingCase
from vetting.notify import Mail, send_after_commit
from vetting.outbox_models import SENT, OutboxMessage


async def test_subject_access_and_retention_cover_the_outbox(
    session: AsyncSession, settings: Settings, seeded: dict[str, Any]
) -> None:
    quiet = settings.model_copy(update={"delivery": "off"})
    async with AsyncTestClient(app=create_app(quiet), base_url="http://testserver.local") as client:
        entry = {"kind": "person", "name": "Radomir Kestrel", "aliases": [], "source": "local", "reason": "x"}
        await client.post("/api/v1/flagged-entries", json=entry, headers=bearer(seeded["officer_token"]))
        created = await client.post(
            "/api/v1/applications",
            json=application_payload(
                seeded["hall_b"].id, next_weekday(2), people=[{"name": "Radomir Kestrel", "role": "speaker"}]
            ),
        )
        assert created.status_code == 201
    export = await export_subject(session, email="morgan@testtown.example")
    (request,) = export["requests"]
    assert [m["subject"] for m in request["messages_sent"]] == [
        f"We have your booking request {request['reference']}"
    ]  # the officers' referral about the case is not the hirer's data

    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=3650)
    send_after_commit(
        session, None, Mail(to="officer@testshire.example", subject="Notice", body="x", audience="staff")
    )
    send_after_commit(
        session, None, Mail(to="recent@testshire.example", subject="Notice", body="x", audience="staff")
    )
    await session.commit()
    await session.execute(update(OutboxMessage).values(status=SENT))
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.to_address == "officer@testshire.example")
        .values(created_at=long_ago)
    )
    # The case itself past its retention period: its messages go with it.
    await session.execute(update(VettingCase).values(first_start=long_ago))
    await session.execute(
        update(Occurrence).values(start_utc=long_ago, end_utc=long_ago + dt.timedelta(hours=2))
    )
    await session.commit()
    plan = await plan_purge(session, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=3650))
    assert plan.counts()["messages"] == 2  # both notices are old by then
    plan = await plan_purge(session)
    assert plan.counts()["messages"] == 1
    await apply_purge(session, plan)
    await session.commit()
    assert plan.counts()["booking_records"] == 1
    left = (await session.execute(select(OutboxMessage.to_address, OutboxMessage.case_id))).all()
    assert left == [("recent@testshire.example", None)]  # the case's three went with it
