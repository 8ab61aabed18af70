"""The JSON decision API for venue managers (issue 17 item 4): a manager decides a delegated case
of their own venue through `POST /api/v1/applications/{id}/decision` with the same rules as the
manager's pages (casework/delegation.py): another venue's case is 404, a tier the policy keeps
for officers 403, an open screening match 409, an approval over checks in review needs the
manager's reason, and a manager's refusal waits for a second person. Invented names only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.settings import Settings
from tests import factories as f

Client = AsyncTestClient[Litestar]
FLAGGED = "Yevgeny Testarov"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"delivery": "off"})


@pytest.fixture
async def world(engine: AsyncEngine) -> dict[str, Any]:
    from vetting.flagged import add_entry

    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        trust = {
            "owner_kind": "partner",
            "owner_name": "Brookfield Test Trust",
            "policy_id": "partner-example",
        }
        venue = await f.make_venue(s, "Brookfield Test Centre", **trust)
        other = await f.make_venue(s, "Ashcombe Test Hall", **trust)
        # The trust's hall hired out under the council's policy, whose tiers officers decide.
        council = await f.make_venue(
            s, "Brookfield Test Annexe", **(trust | {"policy_id": "council-default"})
        )
        room = await f.make_room(s, venue, "Garden Room", capacity=80)
        council_room = await f.make_room(s, council, "Main Hall", capacity=80)
        partner = await f.make_provider(s, "Brookfield Test Trust", "partner")
        _, officer_token = await f.make_staff(s, "officer", provider=partner)
        _, manager = await f.make_staff(s, "venue_manager", venue_ids=[venue.id, council.id])
        _, manager2 = await f.make_staff(s, "venue_manager", venue_ids=[venue.id])
        _, other_manager = await f.make_staff(s, "venue_manager", venue_ids=[other.id])
        await add_entry(s, f.ADMIN, kind="person", name=FLAGGED, aliases=[], reason="invented test entry")
        await s.commit()
    return {
        "room": room,
        "council_room": council_room,
        "officer": officer_token,
        "manager": manager,
        "manager2": manager2,
        "other_manager": other_manager,
    }


@pytest.fixture
async def api(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _submit(api: Client, room: Any, **kw: Any) -> str:
    kw.setdefault("answers", {})
    body = f.application_payload(
        room.id, f.next_weekday(2, weeks_ahead=5, hour=18), organisation="Brookfield Test Gardeners", **kw
    )
    made = await api.post("/api/v1/applications", json=body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _status(api: Client, world: dict[str, Any], case_id: str) -> str:
    found = await api.get(f"/api/v1/applications/{case_id}", headers=f.bearer(world["officer"]))
    return str(found.json()["status"])


APPROVAL = {"outcome": "approve", "reason": "A well-run local group.", "conditions": []}


async def test_a_manager_approves_a_delegated_case_of_their_venue(api: Client, world: dict[str, Any]) -> None:
    case_id = await _submit(api, world["room"])
    url = f"/api/v1/applications/{case_id}/decision"
    # The insurance check still needs review: the manager says why they approve anyway.
    unconfirmed = await api.post(url, json=APPROVAL, headers=f.bearer(world["manager"]))
    assert unconfirmed.status_code == 422, unconfirmed.text
    assert "checks_in_review_reason" in unconfirmed.text
    assert await _status(api, world, case_id) == "under_review"
    reason = "The insurance certificate was shown at the centre's desk."
    done = await api.post(
        url, json=APPROVAL | {"checks_in_review_reason": reason}, headers=f.bearer(world["manager"])
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "confirmed"


async def test_others_get_404_403_and_409_as_on_the_pages(api: Client, world: dict[str, Any]) -> None:
    body = APPROVAL | {"checks_in_review_reason": "Seen at the desk."}
    case_id = await _submit(api, world["room"])
    elsewhere = await api.post(
        f"/api/v1/applications/{case_id}/decision", json=body, headers=f.bearer(world["other_manager"])
    )
    assert elsewhere.status_code == 404, elsewhere.text
    # The council's own venue: the policy keeps every tier for officers.
    council_case = await _submit(api, world["council_room"])
    kept = await api.post(
        f"/api/v1/applications/{council_case}/decision", json=body, headers=f.bearer(world["manager"])
    )
    assert kept.status_code == 403, kept.text
    assert "decided by council officers" in kept.text
    referred = await _submit(api, world["room"], people=[{"name": FLAGGED, "role": "speaker"}])
    match = await api.post(
        f"/api/v1/applications/{referred}/decision", json=body, headers=f.bearer(world["manager"])
    )
    assert match.status_code == 409, match.text
    assert "needs an officer" in match.text
    for done in (case_id, council_case, referred):
        assert await _status(api, world, done) == "under_review"


async def test_a_managers_refusal_waits_for_a_second_person(api: Client, world: dict[str, Any]) -> None:
    case_id = await _submit(api, world["room"])
    refusal = {
        "outcome": "refuse",
        "reason": "The lease does not allow ticketed sales events.",
        "reason_code": "use_not_permitted",
        "options_considered": "A members-only meeting without sales.",
    }
    url = f"/api/v1/applications/{case_id}"
    proposed = await api.post(f"{url}/decision", json=refusal, headers=f.bearer(world["manager"]))
    assert proposed.status_code == 200, proposed.text
    assert await _status(api, world, case_id) == "under_review"
    own = await api.post(f"{url}/countersign", json={"agree": True}, headers=f.bearer(world["manager"]))
    assert own.status_code == 403, own.text
    signed = await api.post(f"{url}/countersign", json={"agree": True}, headers=f.bearer(world["manager2"]))
    assert signed.status_code == 200, signed.text
    assert await _status(api, world, case_id) == "refused"
