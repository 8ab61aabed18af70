"""A date of birth the hirer gave follows the case's data protection (issue 21 item 2, principle 4):
a subject access request for that person exports it (and not for anyone else), and the retention
purge removes it with the rest of the due-diligence detail of a case with nothing adverse."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.dataprotection.retention import apply_purge, plan_purge
from policies import bundled_policy
from tests.factories import bearer
from tests.security.helpers import Client, approve, flag, submit
from tests.security.test_dataprotection import _last_end
from vetting.models import VettingCase

LISTED = "Fenwick Oldacre"  # invented


async def _answered(client: Client, seeded: dict[str, Any]) -> dict[str, Any]:
    officer = seeded["officer_token"]
    await flag(client, officer, LISTED)
    case = await submit(
        client, seeded["hall_a"].id, weeks_ahead=5, people=[{"name": LISTED, "role": "speaker"}]
    )
    asked = await client.post(
        f"/api/v1/applications/{case['id']}/birth-date-request",
        json={"people": [LISTED]},
        headers=bearer(officer),
    )
    assert asked.status_code == 200, asked.text
    answered = await client.post(
        f"/api/v1/applicant/{case['applicant_token']}/information",
        json={"response": "", "dates_of_birth": [{"name": LISTED, "date_of_birth": "1987-11-03"}]},
    )
    assert answered.status_code == 200, answered.text
    return case


async def test_a_subject_access_export_gives_the_person_their_date_of_birth_and_nobody_else(
    client: Client, seeded: dict[str, Any]
) -> None:
    case = await _answered(client, seeded)
    admin = bearer(seeded["admin_token"])
    mine = await client.post("/api/v1/subject-access", json={"name": LISTED}, headers=admin)
    assert mine.status_code == 200, mine.text
    (request,) = [r for r in mine.json()["export"]["requests"] if r["reference"] == case["reference"]]
    assert [(d["name"], d["date_of_birth"]) for d in request["dates_of_birth"]] == [(LISTED, "1987-11-03")]
    # The contact's own export holds the request but not another person's date of birth.
    contact = await client.post(
        "/api/v1/subject-access", json={"email": "morgan@testtown.example"}, headers=admin
    )
    (theirs,) = [r for r in contact.json()["export"]["requests"] if r["reference"] == case["reference"]]
    assert theirs["dates_of_birth"] == [] and "1987-11-03" not in contact.text


async def test_the_purge_removes_the_date_of_birth_with_the_due_diligence_detail(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer = seeded["officer_token"]
    case = await _answered(client, seeded)
    view = (await client.get(f"/api/v1/applications/{case['id']}", headers=bearer(officer))).json()
    for match in view["screening"]:
        cleared = await client.post(
            f"/api/v1/screening-matches/{match['id']}/disposition",
            json={"disposition": "cleared", "note": "born 1987; the entry's person is older"},
            headers=bearer(officer),
        )
        assert cleared.status_code == 200, cleared.text
    await approve(client, officer, case["id"])
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        kept = await s.get(VettingCase, case["id"])
        assert kept is not None and kept.birth_dates and kept.birth_dates[0]["date_of_birth"] == "1987-11-03"
    months = bundled_policy("council-default").retention.due_diligence_no_adverse
    due = await _last_end(engine, case["id"]) + relativedelta(months=months, days=2)
    async with maker() as s:
        plan = await plan_purge(s, now=due)
        assert case["reference"] in plan.references()["due_diligence_no_adverse"]
        await apply_purge(s, plan)
        await s.commit()
    async with maker() as s:
        purged = await s.get(VettingCase, case["id"])
        assert purged is not None and purged.birth_dates is None
