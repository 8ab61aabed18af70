"""The venue manager's delegated-decision pages over HTTP: the list, the case page without
screening detail, a decision with a condition, form errors in words, a refusal that waits for a
second person, and the 404 a manager of another venue gets. Invented names only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.settings import Settings
from tests import factories as f
from tests.web.sign_in import csrf_of, sign_in_as

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
        room = await f.make_room(s, venue, "Garden Room", capacity=80)
        partner = await f.make_provider(s, "Brookfield Test Trust", "partner")
        officer, officer_token = await f.make_staff(s, "officer", provider=partner)
        manager, _ = await f.make_staff(s, "venue_manager", venue_ids=[venue.id])
        manager2, _ = await f.make_staff(s, "venue_manager", venue_ids=[venue.id])
        other_manager, _ = await f.make_staff(s, "venue_manager", venue_ids=[other.id])
        await add_entry(s, f.ADMIN, kind="person", name=FLAGGED, aliases=[], reason="invented test entry")
        await s.commit()
    return {
        "room": room,
        "officer": officer,
        "officer_token": officer_token,
        "manager": manager,
        "manager2": manager2,
        "other_manager": other_manager,
    }


async def _submit(client: Client, world: dict[str, Any], **kw: Any) -> str:
    kw.setdefault("answers", {})
    body = f.application_payload(
        world["room"].id,
        f.next_weekday(2, weeks_ahead=5, hour=18),
        open_to_public=True,
        organisation="Brookfield Test Gardeners",
        **kw,
    )
    made = await client.post("/api/v1/applications", json=body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _as(web: Client, session: AsyncSession, actor: Any) -> Client:
    """The one client, signed in afresh as `actor` (each test's people take turns)."""
    web.cookies.clear()
    await sign_in_as(web, session, actor)
    return web


async def test_a_manager_approves_a_delegated_request_with_a_condition(
    web: Client, session: AsyncSession, world: dict[str, Any]
) -> None:
    case_id = await _submit(web, world)
    web = await _as(web, session, world["manager"])
    listing = await web.get("/manager/cases")
    assert listing.status_code == 200, listing.text
    assert f"/manager/cases/{case_id}" in listing.text and "Public event or external speakers" in listing.text
    page = await web.get(f"/manager/cases/{case_id}")
    assert page.status_code == 200
    assert "Record decision" in page.text and "public_or_speakers" not in page.text
    # Form errors say what to do, and nothing is decided.
    empty = await web.post(
        f"/manager/cases/{case_id}/decision",
        data={"csrf_token": csrf_of(page.text), "outcome": "refuse"},
    )
    assert empty.status_code == 400
    assert "Choose a reason for refusing" in empty.text
    page = await web.get(f"/manager/cases/{case_id}")
    approval = {
        "csrf_token": csrf_of(page.text),
        "outcome": "approve",
        "reason": "A well-run local group.",
        "conditions": "officer_may_attend",
        "rationale_officer_may_attend": "A first public event at the centre.",
        "revision": page.text.split('name="revision" value="')[1].split('"')[0],
    }
    # A check still needs review: a manager, like an officer, confirms and says why (issue 17 item 2).
    unconfirmed = await web.post(f"/manager/cases/{case_id}/decision", data=approval, follow_redirects=False)
    assert unconfirmed.status_code == 400
    assert "Confirm that you are approving with checks that still need review" in unconfirmed.text
    assert "Only an officer can record their outcome" in unconfirmed.text
    page = await web.get(f"/manager/cases/{case_id}")
    done = await web.post(
        f"/manager/cases/{case_id}/decision",
        data=approval
        | {
            "csrf_token": csrf_of(page.text),
            "checks_in_review_confirmed": "yes",
            "checks_in_review_reason": "The insurance certificate was shown at the centre's desk.",
        },
        follow_redirects=False,
    )
    assert done.status_code in (302, 303), done.text
    shown = await web.get(done.headers["location"])
    assert "Decision recorded" in shown.text
    assert "The centre manager or a council officer may attend." in shown.text
    assert "Record decision" not in shown.text
    status = await web.get(f"/api/v1/applications/{case_id}", headers=f.bearer(world["officer_token"]))
    assert status.json()["status"] == "awaiting_acceptance"
    assert status.json()["decisions"][0]["officer"] == world["manager"].name


async def test_a_manager_of_another_venue_gets_404_and_an_officer_403(
    web: Client, session: AsyncSession, world: dict[str, Any]
) -> None:
    case_id = await _submit(web, world)
    web = await _as(web, session, world["other_manager"])
    listing = await web.get("/manager/cases")
    assert case_id not in listing.text
    assert (await web.get(f"/manager/cases/{case_id}")).status_code == 404
    decided = await web.post(
        f"/manager/cases/{case_id}/decision",
        data={"csrf_token": csrf_of(listing.text), "outcome": "approve", "reason": "Fine"},
    )
    assert decided.status_code == 404
    officer = await _as(web, session, world["officer"])
    assert (await officer.get(f"/manager/cases/{case_id}")).status_code == 403
    status = await web.get(f"/api/v1/applications/{case_id}", headers=f.bearer(world["officer_token"]))
    assert status.json()["status"] == "under_review"


async def test_a_referral_is_stated_and_no_flagged_name_is_shown(
    web: Client, session: AsyncSession, world: dict[str, Any]
) -> None:
    case_id = await _submit(web, world, people=[{"name": FLAGGED, "role": "speaker"}])
    web = await _as(web, session, world["manager"])
    page = await web.get(f"/manager/cases/{case_id}")
    assert page.status_code == 200
    assert "An officer must look at this request first" in page.text
    assert "A possible match needs an officer" in page.text
    assert "Record decision" not in page.text
    # The hirer's own speaker is on the request; the list entry's explanation and score are not.
    assert "resembles" not in page.text and "Score" not in page.text
    forced = await web.post(
        f"/manager/cases/{case_id}/decision",
        data={"csrf_token": csrf_of(page.text), "outcome": "approve", "reason": "Fine"},
    )
    assert forced.status_code == 409
    assert "needs an officer" in forced.text


async def test_a_managers_refusal_is_countersigned_by_another_manager(
    web: Client, session: AsyncSession, world: dict[str, Any]
) -> None:
    case_id = await _submit(web, world)
    web = await _as(web, session, world["manager"])
    page = await web.get(f"/manager/cases/{case_id}")
    proposed = await web.post(
        f"/manager/cases/{case_id}/decision",
        data={
            "csrf_token": csrf_of(page.text),
            "outcome": "refuse",
            "reason": "The lease does not allow ticketed sales events.",
            "reason_code": "use_not_permitted",
            "options_considered": "A members-only meeting without sales.",
        },
        follow_redirects=False,
    )
    assert proposed.status_code in (302, 303), proposed.text
    mine = await web.get(f"/manager/cases/{case_id}")
    assert "You proposed this refusal" in mine.text and "Record countersignature" not in mine.text
    again = await web.post(
        f"/manager/cases/{case_id}/countersign", data={"csrf_token": csrf_of(mine.text), "agree": "yes"}
    )
    assert again.status_code == 403
    second = await _as(web, session, world["manager2"])
    page = await second.get(f"/manager/cases/{case_id}")
    assert "Record countersignature" in page.text
    signed = await second.post(
        f"/manager/cases/{case_id}/countersign",
        data={"csrf_token": csrf_of(page.text), "agree": "yes"},
        follow_redirects=False,
    )
    assert signed.status_code in (302, 303), signed.text
    status = await web.get(f"/api/v1/applications/{case_id}", headers=f.bearer(world["officer_token"]))
    assert status.json()["status"] == "refused"


async def test_the_officers_case_page_says_the_decision_is_delegated_and_to_whom(
    web: Client, session: AsyncSession, world: dict[str, Any]
) -> None:
    case_id = await _submit(web, world)
    referred = await _submit(web, world, people=[{"name": FLAGGED, "role": "speaker"}])
    officer = await _as(web, session, world["officer"])
    page = " ".join((await officer.get(f"/officer/cases/{case_id}")).text.split())
    assert "Decided by venue managers." in page
    managers = ", ".join(sorted((world["manager"].name, world["manager2"].name)))
    assert f"to the managers of Brookfield Test Centre: {managers}." in page
    assert world["other_manager"].name not in page
    assert "an officer can still decide it here" in page and "Record decision" in page
    assert "no manager can decide this request until it is resolved" not in page
    held = " ".join((await officer.get(f"/officer/cases/{referred}")).text.split())
    assert "Decided by venue managers." in held
    assert "no manager can decide this request until it is resolved" in held
