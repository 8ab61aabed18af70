"""Issue 17 item 2: an officer settles a check from the evidence; the automatic result is kept;
approving over a check still in review needs a confirmation and a reason (service and page)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from casework.workflow import DecisionInput, Workflow
from tests.factories import bearer
from tests.security.helpers import submit
from tests.web.sign_in import csrf_of, sign_in_officer
from vetting.actors import Actor
from vetting.errors import Conflict, Forbidden, Invalid

Client = AsyncTestClient[Litestar]


def _check(case: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in case["checks"] if c["check"] == name)


async def _case(client: Client, token: str, case_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/applications/{case_id}", headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_officer_outcome_turns_review_to_pass_and_keeps_the_automatic_result(
    client: Client, seeded: dict[str, Any]
) -> None:
    created = await submit(client, seeded["hall_a"].id)
    token = seeded["officer_token"]
    before = _check(await _case(client, token, created["id"]), "insurance")
    assert before["outcome"] == "review" and before.get("officer") is None

    response = await client.post(
        f"/api/v1/applications/{created['id']}/checks/insurance/outcome",
        json={"satisfied": True, "note": "Certificate from Testshire Mutual seen, £5m to 2028"},
        headers=bearer(token),
    )
    assert response.status_code == 200, response.text
    case = await _case(client, token, created["id"])
    after = _check(case, "insurance")
    assert after["outcome"] == "pass"
    assert after["automatic"]["outcome"] == "review"
    assert after["automatic"]["summary"] == before["summary"]
    assert after["officer"]["satisfied"] is True
    assert after["officer"]["by"] == seeded["officer"].name
    assert after["officer"]["note"].startswith("Certificate from Testshire Mutual")
    event = next(e for e in case["history"] if e["action"] == "check_outcome_recorded")
    assert event["detail"]["automatic"] == "review" and event["detail"]["outcome"] == "pass"
    assert event["actor"] == seeded["officer"].name

    # Not satisfied turns it to fail; both records stay in the history.
    again = await client.post(
        f"/api/v1/applications/{created['id']}/checks/insurance/outcome",
        json={"satisfied": False, "note": "The certificate has expired"},
        headers=bearer(token),
    )
    assert again.status_code == 200, again.text
    case = await _case(client, token, created["id"])
    assert _check(case, "insurance")["outcome"] == "fail"
    assert _check(case, "insurance")["automatic"]["outcome"] == "review"
    recorded = [e["detail"]["outcome"] for e in case["history"] if e["action"] == "check_outcome_recorded"]
    assert recorded == ["pass", "fail"]


async def test_only_review_checks_of_open_cases_by_officers(client: Client, seeded: dict[str, Any]) -> None:
    created = await submit(client, seeded["hall_a"].id)
    case = await _case(client, seeded["officer_token"], created["id"])
    passed = next(c["check"] for c in case["checks"] if c["outcome"] == "pass")
    url = f"/api/v1/applications/{created['id']}/checks"
    body = {"satisfied": True, "note": "Seen"}
    assert (
        await client.post(f"{url}/{passed}/outcome", json=body, headers=bearer(seeded["officer_token"]))
    ).status_code == 409
    assert (
        await client.post(f"{url}/no_such_check/outcome", json=body, headers=bearer(seeded["officer_token"]))
    ).status_code == 404
    assert (
        await client.post(
            f"{url}/insurance/outcome",
            json={"satisfied": True, "note": " "},
            headers=bearer(seeded["officer_token"]),
        )
    ).status_code == 422
    assert (
        await client.post(f"{url}/insurance/outcome", json=body, headers=bearer(seeded["manager_token"]))
    ).status_code == 403
    assert (await client.post(f"{url}/insurance/outcome", json=body)).status_code == 401
    # A document id that is not one of this case's documents is refused.
    stray = {**body, "document_id": "00000000-0000-4000-8000-000000000000"}
    assert (
        await client.post(f"{url}/insurance/outcome", json=stray, headers=bearer(seeded["officer_token"]))
    ).status_code == 422


async def test_service_rules(engine: AsyncEngine, client: Client, seeded: dict[str, Any]) -> None:
    created = await submit(client, seeded["hall_a"].id)
    case_id = UUID(created["id"])
    officer = Actor(id=seeded["officer"].id, name=seeded["officer"].name, role="officer")
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        workflow = Workflow(session=s)
        with pytest.raises(Forbidden):
            await workflow.record_check_outcome(
                Actor(id=None, name="hirer", role="hirer"), case_id, "insurance", True, "mine"
            )
        # Approving over the insurance check still in review: refused without both parts.
        for confirmed, reason in ((False, ""), (True, ""), (False, "Cover arranged by the council")):
            with pytest.raises(Invalid) as refused:
                await workflow.decide(
                    officer,
                    case_id,
                    DecisionInput(
                        outcome="approve",
                        reason="Approved",
                        checks_in_review_confirmed=confirmed,
                        checks_in_review_reason=reason,
                    ),
                )
            expected = {"checks_in_review_confirmed"} if not confirmed else set()
            expected |= {"checks_in_review_reason"} if not reason else set()
            assert set(refused.value.errors) == expected
        await s.rollback()
    async with maker() as s:
        workflow = Workflow(session=s)
        case = await workflow.decide(
            officer,
            case_id,
            DecisionInput(
                outcome="approve",
                reason="Approved",
                checks_in_review_confirmed=True,
                checks_in_review_reason="Cover arranged by the council's scheme by phone",
            ),
        )
        await s.commit()
        assert case.status in ("confirmed", "awaiting_acceptance")
    async with maker() as s:
        with pytest.raises(Conflict):
            await Workflow(session=s).record_check_outcome(officer, case_id, "insurance", True, "late")
    view = await _case(client, seeded["officer_token"], created["id"])
    approval = next(e for e in view["history"] if e["action"].startswith("approve"))
    assert "insurance" in approval["detail"]["checks_in_review"]
    assert approval["detail"]["checks_in_review_reason"].startswith("Cover arranged")


async def test_approval_after_the_evidence_needs_no_confirmation(
    engine: AsyncEngine, client: Client, seeded: dict[str, Any]
) -> None:
    created = await submit(client, seeded["hall_a"].id)
    case_id = UUID(created["id"])
    officer = Actor(id=seeded["officer"].id, name=seeded["officer"].name, role="officer")
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        workflow = Workflow(session=s)
        case = await workflow.get_case(case_id)
        for check in [c["check"] for c in case.checks if c["outcome"] == "review"]:
            await workflow.record_check_outcome(officer, case_id, check, True, "Evidence seen")
        await workflow.rerun_checks(case, officer)  # a re-run keeps the officer's outcomes
        assert [c["outcome"] for c in case.checks if c.get("officer")] and all(
            c["outcome"] != "review" for c in case.checks
        )
        await workflow.decide(officer, case_id, DecisionInput(outcome="approve", reason="Approved"))
        await s.commit()


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    """A browser-like client over https, where the session cookie is sent."""
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def test_the_case_page_records_an_outcome_and_asks_to_confirm_approval(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    client = web
    created = await submit(client, seeded["hall_a"].id)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        await sign_in_officer(client, session, seeded)
    url = f"/officer/cases/{created['id']}"
    page = await client.get(url)
    assert page.status_code == 200
    assert "Record the outcome" in page.text and 'id="checks-in-review"' in page.text
    csrf = csrf_of(page.text)

    # Approving without the confirmation and reason: the page says what to do.
    decision = await client.post(
        f"{url}/decision",
        data={"csrf_token": csrf, "outcome": "approve", "reason": "Approved", "revision": "1"},
    )
    assert decision.status_code == 400
    assert "Confirm that you are approving with checks that still need review" in decision.text
    assert "Enter why you are approving with checks that still need review" in decision.text

    # The outcome form: a missing answer is named, then the outcome is recorded and shown.
    missing = await client.post(f"{url}/checks/insurance/outcome", data={"csrf_token": csrf, "note": ""})
    assert missing.status_code == 400
    assert "Choose whether the evidence satisfies the check" in missing.text
    assert "Enter what the evidence showed" in missing.text
    done = await client.post(
        f"{url}/checks/insurance/outcome",
        data={"csrf_token": csrf, "satisfied": "yes", "note": "Certificate seen"},
        follow_redirects=False,
    )
    assert done.status_code in (302, 303), done.text
    shown = await client.get(url)
    assert "Automatic: needs review. Officer: satisfied — " + seeded["officer"].name in shown.text
    assert ": Certificate seen" in shown.text
    revision = shown.text.split('name="revision" value="')[1].split('"')[0]
    review_left = 'id="checks-in-review"' in shown.text
    data = {
        "csrf_token": csrf_of(shown.text),
        "outcome": "approve",
        "reason": "Approved",
        "revision": revision,
    }
    if review_left:  # other checks of the default request may still need review
        data |= {"checks_in_review_confirmed": "yes", "checks_in_review_reason": "Known group"}
    approved = await client.post(f"{url}/decision", data=data, follow_redirects=False)
    assert approved.status_code in (302, 303), approved.text
