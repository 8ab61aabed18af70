"""Each booking in a feed carries its own conditions of hire, never another booking's.

Found by the seeded schemathesis run (tests/security/test_schemathesis_seeded.py): the feed read the
conditions from the loop variable of the decisions query, so every booking showed the conditions of
the last approval in the feed, and a feed with no approval at all (a withdrawn request) answered 500.
"""

from __future__ import annotations

from typing import Any

import icalendar
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import application_payload, bearer, next_weekday

Client = AsyncTestClient[Litestar]


async def _request(client: Client, seeded: dict[str, Any], room: str, organisation: str) -> str:
    created = await client.post(
        "/api/v1/applications",
        json=application_payload(seeded[room].id, next_weekday(1, weeks_ahead=4), organisation=organisation),
    )
    assert created.status_code == 201, created.text
    case_id: str = created.json()["id"]
    return case_id


async def _approve(client: Client, seeded: dict[str, Any], case_id: str, conditions: list[Any]) -> None:
    decided = await client.post(
        f"/api/v1/applications/{case_id}/decision",
        json={"outcome": "approve", "reason": "ok", "conditions": conditions},
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code == 200, decided.text


async def _feed_descriptions(client: Client, seeded: dict[str, Any]) -> dict[str, str]:
    """Event description by organisation name, from a full-detail feed of the whole venue."""
    made = await client.post(
        "/api/v1/feeds",
        json={"venue_id": str(seeded["venue"].id), "detail": "full"},
        headers=bearer(seeded["admin_token"]),
    )
    assert made.status_code == 201, made.text
    served = await client.get("/" + made.json()["url"].split("/", 3)[3])
    assert served.status_code == 200, served.text
    out = {}
    for event in icalendar.Calendar.from_ical(served.content).walk("VEVENT"):
        description = str(event.get("DESCRIPTION"))
        organisation = description.split("\n", 1)[0].removeprefix("Organisation: ")
        out[organisation] = description
    return out


async def test_each_booking_shows_its_own_conditions(client: Client, seeded: dict[str, Any]) -> None:
    stewarded = await _request(client, seeded, "hall_a", "Feedtown Stewarded Choir")
    plain = await _request(client, seeded, "hall_b", "Feedtown Plain Readers")
    await _approve(client, seeded, stewarded, [{"code": "stewarding", "rationale": "Busy night"}])
    await _approve(client, seeded, plain, [])

    descriptions = await _feed_descriptions(client, seeded)

    assert "stewarding" in descriptions["Feedtown Stewarded Choir"]
    assert "stewarding" not in descriptions["Feedtown Plain Readers"]
    assert "none beyond the standard terms" in descriptions["Feedtown Plain Readers"]


async def test_feed_with_a_never_approved_booking_is_served(client: Client, seeded: dict[str, Any]) -> None:
    """A request withdrawn before any decision still shows (cancelled) in the venue's feed."""
    created = await client.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["hall_a"].id, next_weekday(1, weeks_ahead=4), organisation="Feedtown Withdrawn Club"
        ),
    )
    assert created.status_code == 201, created.text
    withdrawn = await client.post(f"/api/v1/applicant/{created.json()['applicant_token']}/withdraw")
    assert withdrawn.status_code == 200, withdrawn.text

    descriptions = await _feed_descriptions(client, seeded)

    assert "none beyond the standard terms" in descriptions["Feedtown Withdrawn Club"]
