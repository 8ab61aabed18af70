"""A document turned down, told to a hirer who asked in Welsh (issue 18 item 4): the kind is named
by the policy's Welsh (the built-in kinds carry it), the officer's note as written."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from casework.document_review import review_document
from casework.workflow import Workflow
from tests.documents.conftest import pdf
from tests.documents.test_documents import documents_of, send
from tests.factories import application_payload, next_weekday
from vetting.actors import Actor
from vetting.outbox_models import OutboxMessage

Client = AsyncTestClient[Litestar]


async def test_a_welsh_hirer_reads_which_document_was_turned_down_in_welsh(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    body = application_payload(seeded["hall_a"].id, next_weekday(1, weeks_ahead=4)) | {"language": "cy"}
    created = (await web.post("/api/v1/applications", json=body)).json()
    sent = await send(
        web, created["applicant_token"], "safeguarding.pdf", pdf(), {"kind": "safeguarding_policy"}
    )
    assert sent.status_code in (302, 303)
    (document,) = await documents_of(engine, created["id"])
    officer = Actor(id=seeded["officer"].id, name=seeded["officer"].name, role="officer")
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        await review_document(Workflow(session=s), officer, document.id, False, "The policy is unsigned")
        await s.commit()
    async with maker() as s:
        (mail,) = (
            await s.execute(
                select(OutboxMessage).where(
                    OutboxMessage.case_id == UUID(created["id"]),
                    OutboxMessage.template == "document_rejected",
                )
            )
        ).scalars()
    assert "Polisi diogelu" in mail.body and "The policy is unsigned" in mail.body
    assert "Safeguarding policy" not in mail.body and "Safeguarding policy" not in mail.subject
