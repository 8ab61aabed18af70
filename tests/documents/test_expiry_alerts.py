"""Issue 20 item 5 through the officers' alert preferences: a confirmed series whose insurance
expires before its last date alerts each officer as they chose (at once, in the digest, or not),
and asks the hirer for a renewed certificate ahead of time."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.models import User
from casework.alert_models import DigestItem
from casework.alert_preferences import KINDS, save_alert_settings
from casework.document_expiry import expiring_documents_job
from casework.document_review import review_document
from casework.workflow import DecisionInput, Workflow
from tests import factories as f
from tests.documents.conftest import pdf
from tests.documents.test_documents import INSURANCE, documents_of, send
from vetting.actors import Actor
from vetting.outbox_models import OutboxMessage

Client = AsyncTestClient[Litestar]
KIND = "alert_document_expiring"


def _actor(user: Any) -> Actor:
    return Actor(id=user.id, name=user.name, role="officer", provider_id=user.provider_id)


async def _confirmed_series_with_certificate(
    app: Litestar, web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> tuple[str, dt.date]:
    first = f.next_weekday(2, weeks_ahead=4)
    body = f.application_payload(seeded["hall_a"].id, first, rrule="FREQ=WEEKLY;COUNT=8")
    created = (await web.post("/api/v1/applications", json=body)).json()
    expires = (first + dt.timedelta(days=14)).date()  # the series runs seven weeks past the first date
    fields = {**INSURANCE, "expires_on": expires.isoformat()}
    assert (await send(web, created["applicant_token"], "insurance.pdf", pdf(), fields)).status_code == 303
    (certificate,) = await documents_of(engine, created["id"])
    officer = _actor(seeded["officer"])
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        workflow = Workflow(session=s, documents=app.state.documents)
        await review_document(workflow, officer, certificate.id, True, "Cover seen")
        decision = DecisionInput(
            "approve", "Approved", checks_in_review_confirmed=True, checks_in_review_reason="Seen"
        )
        await workflow.decide(officer, UUID(created["id"]), decision)
        await s.commit()
    return created["id"], expires


async def test_the_expiry_alert_follows_each_officers_choice(
    app: Litestar, web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    assert KIND in KINDS  # offered on /account/alerts like every other alert
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        await save_alert_settings(s, _actor(seeded["officer"]), {KIND: "digest"}, dt.time(8, 0))
        await save_alert_settings(s, _actor(seeded["officer2"]), {KIND: "off"}, dt.time(8, 0))
        await s.commit()
    case_id, expires = await _confirmed_series_with_certificate(app, web, engine, seeded)
    due = dt.datetime.combine(expires, dt.time(3), dt.UTC) - dt.timedelta(days=10)
    for _ in range(2):  # the job may run twice: one notice, one digest line
        async with maker() as s:
            await expiring_documents_job(Workflow(session=s), due)
            await s.commit()
    async with maker() as s:
        mailed = (
            await s.execute(
                select(OutboxMessage.template, OutboxMessage.audience).where(
                    OutboxMessage.case_id == UUID(case_id)
                )
            )
        ).all()
        kept = (await s.execute(select(DigestItem.user_id, DigestItem.kind, DigestItem.line))).all()
    assert [t for t, _ in mailed].count("document_expiring") == 1  # the hirer is asked, once
    assert KIND not in [t for t, _ in mailed]  # nobody chose "immediately"
    assert [(u, k) for u, k, _ in kept] == [(seeded["officer"].id, KIND)]  # officer2 chose off
    assert f"/officer/cases/{case_id}" in kept[0][2]


async def test_officers_who_chose_nothing_are_alerted_at_once(
    app: Litestar, web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    case_id, expires = await _confirmed_series_with_certificate(app, web, engine, seeded)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    early = dt.datetime.combine(expires, dt.time(3), dt.UTC) - dt.timedelta(days=60)
    due = dt.datetime.combine(expires, dt.time(3), dt.UTC) - dt.timedelta(days=10)
    for now, expected in ((early, 0), (due, 1), (due, 0)):
        async with maker() as s:
            assert await expiring_documents_job(Workflow(session=s), now) == expected
            await s.commit()
    async with maker() as s:
        to = (
            (
                await s.execute(
                    select(OutboxMessage.to_address).where(
                        OutboxMessage.case_id == UUID(case_id), OutboxMessage.template == KIND
                    )
                )
            )
            .scalars()
            .all()
        )
        officers = (
            (
                await s.execute(
                    select(User.email).where(User.id.in_([seeded["officer"].id, seeded["officer2"].id]))
                )
            )
            .scalars()
            .all()
        )
    assert len(officers) == 2 and sorted(to) == sorted(officers)
