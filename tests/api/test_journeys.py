"""Whole journeys through the JSON API, on the real app and a real database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import application_payload, bearer, next_weekday

Client = AsyncTestClient[Litestar]


async def _flag(client: Client, token: str, **entry: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/flagged-entries", json=entry, headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()


async def test_request_referral_disposition_conditions_acceptance_confirmation(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = seeded["officer_token"]
    await _flag(
        client, officer, kind="person", name="Yevgeny Testarov", aliases=[], source="local", reason="invented"
    )
    start = next_weekday(1, weeks_ahead=4)
    body = application_payload(
        seeded["hall_a"].id,
        start,
        rrule="FREQ=WEEKLY;COUNT=6",
        people=[
            {"name": "Evgeny Testarov", "role": "speaker"},
            {"name": "Jordan Plotholder", "role": "officer"},
        ],
    )
    created = await client.post("/api/v1/applications", json=body)
    assert created.status_code == 201, created.text
    app = created.json()
    assert app["status"] == "under_review"
    assert app["reference"].startswith("VH-")
    token = app["applicant_token"]

    case = (await client.get(f"/api/v1/applications/{app['id']}", headers=bearer(officer))).json()
    assert len(case["occurrences"]) == 6
    assert {c["check"] for c in case["checks"]} >= {"declarations", "screening", "capacity"}
    (match,) = case["screening"]
    assert match["query_name"] == "Evgeny Testarov"
    assert match["disposition"] == "open"
    assert "Testarov" in match["explanation"]

    # The hirer never sees screening detail.
    hirer_view = (await client.get(f"/api/v1/applicant/{token}")).json()
    assert "screening" not in hirer_view
    assert "Yevgeny" not in str(hirer_view)

    # Deciding with an open referral is refused.
    blocked = await client.post(
        f"/api/v1/applications/{app['id']}/decision",
        json={"outcome": "approve", "reason": "ok", "conditions": []},
        headers=bearer(officer),
    )
    assert blocked.status_code == 409
    disposed = await client.post(
        f"/api/v1/screening-matches/{match['id']}/disposition",
        json={"disposition": "cleared", "note": "Different person: date of birth and address differ"},
        headers=bearer(officer),
    )
    assert disposed.status_code == 200, disposed.text

    decided = await client.post(
        f"/api/v1/applications/{app['id']}/decision",
        json={
            "outcome": "approve",
            "reason": "Approved for a members' meeting",
            "conditions": [{"code": "responsible_person", "text": None, "rationale": "First booking"}],
        },
        headers=bearer(officer),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "awaiting_acceptance"

    view = (await client.get(f"/api/v1/applicant/{token}")).json()
    assert view["status"] == "awaiting_acceptance"
    assert [c["code"] for c in view["conditions"]] == ["responsible_person"]
    assert view["decision"]["outcome"] == "approve"

    accepted = await client.post(f"/api/v1/applicant/{token}/accept-conditions")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "confirmed"

    # Held slots now show as busy, without hirer details.
    availability = await client.get(
        f"/api/v1/rooms/{seeded['hall_a'].id}/availability",
        params={"start": start.isoformat(), "end": (start.replace(year=start.year + 1)).isoformat()},
    )
    busy = availability.json()["busy"]
    assert len(busy) == 6
    assert "Allotment" not in availability.text

    # The whole history is on the case.
    history = (await client.get(f"/api/v1/applications/{app['id']}", headers=bearer(officer))).json()[
        "history"
    ]
    actions = [h["action"] for h in history]
    for expected in (
        "submitted",
        "screened",
        "checks_run",
        "screening_disposition",
        "approve_with_conditions",
        "accept_conditions",
    ):
        assert expected in actions

    # A cleared pair is not referred again on the next request with the same name.
    again = await client.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["hall_b"].id,
            next_weekday(3, weeks_ahead=5),
            people=[{"name": "Evgeny Testarov", "role": "speaker"}],
        ),
    )
    assert again.status_code == 201, again.text
    second = (await client.get(f"/api/v1/applications/{again.json()['id']}", headers=bearer(officer))).json()
    assert second["screening"] == []


async def test_refusal_needs_countersignature_then_appeal_by_a_different_officer(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer, officer2 = seeded["officer_token"], seeded["officer2_token"]
    created = await client.post(
        "/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(2, weeks_ahead=6))
    )
    app = created.json()
    no_ground = await client.post(
        f"/api/v1/applications/{app['id']}/decision",
        json={"outcome": "refuse", "reason": "We do not like it", "reason_code": "viewpoint"},
        headers=bearer(officer),
    )
    assert no_ground.status_code == 422
    assert "reason_code" in no_ground.json()["errors"]

    refused = await client.post(
        f"/api/v1/applications/{app['id']}/decision",
        json={
            "outcome": "refuse",
            "reason": "Fire officer's report: the hall cannot hold the planned stage safely",
            "reason_code": "public_safety",
            "options_considered": "Capacity limit and a smaller stage were considered and would not suffice",
        },
        headers=bearer(officer),
    )
    assert refused.status_code == 200, refused.text
    assert refused.json()["status"] == "under_review"  # not effective until countersigned

    same_officer = await client.post(
        f"/api/v1/applications/{app['id']}/countersign", json={"agree": True}, headers=bearer(officer)
    )
    assert same_officer.status_code == 403
    signed = await client.post(
        f"/api/v1/applications/{app['id']}/countersign", json={"agree": True}, headers=bearer(officer2)
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "refused"

    token = app["applicant_token"]
    view = (await client.get(f"/api/v1/applicant/{token}")).json()
    assert view["status"] == "refused"
    assert view["decision"]["reason_code"] == "public_safety"
    assert view["decision"]["appeal_until"]

    appealed = await client.post(
        f"/api/v1/applicant/{token}/appeal", json={"grounds": "We will use no stage."}
    )
    assert appealed.status_code == 200, appealed.text
    by_decider = await client.post(
        f"/api/v1/applications/{app['id']}/appeal-decision",
        json={"outcome": "upheld", "reason": "Fine without a stage"},
        headers=bearer(officer),
    )
    assert by_decider.status_code == 403

    _admin_officer = seeded["admin_token"]
    upheld = await client.post(
        f"/api/v1/applications/{app['id']}/appeal-decision",
        json={
            "outcome": "varied",
            "reason": "Approved without a stage",
            "conditions": [{"code": "capacity_limit"}],
        },
        headers=bearer(_admin_officer),
    )
    assert upheld.status_code == 200, upheld.text
    assert upheld.json()["status"] == "awaiting_acceptance"


async def test_conflicting_request_gets_409_naming_dates_not_hirers(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = seeded["officer_token"]
    start = next_weekday(1, weeks_ahead=3)
    first = await client.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["hall_a"].id, start, rrule="FREQ=WEEKLY;COUNT=4", organisation="First Group"
        ),
    )
    app = first.json()
    approved = await client.post(
        f"/api/v1/applications/{app['id']}/decision",
        json={"outcome": "approve", "reason": "ok"},
        headers=bearer(officer),
    )
    assert approved.json()["status"] == "confirmed"
    # The main hall contains hall A: its third week clashes (linked spaces), so does the buffer.
    clash = await client.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["main"].id,
            start + dt.timedelta(weeks=2, hours=2),
            organisation="Second Group",
        ),
    )
    assert clash.status_code == 409, clash.text
    assert clash.json()["conflicts"]
    assert "First Group" not in clash.text
    # Hall B shares nothing with hall A: free.
    free = await client.post(
        "/api/v1/applications",
        json=application_payload(seeded["hall_b"].id, start, organisation="Third Group"),
    )
    assert free.status_code == 201, free.text


async def test_invalid_requests_get_422_with_field_errors(client: Client, seeded: dict[str, Any]) -> None:
    start = next_weekday(1)
    yearly = await client.post(
        "/api/v1/applications",
        json=application_payload(seeded["hall_a"].id, start, rrule="FREQ=YEARLY;COUNT=3"),
    )
    assert yearly.status_code == 422
    assert "YEARLY" in yearly.text
    status_injection = await client.post(
        "/api/v1/applications", json=application_payload(seeded["hall_a"].id, start, status="confirmed")
    )
    assert status_injection.status_code == 422
    missing = await client.post("/api/v1/applications", json={"room_id": str(seeded["hall_a"].id)})
    assert missing.status_code == 422
    assert missing.json()["errors"]
    closed = await client.post(
        "/api/v1/applications", json=application_payload(seeded["small"].id, next_weekday(1, hour=19))
    )
    assert closed.status_code == 409
    assert "outside opening hours" in closed.text


async def test_roles_are_enforced(client: Client, seeded: dict[str, Any]) -> None:
    venue_body = {"name": "X", "owner": {"kind": "council", "name": "C"}, "address": "A"}
    assert (await client.post("/api/v1/venues", json=venue_body)).status_code == 401
    assert (
        await client.post("/api/v1/venues", json=venue_body, headers=bearer(seeded["officer_token"]))
    ).status_code == 403
    assert (
        await client.post("/api/v1/venues", json=venue_body, headers=bearer("not-a-real-token-xxxxxxxx"))
    ).status_code == 401
    created = await client.post("/api/v1/venues", json=venue_body, headers=bearer(seeded["admin_token"]))
    assert created.status_code == 201
    assert created.json()["timezone"] == "Europe/London"
    assert (
        await client.get("/api/v1/applications", headers=bearer(seeded["manager_token"]))
    ).status_code == 403


async def test_information_request_answer_withdraw_and_council_cancellation(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    first = (
        await client.post(
            "/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(2))
        )
    ).json()
    asked = await client.post(
        f"/api/v1/applications/{first['id']}/decision",
        json={"outcome": "request_information", "reason": "Who will steward the door?"},
        headers=officer,
    )
    assert asked.json()["status"] == "awaiting_information"
    token = first["applicant_token"]
    view = (await client.get(f"/api/v1/applicant/{token}")).json()
    assert view["information_request"] == "Who will steward the door?"
    empty = await client.post(f"/api/v1/applicant/{token}/information", json={"response": "  "})
    assert empty.status_code == 422
    answered = await client.post(
        f"/api/v1/applicant/{token}/information", json={"response": "Two volunteers"}
    )
    assert answered.json()["status"] == "under_review"
    withdrawn = await client.post(f"/api/v1/applicant/{token}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    again = await client.post(f"/api/v1/applicant/{token}/withdraw")
    assert again.status_code == 409

    second = (
        await client.post(
            "/api/v1/applications", json=application_payload(seeded["hall_a"].id, next_weekday(3))
        )
    ).json()
    await client.post(
        f"/api/v1/applications/{second['id']}/decision",
        json={"outcome": "approve", "reason": "ok"},
        headers=officer,
    )
    no_ground = await client.post(
        f"/api/v1/applications/{second['id']}/cancel",
        json={"reason_code": "dislike", "reason": "x"},
        headers=officer,
    )
    assert no_ground.status_code == 422
    cancelled = await client.post(
        f"/api/v1/applications/{second['id']}/cancel",
        json={"reason_code": "use_not_permitted", "reason": "The hall is needed as a polling station"},
        headers=officer,
    )
    assert cancelled.json()["status"] == "cancelled"
    hirer = (await client.get(f"/api/v1/applicant/{second['applicant_token']}")).json()
    assert hirer["status"] == "cancelled"
    assert hirer["decision"]["reason"] == "The hall is needed as a polling station"
    # The slot is free again.
    busy = await client.get(
        f"/api/v1/rooms/{seeded['hall_a'].id}/availability",
        params={"start": next_weekday(3).isoformat(), "end": (next_weekday(3).replace(hour=23)).isoformat()},
    )
    assert busy.json()["busy"] == []
