"""mail_hirer by SMS (the subject and a fresh link), and mail_staff's HTML part with the case link."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from casework.deps import CaseDeps
from casework.messages import Message, mail_hirer, mail_staff
from tests.factories import application_payload, next_weekday
from vetting.models import VettingCase
from vetting.notify import Mail
from vetting.outbox_delivery import mail_of
from vetting.outbox_models import OutboxMessage


async def _written(session: AsyncSession, template: str) -> list[Mail]:
    """The messages of `template` the outbox holds, as the deliverer will hand them on."""
    query = select(OutboxMessage).where(OutboxMessage.template == template).order_by(OutboxMessage.to_address)
    found = [mail_of(row) for row in (await session.execute(query)).scalars()]
    await session.commit()  # SQLite: end the (write-locking) transaction before the app writes
    return found


async def _case(client: AsyncTestClient[Any], session: AsyncSession, seeded: dict[str, Any]) -> VettingCase:
    created = await client.post(
        "/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(4))
    )
    assert created.status_code == 201, created.text
    case = await session.get(VettingCase, UUID(created.json()["id"]))
    assert case is not None
    return case


async def test_a_text_message_is_the_subject_and_a_fresh_link(
    client: AsyncTestClient[Any], session: AsyncSession, seeded: dict[str, Any]
) -> None:
    case = await _case(client, session, seeded)
    deps = CaseDeps(session, base_url="http://testserver.local")
    reminder = Message(
        "reminder_booking", {"date": "Tuesday 12 January 2027", "start": "19:00", "end": "21:00"}
    )
    await mail_hirer(deps, case, reminder, channel="sms")  # no mobile number given: nothing sent
    case.contact = case.contact | {"phone": "07700 900123", "sms_consent": True}
    await mail_hirer(deps, case, reminder, channel="sms", dedupe_key=f"reminder:{case.id}:1")
    await session.commit()
    (sms,) = await _written(session, "reminder_booking")
    assert sms.channel == "sms" and sms.to == "+447700900123" and sms.html is None
    assert sms.dedupe_key == f"reminder:{case.id}:1" and sms.template == "reminder_booking"
    subject, link = sms.body.splitlines()
    assert subject == f"Reminder: your booking {case.reference} on Tuesday 12 January 2027" == sms.subject
    assert link.startswith("http://testserver.local/status/")
    page = await client.get(f"/api/v1/applicant/{link.rsplit('/', 1)[1]}")
    assert page.status_code == 200 and page.json()["reference"] == case.reference


async def test_staff_mail_has_the_case_link_in_text_and_html(
    client: AsyncTestClient[Any], session: AsyncSession, seeded: dict[str, Any]
) -> None:
    case = await _case(client, session, seeded)
    deps = CaseDeps(session, base_url="http://testserver.local")
    alert = Message(
        "alert_new_request", {"venue": "Testtown Civic Hall", "room": "Hall B", "tier": "standard"}
    )
    await mail_staff(deps, case, ["a@testshire.example", "b@testshire.example"], alert, dedupe_key="new")
    await session.commit()
    link = f"http://testserver.local/officer/cases/{case.id}"
    sent = [m for m in await _written(session, "alert_new_request") if m.dedupe_key]
    assert [m.to for m in sent] == ["a@testshire.example", "b@testshire.example"]
    assert [m.dedupe_key for m in sent] == ["new:a@testshire.example", "new:b@testshire.example"]
    for mail in sent:
        assert mail.audience == "staff" and case.reference in mail.subject
        assert link in mail.body and f'href="{link}"' in (mail.html or "")
