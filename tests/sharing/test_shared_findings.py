"""A partner's refusal or confirmed match is shown to another partner's officer as a finding, only
under an agreement in force that shares findings; each showing is audited and subject access
lists it (both engines)."""

from __future__ import annotations

import json
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.models import AuditRecord
from tests.factories import ADMIN, application_payload, bearer, next_weekday
from tests.sharing.conftest import agree
from vetting.sharing import add_member, create_partnership, withdraw_agreement

Client = AsyncTestClient[Litestar]

ORGANISATION = "Testvale Debating Circle"
SPEAKER = "Quentin Harrowgate"
# The receiving partners' requests give another contact: a contact named on both would match too.
OTHER_CONTACT = {"name": "Nell Testbury", "email": "nell@testvale.example", "phone": "07700 900321"}
REFUSAL_TEXT = "Invented refusal text that must stay with the partner who wrote it"


async def _submit(
    client: Client, room: Any, weeks: int, contact: dict[str, str] | None = OTHER_CONTACT, **kw: Any
) -> dict[str, Any]:
    if contact is not None:
        kw["contact"] = contact
    made = await client.post(
        "/api/v1/applications",
        json=application_payload(
            room.id,
            next_weekday(3, weeks_ahead=weeks),
            organisation=ORGANISATION,
            people=[{"name": SPEAKER, "role": "speaker"}],
            **kw,
        ),
    )
    assert made.status_code == 201, made.text
    return dict(made.json())


async def _refused_with_confirmed_match(client: Client, p: dict[str, Any]) -> dict[str, Any]:
    """Brookvale lists the speaker, confirms the match on a request and refuses it (countersigned)."""
    flagged = await client.post(
        "/api/v1/flagged-entries",
        json={
            "kind": "person",
            "name": SPEAKER,
            "aliases": [],
            "source": "police notice",
            "reason": "invented",
        },
        headers=bearer(p["officer"]),
    )
    assert flagged.status_code == 201, flagged.text
    case = await _submit(client, p["room"], 4, contact=None)
    view = (await client.get(f"/api/v1/applications/{case['id']}", headers=bearer(p["officer"]))).json()
    (match,) = [m for m in view["screening"] if m["query_name"] == SPEAKER]
    confirmed = await client.post(
        f"/api/v1/screening-matches/{match['id']}/disposition",
        json={"disposition": "confirmed", "note": "same person, invented"},
        headers=bearer(p["officer"]),
    )
    assert confirmed.status_code == 200, confirmed.text
    refused = await client.post(
        f"/api/v1/applications/{case['id']}/decision",
        json={
            "outcome": "refuse",
            "reason": REFUSAL_TEXT,
            "reason_code": "confirmed_legal_bar",
            "options_considered": "Conditions were weighed and would not remove the legal bar",
        },
        headers=bearer(p["officer"]),
    )
    assert refused.status_code == 200, refused.text
    signed = await client.post(
        f"/api/v1/applications/{case['id']}/countersign", json={"agree": True}, headers=bearer(p["officer2"])
    )
    assert signed.json()["status"] == "refused", signed.text
    return case


async def _findings(client: Client, officer: str, case_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/applications/{case_id}", headers=bearer(officer))
    assert response.status_code == 200, response.text
    return list(response.json()["shared_findings"])


async def _shared_audit(engine: AsyncEngine) -> list[AuditRecord]:
    async with async_sessionmaker(engine)() as s:
        rows = await s.execute(select(AuditRecord).where(AuditRecord.object_type == "shared_finding"))
        return list(rows.scalars())


async def test_a_partner_sees_refusals_and_confirmed_matches_only_under_an_agreement_in_force(
    client: Client, partners: dict[str, Any], engine: AsyncEngine
) -> None:
    brook, mill = partners["brookvale"], partners["millbrook"]
    theirs = await _refused_with_confirmed_match(client, brook)
    mine = await _submit(client, mill["room"], 5)

    # Same partnership, no agreement: nothing.
    assert await _findings(client, mill["officer"], mine["id"]) == []
    # An agreement that shares flagged entries only: still no findings.
    await agree(engine, partners["partnership"].id, "TPP-FLAG-1", flagged=True, findings=False)
    assert await _findings(client, mill["officer"], mine["id"]) == []
    assert await _shared_audit(engine) == []

    agreement = await agree(engine, partners["partnership"].id, "TPP-DSA-2027", flagged=False, findings=True)
    response = await client.get(f"/api/v1/applications/{mine['id']}", headers=bearer(mill["officer"]))
    findings = response.json()["shared_findings"]
    seen = {(f["kind"], f["subject_kind"], f["subject"], f["ground"]) for f in findings}
    assert seen == {
        ("refusal", "organisation", ORGANISATION, "confirmed_legal_bar"),
        ("refusal", "person", SPEAKER, "confirmed_legal_bar"),
        ("confirmed_match", "person", SPEAKER, SPEAKER),
    }
    assert {f["partner"] for f in findings} == {"Brookvale Leisure Trust"}
    assert {f["agreement_reference"] for f in findings} == {"TPP-DSA-2027"}
    assert all(f["at"] for f in findings)
    # Never the partner's case itself: its reference, free text, contact or documents.
    assert theirs["reference"] not in response.text and theirs["id"] not in response.text
    assert REFUSAL_TEXT not in response.text and "same person, invented" not in response.text
    # A finding, never a decision: the request is still the officer's to decide.
    assert response.json()["status"] == "under_review"

    records = await _shared_audit(engine)
    assert len(records) == 3
    for r in records:
        detail = json.loads(r.detail or "{}")
        assert r.provider_id == brook["provider"].id and r.object_id == theirs["id"]
        assert detail["agreement_id"] == str(agreement.id)
        assert (detail["shared_by"], detail["seen_by"]) == (
            str(brook["provider"].id),
            str(mill["provider"].id),
        )
        assert SPEAKER not in (r.detail or "") and ORGANISATION not in (r.detail or "")

    # The officer's case page shows the same findings, and each showing is recorded again.
    page = await client.get(f"/officer/cases/{mine['id']}", headers=bearer(mill["officer"]))
    assert page.status_code == 200
    assert (
        "Shared by partners" in page.text
        and "TPP-DSA-2027" in page.text
        and "Brookvale Leisure Trust" in page.text
    )
    assert REFUSAL_TEXT not in page.text and theirs["reference"] not in page.text
    assert len(await _shared_audit(engine)) == 6

    # The partner that shared sees nothing of its own case as "shared".
    assert await _findings(client, brook["officer"], theirs["id"]) == []

    async with async_sessionmaker(engine)() as s:
        await withdraw_agreement(s, ADMIN, agreement.id)
        await s.commit()
    assert await _findings(client, mill["officer"], mine["id"]) == []
    assert len(await _shared_audit(engine)) == 6  # nothing shown, nothing recorded


async def test_an_agreement_of_another_partnership_shares_nothing_with_non_members(
    client: Client, partners: dict[str, Any], engine: AsyncEngine
) -> None:
    brook, mill, farrow = partners["brookvale"], partners["millbrook"], partners["farrowby"]
    await _refused_with_confirmed_match(client, brook)
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        other = await create_partnership(
            s, ADMIN, name="Brookvale and Farrowby Halls", lead_provider_id=partners["county"].id
        )
        await add_member(s, ADMIN, other.id, brook["provider"].id)
        await add_member(s, ADMIN, other.id, farrow["provider"].id)
        await s.commit()
    await agree(engine, other.id, "BF-2027", flagged=True, findings=True)
    mine = await _submit(client, mill["room"], 5)
    assert await _findings(client, mill["officer"], mine["id"]) == []
    farrow_case = await _submit(client, farrow["room"], 6)
    assert {
        f["agreement_reference"] for f in await _findings(client, farrow["officer"], farrow_case["id"])
    } == {"BF-2027"}


async def test_a_charity_number_matches_the_organisation_under_another_name(
    client: Client, partners: dict[str, Any], engine: AsyncEngine
) -> None:
    brook, mill = partners["brookvale"], partners["millbrook"]
    await agree(engine, partners["partnership"].id, "TPP-NUM", flagged=False, findings=True)
    body = {"name": ORGANISATION, "type": "charity", "charity_number": "1234567", "address": "2 Test Lane"}
    made = await client.post(
        "/api/v1/applications",
        json={**application_payload(brook["room"].id, next_weekday(3, weeks_ahead=4)), "organisation": body},
    )
    assert made.status_code == 201, made.text
    theirs = made.json()
    await client.post(
        f"/api/v1/applications/{theirs['id']}/decision",
        json={
            "outcome": "refuse",
            "reason": REFUSAL_TEXT,
            "reason_code": "unmitigable_unlawful_risk",
            "options_considered": "Stewarding and a smaller room were weighed",
        },
        headers=bearer(brook["officer"]),
    )
    signed = await client.post(
        f"/api/v1/applications/{theirs['id']}/countersign",
        json={"agree": True},
        headers=bearer(brook["officer2"]),
    )
    assert signed.json()["status"] == "refused", signed.text
    renamed = {**body, "name": "Testvale Speaking Society"}
    mine = await client.post(
        "/api/v1/applications",
        json={
            **application_payload(mill["room"].id, next_weekday(3, weeks_ahead=5)),
            "organisation": renamed,
            "contact": OTHER_CONTACT,
            "people": [{"name": "Ivo Testerton", "role": "officer"}],
        },
    )
    findings = await _findings(client, mill["officer"], mine.json()["id"])
    assert [(f["kind"], f["basis"], f["subject"], f["ground"]) for f in findings] == [
        ("refusal", "charity_number", "Testvale Speaking Society", "unmitigable_unlawful_risk")
    ]


async def test_subject_access_lists_what_was_shared_with_whom_under_which_agreement(
    client: Client, partners: dict[str, Any], engine: AsyncEngine
) -> None:
    brook, mill = partners["brookvale"], partners["millbrook"]
    theirs = await _refused_with_confirmed_match(client, brook)
    mine = await _submit(client, mill["room"], 5)
    await agree(engine, partners["partnership"].id, "TPP-SAR", flagged=False, findings=True)
    assert len(await _findings(client, mill["officer"], mine["id"])) == 3
    # A service administrator answers the request (role admin, no organisation).
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        from tests.factories import make_staff

        _, admin = await make_staff(s, "admin")
        await s.commit()
    export = await client.post("/api/v1/subject-access", json={"name": SPEAKER}, headers=bearer(admin))
    assert export.status_code == 200, export.text
    requests = {r["reference"]: r for r in export.json()["export"]["requests"]}
    shared = requests[theirs["reference"]]["shared_with_partners"]
    # About the speaker: the person refusal and the confirmed match (not the organisation's refusal).
    assert sorted(d["what"] for d in shared) == ["a confirmed screening match", "a refusal"]
    assert {(d["shared_by"], d["shared_with"], d["agreement_reference"]) for d in shared} == {
        ("Brookvale Leisure Trust", "Millbrook Library Trust", "TPP-SAR")
    }
    assert requests[mine["reference"]]["shared_with_partners"] == []
    assert "Shared with partner organisations" in export.json()["document_html"]
    by_org = await client.post(
        "/api/v1/subject-access", json={"organisation": ORGANISATION}, headers=bearer(admin)
    )
    org_shared = {r["reference"]: r for r in by_org.json()["export"]["requests"]}[theirs["reference"]]
    assert len(org_shared["shared_with_partners"]) == 3
