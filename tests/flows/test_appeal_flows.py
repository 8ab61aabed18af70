"""Issue 17 item 3: an upheld appeal sets the case to what the appeal decided and the hirer is told
exactly that (mail and status page); the proposer of a refusal gets no countersign form and the
service refuses them; the case page names who may decide the appeal, or says no one can."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import create_app
from api.models import User
from api.settings import Settings
from casework.workflow import Workflow
from tests import factories as f
from tests.factories import application_payload, bearer, next_weekday
from tests.web.sign_in import csrf_of, sign_in_as
from vetting.errors import Forbidden
from vetting.models import Organisation, VettingCase
from vetting.outbox_models import OutboxMessage

Client = AsyncTestClient[Litestar]
REFUSAL = {
    "outcome": "refuse",
    "reason": "Fire officer's report: the hall cannot hold the planned stage safely",
    "reason_code": "public_safety",
    "options_considered": "A capacity limit and a smaller stage were weighed and would not suffice",
}


async def _proposed(client: Client, seeded: dict[str, Any], weeks: int = 6) -> dict[str, Any]:
    created = await client.post(
        "/api/v1/applications",
        json=application_payload(seeded["hall_b"].id, next_weekday(2, weeks_ahead=weeks)),
    )
    assert created.status_code == 201, created.text
    app: dict[str, Any] = created.json()
    refused = await client.post(
        f"/api/v1/applications/{app['id']}/decision", json=REFUSAL, headers=bearer(seeded["officer_token"])
    )
    assert refused.status_code == 200, refused.text
    return app


async def _appealed(client: Client, seeded: dict[str, Any], weeks: int = 6) -> dict[str, Any]:
    app = await _proposed(client, seeded, weeks)
    signed = await client.post(
        f"/api/v1/applications/{app['id']}/countersign",
        json={"agree": True},
        headers=bearer(seeded["officer2_token"]),
    )
    assert signed.json()["status"] == "refused", signed.text
    appealed = await client.post(
        f"/api/v1/applicant/{app['applicant_token']}/appeal", json={"grounds": "We will use no stage."}
    )
    assert appealed.status_code == 200, appealed.text
    return app


def _web(settings: Settings) -> Client:
    """A browser-like client of its own app (its own session cookie), over HTTPS like the site."""
    return AsyncTestClient(app=create_app(settings), base_url="https://testserver.local")


async def _hirer_mail(session: AsyncSession, case_id: str) -> OutboxMessage:
    rows = await session.execute(
        select(OutboxMessage).where(
            OutboxMessage.template == "appeal_decided", OutboxMessage.audience == "hirer"
        )
    )
    (mail,) = [m for m in rows.scalars() if str(m.case_id) == case_id]
    await session.commit()
    return mail


CASES = [
    # outcome, conditions, status, words in the mail, words on the status page
    (
        "reapproved",
        [],
        "confirmed",
        "approved your booking. It is confirmed.",
        "Your appeal was upheld and your booking is approved. It is confirmed.",
    ),
    (
        "reapproved",
        [{"code": "capacity_limit"}],
        "awaiting_acceptance",
        "approved your booking with these conditions:",
        "Your appeal was upheld and your booking is approved with conditions. Accept them above",
    ),
    (
        "varied",
        [{"code": "capacity_limit"}],
        "awaiting_acceptance",
        "Your appeal was upheld with varied conditions.",
        "Your appeal was upheld with varied conditions and your booking is approved with conditions.",
    ),
    (
        "upheld",
        [],
        "under_review",
        "your request is not approved yet: an officer will review it afresh",
        "your request is not approved yet: an officer will review it afresh and decide it.",
    ),
    ("dismissed", [], "refused", "Your appeal was dismissed. The refusal stands.", "The refusal stands."),
]


@pytest.mark.parametrize(("outcome", "conditions", "status", "mail_words", "page_words"), CASES)
async def test_an_appeal_decision_sets_the_case_and_tells_the_hirer_exactly_that(
    client: Client,
    seeded: dict[str, Any],
    session: AsyncSession,
    outcome: str,
    conditions: list[dict[str, str]],
    status: str,
    mail_words: str,
    page_words: str,
) -> None:
    app = await _appealed(client, seeded)
    decided = await client.post(
        f"/api/v1/applications/{app['id']}/appeal-decision",
        json={"outcome": outcome, "reason": "Without a stage the hall is safe", "conditions": conditions},
        headers=bearer(seeded["admin_token"]),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == status

    mail = await _hirer_mail(session, app["id"])
    body = " ".join(mail.body.split())
    assert mail_words in body
    assert "Without a stage the hall is safe" in body
    if outcome != "reapproved" or status != "confirmed":
        assert "It is confirmed" not in body  # only an approval without conditions is confirmed at once
    if conditions:
        assert "Accept the conditions through your private link" in body
    # Approved again (or varied): the organisation is cleared on that day, as by an ordinary approval.
    case = await session.get(VettingCase, UUID(app["id"]))
    assert case is not None
    organisation = await session.get(Organisation, case.organisation_id)
    assert organisation is not None
    cleared = organisation.last_cleared_at
    assert (cleared is not None) == (outcome in ("reapproved", "varied")), cleared
    if cleared is not None:
        assert abs(cleared - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    await session.commit()

    page = await client.get(f"/status/{app['applicant_token']}")
    text = " ".join(page.text.split())
    assert page_words in text
    assert "The officer's reasons: Without a stage the hall is safe" in text
    held = [
        o["status"]
        for o in (await client.get(f"/api/v1/applicant/{app['applicant_token']}")).json()["occurrences"]
    ]
    assert set(held) == ({"held"} if status in ("confirmed", "awaiting_acceptance") else {"requested"})


async def test_varied_needs_conditions(client: Client, seeded: dict[str, Any]) -> None:
    app = await _appealed(client, seeded)
    bare = await client.post(
        f"/api/v1/applications/{app['id']}/appeal-decision",
        json={"outcome": "varied", "reason": "Fine with conditions", "conditions": []},
        headers=bearer(seeded["admin_token"]),
    )
    assert bare.status_code == 422
    assert "conditions" in bare.json()["errors"]


async def test_the_proposer_sees_no_countersign_form_and_the_service_refuses_them(
    client: Client, settings: Settings, seeded: dict[str, Any], session: AsyncSession
) -> None:
    case = await _proposed(client, seeded)
    url = f"/officer/cases/{case['id']}"
    async with _web(settings) as proposer:
        await sign_in_as(proposer, session, seeded["officer"])
        mine = await proposer.get(url)
        assert mine.status_code == 200
        assert f'action="{url}/countersign"' not in mine.text
        assert "You proposed this refusal" in " ".join(mine.text.split())
        # Posting the form anyway is refused, and nothing changes.
        forced = await proposer.post(
            f"{url}/countersign", data={"agree": "yes", "csrf_token": csrf_of(mine.text)}
        )
        assert forced.status_code == 403
        assert "a second, different person must countersign" in forced.text
    async with _web(settings) as second:
        await sign_in_as(second, session, seeded["officer2"])
        theirs = await second.get(url)
        assert f'action="{url}/countersign"' in theirs.text
        assert "You proposed this refusal" not in theirs.text

    with pytest.raises(Forbidden):
        await Workflow(session).countersign(seeded["officer"], case["id"], agree=True)
    await session.rollback()
    view = (await client.get(f"/api/v1/applicant/{case['applicant_token']}")).json()
    assert view["status"] == "under_review"


async def test_the_case_page_names_who_may_decide_the_appeal_or_says_no_one_can(
    client: Client, settings: Settings, seeded: dict[str, Any], session: AsyncSession
) -> None:
    case = await _appealed(client, seeded)
    url = f"/officer/cases/{case['id']}"
    async with _web(settings) as web:
        await sign_in_as(web, session, seeded["officer"])
        # Both officers of the council took part (proposed, countersigned); with the service's
        # administrator away, no one is left.
        admin = seeded["admin"]
        await session.execute(update(User).where(User.id == admin.id).values(active=False))
        await session.commit()
        page = " ".join((await web.get(url)).text.split())
        assert (
            "No officer who took no part in this decision is available. An administrator can add one." in page
        )
        assert f'action="{url}/appeal-decision"' not in page
        # A service administrator who took no part may decide it, and is listed as such.
        await session.execute(update(User).where(User.id == admin.id).values(active=True))
        await session.commit()
        page = " ".join((await web.get(url)).text.split())
        assert f"<li>{admin.name} (service administrator)</li>" in page
        assert "Decided by venue managers" not in page  # the council's policy: officers decide
        assert "No officer who took no part" not in page

        third, _ = await f.make_staff(session, "officer")
        await session.commit()
        page = " ".join((await web.get(url)).text.split())
        assert f"<li>{third.name}</li>" in page
        assert f"<li>{seeded['officer'].name}</li>" not in page
        assert f"<li>{seeded['officer2'].name}</li>" not in page
        assert "You took part in the decision, so you cannot decide its appeal." in page
        assert f'action="{url}/appeal-decision"' not in page

    async with _web(settings) as web:
        await sign_in_as(web, session, third)
        page = await web.get(url)
        assert f'action="{url}/appeal-decision"' in page.text
        token = csrf_of(page.text)
        # The form's errors say what to do.
        empty = await web.post(f"{url}/appeal-decision", data={"csrf_token": token})
        assert empty.status_code == 400
        assert "Choose what the appeal decides" in empty.text
        assert "Enter the reasons for your decision on the appeal" in empty.text
        no_conditions = await web.post(
            f"{url}/appeal-decision",
            data={"csrf_token": token, "appeal_outcome": "varied", "appeal_reason": "Fine with conditions"},
        )
        assert no_conditions.status_code == 400
        assert "Choose at least one condition for the hirer to accept" in no_conditions.text
        done = await web.post(
            f"{url}/appeal-decision",
            data={
                "csrf_token": token,
                "appeal_outcome": "reapproved",
                "appeal_reason": "Safe without a stage",
            },
        )
        assert done.status_code == 200 and "Appeal decision recorded" in done.text
    view = (await client.get(f"/api/v1/applicant/{case['applicant_token']}")).json()
    assert view["status"] == "confirmed"
