"""Staff of one organisation see nothing of another's cases, venues or queue (vetting/tenancy.py)."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests.factories import (
    application_payload,
    bearer,
    make_provider,
    make_room,
    make_staff,
    make_venue,
    next_weekday,
)

Client = AsyncTestClient[Litestar]


async def test_an_officer_of_another_organisation_gets_404_and_an_empty_queue(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        other = await make_provider(s, "Otherton Leisure Trust", "partner")
        _, other_officer = await make_staff(s, "officer", provider=other)
        other_venue = await make_venue(s, "Otherton Pool Hall", owner_kind="partner", owner_name=other.name)
        await make_room(s, other_venue, "Otherton Room")
        await s.commit()
    made = await client.post(
        "/api/v1/applications", json=application_payload(seeded["hall_a"].id, next_weekday(2))
    )
    assert made.status_code == 201, made.text
    case_id = made.json()["id"]

    own = await client.get(f"/api/v1/applications/{case_id}", headers=bearer(seeded["officer_token"]))
    assert own.status_code == 200
    theirs = await client.get(f"/api/v1/applications/{case_id}", headers=bearer(other_officer))
    assert theirs.status_code == 404
    decided = await client.post(
        f"/api/v1/applications/{case_id}/decision",
        json={"outcome": "approve", "reason": "ok"},
        headers=bearer(other_officer),
    )
    assert decided.status_code == 404

    queue_own = await client.get("/api/v1/applications", headers=bearer(seeded["officer_token"]))
    queue_other = await client.get("/api/v1/applications", headers=bearer(other_officer))
    assert case_id in queue_own.text
    assert case_id not in queue_other.text
    venues_other = await client.get("/api/v1/venues", headers=bearer(other_officer))
    assert "Testtown Civic Hall" not in venues_other.text
    assert "Otherton Pool Hall" in venues_other.text
    # A service administrator (no organisation) sees both.
    venues_admin = await client.get("/api/v1/venues", headers=bearer(seeded["admin_token"]))
    assert "Testtown Civic Hall" in venues_admin.text and "Otherton Pool Hall" in venues_admin.text
