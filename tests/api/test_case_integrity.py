"""What a hirer submits is what is screened, kept and shown (issue 13, items 2 and 3).

A request that quotes a known organisation's charity number under another name is screened
under the name typed, changes nothing on file or on the earlier case, and is linked to the known
organisation only as a possible match that an officer confirms or rejects.
"""

from __future__ import annotations

from typing import Any

from icalendar import Calendar
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.dataprotection.subject_access import export_subject
from api.models import AuditRecord
from casework.input import ApplicationRequest
from casework.workflow import Workflow
from tests.factories import application_payload, bearer, next_weekday
from vetting.models import Organisation, VettingCase
from vetting.registry import InMemoryRegistry, RegistryRecord, register_registry

Client = AsyncTestClient[Litestar]

KNOWN = {
    "name": "Testtown Allotment Society",
    "type": "charity",
    "charity_number": "1187654",
    "address": "2 Test Lane",
}
IMPOSTOR = {
    "name": "Invented Listed Front",
    "type": "charity",
    "charity_number": "1187654",
    "address": "99 Elsewhere Road",
}


def _payload(seeded: dict[str, Any], organisation: dict[str, Any], weeks: int, **kw: Any) -> dict[str, Any]:
    body = application_payload(seeded["hall_a"].id, next_weekday(1, weeks_ahead=weeks), **kw)
    body["organisation"] = dict(organisation)
    return body


async def _submit(client: Client, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/v1/applications", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _case(client: Client, token: str, case_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/applications/{case_id}", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


async def _approved_known_case(client: Client, seeded: dict[str, Any]) -> dict[str, Any]:
    first = await _submit(client, _payload(seeded, KNOWN, 4))
    decided = await client.post(
        f"/api/v1/applications/{first['id']}/decision",
        json={"outcome": "approve", "reason": "Members' meeting", "conditions": []},
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code == 200, decided.text
    return first


async def test_second_request_quoting_a_known_charity_number_is_screened_under_the_typed_name(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer = seeded["officer_token"]
    first = await _approved_known_case(client, seeded)
    flagged = await client.post(
        "/api/v1/flagged-entries",
        json={"kind": "organisation", "name": "Invented Listed Front", "aliases": [], "source": "local"},
        headers=bearer(officer),
    )
    assert flagged.status_code == 201, flagged.text

    second = await _submit(client, _payload(seeded, IMPOSTOR, 6))
    case = await _case(client, officer, second["id"])

    # The name typed is screened and referred, whatever is on file for that number.
    assert [m["query_name"] for m in case["screening"]] == ["Invented Listed Front"]
    screened = next(h for h in case["history"] if h["action"] == "screened")
    assert {(n["kind"], n["name"]) for n in screened["detail"]["names"]} == {
        ("organisation", "Invented Listed Front"),
        ("person", "Jordan Plotholder"),
        ("person", "Morgan Testwell"),
    }
    assert screened["detail"]["names_screened"] == 3
    # The case keeps the organisation exactly as this request gave it ...
    assert case["request"]["organisation"]["name"] == "Invented Listed Front"
    assert case["request"]["organisation"]["address"] == "99 Elsewhere Road"
    # ... and is only possibly linked to the known one, with the differences side by side.
    link = case["organisation_link"]
    assert link["status"] == "possible"
    assert link["basis"] == "charity_number"
    differing = {d["field"] for d in link["differences"] if not d["same"]}
    assert differing == {"name", "address"}
    # No clearance is inherited before an officer confirms the link.
    reuse = next(c for c in case["checks"] if c["check"] == "clearance_reuse")
    assert reuse["evidence"]["reused"] is False

    # Nothing on file and nothing on the first case changed.
    earlier = await _case(client, officer, first["id"])
    assert earlier["request"]["organisation"]["name"] == "Testtown Allotment Society"
    assert earlier["request"]["organisation"]["address"] == "2 Test Lane"
    hirer = (await client.get(f"/api/v1/applicant/{first['applicant_token']}")).json()
    assert hirer["organisation"] == "Testtown Allotment Society"
    assert (await client.get(f"/api/v1/applicant/{second['applicant_token']}")).json()[
        "organisation"
    ] == "Invented Listed Front"
    async with async_sessionmaker(engine)() as s:
        known = await s.get(Organisation, earlier["request"]["organisation"]["id"])
        assert known is not None
        assert (known.name, known.address) == ("Testtown Allotment Society", "2 Test Lane")
        assert known.last_cleared_at is not None


async def test_officer_confirms_the_link_and_clearance_then_counts(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer = seeded["officer_token"]
    first = await _approved_known_case(client, seeded)
    renamed = {**KNOWN, "name": "Testtown Allotment Society (Plots)"}
    second = await _submit(client, _payload(seeded, renamed, 6))
    before = await _case(client, officer, second["id"])
    assert before["organisation_link"]["status"] == "possible"
    own_record = before["request"]["organisation"]["id"]
    known_id = before["organisation_link"]["organisation_id"]
    assert own_record != known_id

    url = f"/api/v1/applications/{second['id']}/organisation-link"
    # A reason is required, only officers answer, and hirers' tokens are no credential.
    missing = await client.post(url, json={"decision": "confirm", "note": " "}, headers=bearer(officer))
    assert missing.status_code == 422
    manager = await client.post(
        url, json={"decision": "confirm", "note": "x"}, headers=bearer(seeded["manager_token"])
    )
    assert manager.status_code == 403
    confirmed = await client.post(
        url,
        json={"decision": "confirm", "note": "Secretary confirmed by phone; new name for the plots section"},
        headers=bearer(officer),
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["organisation_link"] == "confirmed"
    assert confirmed.json()["revision"] == before["revision"] + 1
    again = await client.post(
        url, json={"decision": "reject", "note": "changed my mind"}, headers=bearer(officer)
    )
    assert again.status_code == 409

    after = await _case(client, officer, second["id"])
    assert after["request"]["organisation"]["id"] == known_id
    # Still shown as submitted, now filed under the known organisation.
    assert after["request"]["organisation"]["name"] == "Testtown Allotment Society (Plots)"
    reuse = next(c for c in after["checks"] if c["check"] == "clearance_reuse")
    assert reuse["evidence"]["reused"] is True
    actions = [h["action"] for h in after["history"]]
    assert "organisation_link_confirmed" in actions
    assert actions.count("checks_run") == 2
    # A decision drafted before the link changed is refused.
    stale = await client.post(
        f"/api/v1/applications/{second['id']}/decision",
        json={"outcome": "approve", "reason": "ok", "conditions": [], "revision": before["revision"]},
        headers=bearer(officer),
    )
    assert stale.status_code == 409

    async with async_sessionmaker(engine)() as s:
        # The request's own record is gone; the audit log has the confirmation.
        assert await s.get(Organisation, own_record) is None
        audited = (
            await s.execute(
                select(AuditRecord).where(
                    AuditRecord.action == "resolve_organisation_link", AuditRecord.object_id == second["id"]
                )
            )
        ).scalar_one_or_none()
        assert audited is not None
    assert first["id"] != second["id"]


async def test_officer_rejects_the_link_and_the_case_stays_apart(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer = seeded["officer_token"]
    await _approved_known_case(client, seeded)
    second = await _submit(client, _payload(seeded, IMPOSTOR, 6))
    before = await _case(client, officer, second["id"])
    rejected = await client.post(
        f"/api/v1/applications/{second['id']}/organisation-link",
        json={"decision": "reject", "note": "Register shows the number belongs to another charity"},
        headers=bearer(officer),
    )
    assert rejected.status_code == 200, rejected.text
    after = await _case(client, officer, second["id"])
    assert after["organisation_link"]["status"] == "rejected"
    assert after["request"]["organisation"]["id"] == before["request"]["organisation"]["id"]
    reuse = next(c for c in after["checks"] if c["check"] == "clearance_reuse")
    assert reuse["evidence"]["reused"] is False
    assert "organisation_link_rejected" in [h["action"] for h in after["history"]]


async def test_subject_access_finds_an_organisation_under_every_name_it_was_submitted_with(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer = seeded["officer_token"]
    first = await _approved_known_case(client, seeded)
    second = await _submit(client, _payload(seeded, {**KNOWN, "name": "Testtown Allotment Soc."}, 6))
    await client.post(
        f"/api/v1/applications/{second['id']}/organisation-link",
        json={"decision": "confirm", "note": "Same society, abbreviated"},
        headers=bearer(officer),
    )
    async with async_sessionmaker(engine)() as s:
        by_first_name = await export_subject(s, organisation="Testtown Allotment Society")
        by_second_name = await export_subject(s, organisation="testtown allotment soc.")
    assert {r["reference"] for r in by_first_name["requests"]} == {first["reference"], second["reference"]}
    assert [r["reference"] for r in by_second_name["requests"]] == [second["reference"]]
    assert by_second_name["requests"][0]["organisation"] == "Testtown Allotment Soc."


async def test_cases_keep_their_snapshot_when_numbers_match_in_the_database(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    """Three requests under one charity number: each case row holds its own request's details."""
    names = ["Testtown Allotment Society", "Invented Listed Front", "Third Invented Name"]
    ids = [
        (await _submit(client, _payload(seeded, {**KNOWN, "name": n}, 4 + 2 * i)))["id"]
        for i, n in enumerate(names)
    ]
    async with async_sessionmaker(engine)() as s:
        rows = {
            str(c.id): c
            for c in (await s.execute(select(VettingCase).where(VettingCase.id.in_(ids)))).scalars()
        }
    assert [rows[i].organisation_name for i in ids] == names
    assert [rows[i].organisation_submitted["name"] for i in ids] == names
    assert [rows[i].organisation_link for i in ids] == ["new", "possible", "possible"]
    assert len({rows[i].organisation_id for i in ids}) == 3


async def test_a_register_that_agrees_links_the_case_as_verified(
    seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    """Clearance is reused without an officer only when a register look-up agrees with both."""
    register_registry(
        "test-agreeing-register",
        lambda: InMemoryRegistry.of(
            [
                RegistryRecord(
                    "charity_ew", "1187654", "found", name=KNOWN["name"], register_status="registered"
                )
            ]
        ),
    )
    maker = async_sessionmaker(engine, expire_on_commit=False)
    cases = []
    for weeks, organisation in ((4, KNOWN), (6, KNOWN), (8, IMPOSTOR)):
        async with maker() as s:
            workflow = Workflow(s, registry_backend="test-agreeing-register")
            body = _payload(seeded, organisation, weeks)
            submitted = await workflow.submit(ApplicationRequest.model_validate(body))
            await s.commit()
            cases.append(submitted.case)
    first, same, impostor = cases
    assert first.organisation_link == "new"
    # Same number and the register's name: filed under the known record, no officer needed.
    assert same.organisation_link == "verified"
    assert same.organisation_id == first.organisation_id
    # Same number, another name: the register does not agree, so an officer has to say.
    assert impostor.organisation_link == "possible"
    assert impostor.organisation_id != first.organisation_id


async def test_each_feed_event_names_the_organisation_its_own_request_gave(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = seeded["officer_token"]
    first = await _approved_known_case(client, seeded)
    second = await _submit(client, _payload(seeded, {**KNOWN, "name": "Testtown Allotment Plots"}, 6))
    # Even once filed under the known organisation, the case shows the name its request gave.
    confirmed = await client.post(
        f"/api/v1/applications/{second['id']}/organisation-link",
        json={"decision": "confirm", "note": "The society's plots section"},
        headers=bearer(officer),
    )
    assert confirmed.status_code == 200, confirmed.text
    approved = await client.post(
        f"/api/v1/applications/{second['id']}/decision",
        json={"outcome": "approve", "reason": "Public talk", "conditions": []},
        headers=bearer(officer),
    )
    assert approved.status_code == 200, approved.text
    made = await client.post(
        "/api/v1/feeds",
        json={"venue_id": str(seeded["venue"].id), "detail": "full"},
        headers=bearer(seeded["admin_token"]),
    )
    assert made.status_code == 201, made.text
    feed = await client.get("/" + str(made.json()["url"]).split("/", 3)[3])
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.content)
    by_reference = {
        str(e.get("description")).split("Reference: ")[1].split()[0]: str(e.get("summary"))
        for e in calendar.walk("VEVENT")
    }
    assert "(Testtown Allotment Society)" in by_reference[first["reference"]]
    assert "(Testtown Allotment Plots)" in by_reference[second["reference"]]


async def test_known_charity_number_under_another_name_is_screened_as_typed_and_linked_only_by_an_officer(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = seeded["officer_token"]
    known = {"name": "Testtown Allotment Society", "type": "charity", "charity_number": "1187654"}
    first_body = application_payload(seeded["hall_a"].id, next_weekday(1, weeks_ahead=4))
    first_body["organisation"] = known
    first = (await client.post("/api/v1/applications", json=first_body)).json()
    approved = await client.post(
        f"/api/v1/applications/{first['id']}/decision",
        json={"outcome": "approve", "reason": "Members' meeting", "conditions": []},
        headers=bearer(officer),
    )
    assert approved.status_code == 200, approved.text

    # An officer adds a name by hand (its provenance in free text); a later request under that
    # name, quoting the known charity's number, is referred on the name it typed.
    flagged = await client.post(
        "/api/v1/flagged-entries",
        json={
            "kind": "organisation",
            "name": "Invented Listed Front",
            "aliases": [],
            "source": "council records",
        },
        headers=bearer(officer),
    )
    assert flagged.status_code == 201, flagged.text
    second_body = application_payload(seeded["hall_b"].id, next_weekday(1, weeks_ahead=6))
    second_body["organisation"] = {**known, "name": "Invented Listed Front"}
    second = await client.post("/api/v1/applications", json=second_body)
    assert second.status_code == 201, second.text
    case = (await client.get(f"/api/v1/applications/{second.json()['id']}", headers=bearer(officer))).json()
    assert [(m["query_name"], m["matched_name"]) for m in case["screening"]] == [
        ("Invented Listed Front", "Invented Listed Front")
    ]
    assert case["organisation_link"]["status"] == "possible"

    # The first case is unchanged.
    earlier = (await client.get(f"/api/v1/applications/{first['id']}", headers=bearer(officer))).json()
    assert earlier["request"]["organisation"]["name"] == "Testtown Allotment Society"
    assert earlier["status"] == "awaiting_acceptance" or earlier["status"] == "confirmed"

    # The officer rejects the link: the case stays on its own record, with no clearance reused.
    rejected = await client.post(
        f"/api/v1/applications/{case['id']}/organisation-link",
        json={"decision": "reject", "note": "The charity's secretary knows nothing of this booking"},
        headers=bearer(officer),
    )
    assert rejected.status_code == 200, rejected.text
    after = (await client.get(f"/api/v1/applications/{case['id']}", headers=bearer(officer))).json()
    assert after["organisation_link"]["status"] == "rejected"
    assert after["request"]["organisation"]["id"] != earlier["request"]["organisation"]["id"]
