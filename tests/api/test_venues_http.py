"""Venue administration, availability, room search and competing requests over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import application_payload, bearer, next_weekday

Client = AsyncTestClient[Litestar]


async def test_admin_builds_a_divisible_hall_with_closures(client: Client, seeded: dict[str, Any]) -> None:
    admin = bearer(seeded["admin_token"])
    venue = await client.post(
        "/api/v1/venues",
        json={
            "name": "Riverside Hall",
            "owner": {"kind": "partner", "name": "Riverside Trust"},
            "address": "1 Quay",
        },
        headers=admin,
    )
    assert venue.status_code == 201, venue.text
    vid = venue.json()["id"]
    hours = {"tue": [["09:00", "12:00"], ["18:00", "22:00"]]}
    left = await client.post(
        f"/api/v1/venues/{vid}/rooms",
        json={
            "name": "Left",
            "capacity": 40,
            "opening_hours": hours,
            "buffer_minutes": 10,
            "accessibility": ["step_free", "hearing_loop"],
        },
        headers=admin,
    )
    right = await client.post(
        f"/api/v1/venues/{vid}/rooms",
        json={"name": "Right", "capacity": 40, "opening_hours": hours},
        headers=admin,
    )
    whole = await client.post(
        f"/api/v1/venues/{vid}/rooms",
        json={
            "name": "Whole",
            "capacity": 90,
            "opening_hours": hours,
            "parts": [left.json()["id"], right.json()["id"]],
        },
        headers=admin,
    )
    assert whole.status_code == 201, whole.text
    assert left.json()["buffer_before_minutes"] == 10
    # A cycle of parts is refused.
    cycle = await client.put(
        f"/api/v1/rooms/{left.json()['id']}/parts", json={"parts": [whole.json()["id"]]}, headers=admin
    )
    assert cycle.status_code == 422
    bad_hours = await client.post(
        f"/api/v1/venues/{vid}/rooms",
        json={"name": "X", "capacity": 5, "opening_hours": {"tue": [["22:00", "09:00"]]}},
        headers=admin,
    )
    assert bad_hours.status_code == 422
    unknown_feature = await client.post(
        f"/api/v1/venues/{vid}/rooms",
        json={"name": "Y", "capacity": 5, "accessibility": ["moat"]},
        headers=admin,
    )
    assert unknown_feature.status_code == 422

    tuesday = next_weekday(1, weeks_ahead=4)
    closure = await client.post(
        f"/api/v1/venues/{vid}/closures",
        json={
            "start_date": tuesday.date().isoformat(),
            "end_date": tuesday.date().isoformat(),
            "reason": "Floor repairs",
        },
        headers=admin,
    )
    assert closure.status_code == 201, closure.text
    closed = await client.post("/api/v1/applications", json=application_payload(left.json()["id"], tuesday))
    assert closed.status_code == 409
    assert "Floor repairs" in closed.text
    morning = tuesday.replace(hour=9) + dt.timedelta(weeks=1)
    ok = await client.post(
        "/api/v1/applications", json=application_payload(left.json()["id"], morning, hours=3)
    )
    assert ok.status_code == 201, ok.text
    across_gap = await client.post(
        "/api/v1/applications",
        json=application_payload(right.json()["id"], morning.replace(hour=11), hours=2),
    )
    assert across_gap.status_code == 409
    assert "outside opening hours" in across_gap.text


async def test_bank_holidays_close_venues(client: Client, seeded: dict[str, Any]) -> None:
    today = dt.date.today()
    year = today.year if today < dt.date(today.year, 12, 20) else today.year + 1
    boxing = dt.datetime(year, 12, 26, 19, tzinfo=dt.UTC)
    if boxing.weekday() >= 5:
        boxing = dt.datetime(year, 12, 25, 19, tzinfo=dt.UTC)
    response = await client.post(
        "/api/v1/applications", json=application_payload(seeded["hall_b"].id, boxing)
    )
    assert response.status_code == 409
    assert "Day" in response.text


async def test_availability_and_search(client: Client, seeded: dict[str, Any]) -> None:
    start = next_weekday(4, weeks_ahead=3)
    created = await client.post(
        "/api/v1/applications",
        json=application_payload(seeded["main"].id, start, rrule="FREQ=WEEKLY;COUNT=2"),
    )
    assert created.status_code == 201, created.text
    app = created.json()
    await client.post(
        f"/api/v1/applications/{app['id']}/decision",
        json={"outcome": "approve", "reason": "ok"},
        headers=bearer(seeded["officer_token"]),
    )
    window = {
        "start": (start - dt.timedelta(days=1)).isoformat(),
        "end": (start + dt.timedelta(days=30)).isoformat(),
    }
    # Booking the main hall makes both halves busy (buffers included).
    for room in ("hall_a", "hall_b", "main"):
        busy = (await client.get(f"/api/v1/rooms/{seeded[room].id}/availability", params=window)).json()[
            "busy"
        ]
        assert len(busy) == 2
        assert dt.datetime.fromisoformat(busy[0]["end"]) - dt.datetime.fromisoformat(
            busy[0]["start"]
        ) == dt.timedelta(hours=2, minutes=15)
    naive = await client.get(
        f"/api/v1/rooms/{seeded['hall_a'].id}/availability",
        params={"start": "2027-01-01T00:00", "end": "2027-01-02T00:00"},
    )
    assert naive.status_code == 422
    found = await client.get(
        "/api/v1/rooms/search",
        params={
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=2)).isoformat(),
            "capacity": 10,
            "rrule": "FREQ=WEEKLY;COUNT=2",
            "features": ["step_free"],
        },
    )
    names = {r["name"] for r in found.json()}
    assert "Main Hall" not in names
    assert "Hall A" not in names
    assert "Meeting Room" not in names  # closed on that day
    assert found.status_code == 200


async def test_officers_see_competing_requests_and_confirming_one_marks_the_others(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    start = next_weekday(0, weeks_ahead=5)
    one = (
        await client.post(
            "/api/v1/applications", json=application_payload(seeded["hall_a"].id, start, organisation="One")
        )
    ).json()
    two = (
        await client.post(
            "/api/v1/applications", json=application_payload(seeded["main"].id, start, organisation="Two")
        )
    ).json()
    case_one = (await client.get(f"/api/v1/applications/{one['id']}", headers=officer)).json()
    assert [c["reference"] for c in case_one["competing_requests"]] == [two["reference"]]
    await client.post(
        f"/api/v1/applications/{one['id']}/decision",
        json={"outcome": "approve", "reason": "first"},
        headers=officer,
    )
    case_two = (await client.get(f"/api/v1/applications/{two['id']}", headers=officer)).json()
    assert {o["status"] for o in case_two["occurrences"]} == {"conflicting"}
    loser = await client.post(
        f"/api/v1/applications/{two['id']}/decision",
        json={"outcome": "approve", "reason": "second"},
        headers=officer,
    )
    assert loser.status_code == 409
    # The hirer of the first sees only their own dates.
    view = (await client.get(f"/api/v1/applicant/{one['applicant_token']}")).json()
    assert "Two" not in str(view)
    assert (await client.get("/api/v1/applicant/" + "y" * 43)).status_code == 404
