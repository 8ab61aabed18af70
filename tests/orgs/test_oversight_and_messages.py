"""The lead council's oversight (numbers only, suppressed when small) and messages per organisation."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import AuditRecord
from casework.deps import CaseDeps
from casework.messages import Message, sender_of, submitted, word
from tests import factories as f
from vetting.providers import Partnership, PartnershipMember
from vetting.tenancy import ALL_PROVIDERS

PRIVATE = ("Testtown Allotment Society", "Morgan Testwell", "Jordan Plotholder", "VH-")


async def _partnership(session: AsyncSession) -> dict[str, Any]:
    lead = await f.make_provider(session, "Testshire County Council")
    partner = await f.make_provider(session, "Testvale Hall Trust", "partner")
    outsider = await f.make_provider(session, "Elsewhere Council")
    partnership = Partnership(id=uuid4(), name="Testshire Prevent Partnership", lead_provider_id=lead.id)
    session.add(partnership)
    await session.flush()
    for p in (lead, partner):
        session.add(PartnershipMember(id=uuid4(), partnership_id=partnership.id, provider_id=p.id))
    rooms = {}
    for p in (lead, partner, outsider):
        venue = await f.make_venue(session, owner_name=p.name, owner_kind="council")
        rooms[p.name] = await f.make_room(session, venue)
    lead_officer, lead_token = await f.make_staff(session, "officer", provider=lead)
    partner_officer, partner_token = await f.make_staff(session, "officer", provider=partner)
    await session.commit()
    return {
        "partnership": partnership,
        "rooms": rooms,
        "lead": lead,
        "partner": partner,
        "lead_token": lead_token,
        "partner_token": partner_token,
        "lead_officer": lead_officer,
        "partner_officer": partner_officer,
    }


async def test_lead_council_sees_counts_of_every_partner_and_nobody_else_does(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    data = await _partnership(session)
    # Six requests at the partner (enough to publish), two at the lead (suppressed), one elsewhere.
    for n, (owner, count) in enumerate((("Testvale Hall Trust", 6), ("Testshire County Council", 2))):
        for k in range(count):
            start = f.next_weekday(1, weeks_ahead=3 + k + 10 * n)
            body = f.application_payload(data["rooms"][owner].id, start)
            assert (await client.post("/api/v1/applications", json=body)).status_code == 201
    elsewhere = f.application_payload(data["rooms"]["Elsewhere Council"].id, f.next_weekday(2))
    assert (await client.post("/api/v1/applications", json=elsewhere)).status_code == 201

    url = f"/api/v1/partnerships/{data['partnership'].id}/oversight"
    answer = await client.get(url, headers=f.bearer(data["lead_token"]))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["suppression_threshold"] == 5
    by_name = {p["organisation"]: p for p in report["partners"]}
    assert set(by_name) == {"Testshire County Council", "Testvale Hall Trust"}
    partner = by_name["Testvale Hall Trust"]
    assert partner["cases"] == {"value": 6, "suppressed": False}
    assert partner["by_status"]["under_review"] == {"value": 6, "suppressed": False}
    assert partner["outcomes"]["refused"] == {"value": 0, "suppressed": False}
    assert partner["referral_rate"] == 0.0
    lead = by_name["Testshire County Council"]
    assert lead["lead"] is True
    assert lead["cases"] == {"value": None, "suppressed": True}
    assert lead["referral_rate"] is None
    for private in PRIVATE:
        assert private not in answer.text

    # Outside the range: nothing counted.
    empty = await client.get(
        url, params={"start": "2020-01-01", "end": "2020-12-31"}, headers=f.bearer(data["lead_token"])
    )
    assert empty.json()["partners"][0]["cases"]["value"] == 0
    backwards = await client.get(
        url, params={"start": "2021-01-01", "end": "2020-12-31"}, headers=f.bearer(data["lead_token"])
    )
    assert backwards.status_code == 422
    # A partner's officer, and the lead's officer asking about a partnership it does not lead: 404.
    assert (await client.get(url, headers=f.bearer(data["partner_token"]))).status_code == 404
    unknown = f"/api/v1/partnerships/{uuid4()}/oversight"
    assert (await client.get(unknown, headers=f.bearer(data["lead_token"]))).status_code == 404
    led = await client.get("/api/v1/partnerships", headers=f.bearer(data["partner_token"]))
    assert led.json() == []

    audited = (
        (
            await session.execute(
                select(AuditRecord.object_id)
                .where(AuditRecord.action == "oversight")
                .execution_options(**{ALL_PROVIDERS: True})
            )
        )
        .scalars()
        .all()
    )
    assert str(data["partnership"].id) in audited


async def test_messages_use_the_organisations_words_and_address_with_a_fallback(
    session: AsyncSession,
) -> None:
    provider = await f.make_provider(session, "Testvale Hall Trust", "partner")
    provider.base_url = "https://rooms.testvale.example"
    provider.message_templates = {
        "submitted": {
            "subject": "Testvale halls: {reference}",
            "body": "Thanks from {organisation}: {status_url}",
        },
        # Unknown placeholder and attribute access: the default text is sent instead.
        "refused": {"subject": "Refused {nonsense}", "body": "{reason.__class__}"},
    }
    await session.flush()
    sender = await sender_of(CaseDeps(session, base_url="http://service.example"), provider.id)
    assert sender.base_url == "https://rooms.testvale.example"
    import datetime as dt

    message = submitted("VH-1", "Hall", "Vale Hall", dt.date(2027, 1, 12), f"{sender.base_url}/status/t")
    filled = Message(message.name, {"organisation": sender.organisation} | message.fields)
    subject, body = word(filled, sender.templates)
    assert subject == "Testvale halls: VH-1"
    # The council's words replace the opening; the booking, what happens next and the link stay.
    assert "Thanks from Testvale Hall Trust: https://rooms.testvale.example/status/t" in body
    assert "We have your booking request" not in body and "Thank you. Your request" not in body
    assert "WHAT HAPPENS NEXT" in body and "Tuesday 12 January 2027" in body
    assert body.count("https://rooms.testvale.example/status/t") == 2  # theirs and the layout's
    default_subject, default_body = word(filled, {})
    assert default_subject == "We have your booking request VH-1"
    assert "is with Testvale Hall Trust" in default_body and "Tuesday 12 January 2027" in default_body
    refused = Message("refused", {"reference": "VH-2", "reason": "No insurance"})
    assert word(refused, sender.templates) == word(refused, {})
    assert word(refused, sender.templates)[0] == "Decision on your booking request VH-2"
    none = await sender_of(CaseDeps(session, base_url="http://service.example"), None)
    assert none.base_url == "http://service.example" and none.organisation == "the council"
