"""Dates of birth on the pages, through the real app on both engines (issue 21 item 2): the officer
asks from the case page, the hirer answers in GOV.UK date inputs on the status page (errors named
per person, what was typed kept), and the officer's page shows "Likely a different person" with the
reason beside a match that is still open."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import application_payload, bearer, next_weekday
from tests.vetting.test_importers_helpers import uk_csv, uk_row
from tests.web.sign_in import csrf_of, sign_in_officer

Client = AsyncTestClient[Litestar]
LISTED = "Quennell Ardwick"  # invented


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    # Session cookies are Secure: the client speaks https for the browser to keep them.
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def test_officer_asks_on_the_page_hirer_answers_and_the_page_says_likely_a_different_person(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    imported = await web.post(
        "/api/v1/flagged-entries/import?format=uk-sanctions-csv",
        content=uk_csv({**uk_row("DOB0002", "ARDWICK", "Quennell"), "D.O.B": "00/00/1958"}),
        headers=bearer(seeded["officer_token"]),
    )
    assert imported.status_code == 200, imported.text
    created = await web.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["hall_a"].id, next_weekday(2, weeks_ahead=6), people=[{"name": LISTED, "role": "speaker"}]
        ),
    )
    assert created.status_code == 201, created.text
    case_id, token = created.json()["id"], created.json()["applicant_token"]
    await sign_in_officer(web, session, seeded)

    page = await web.get(f"/officer/cases/{case_id}")
    assert page.status_code == 200
    assert "The entry gives the date of birth 1958" in page.text
    assert "Likely a different person" not in page.text
    assert 'action="/officer/cases/' + case_id + '/birth-dates"' in page.text
    nobody = await web.post(
        f"/officer/cases/{case_id}/birth-dates",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert nobody.status_code == 400
    assert "Select whose date of birth to ask for" in nobody.text
    asked = await web.post(
        f"/officer/cases/{case_id}/birth-dates",
        data={"csrf_token": csrf_of(page.text), "people": "0"},
        follow_redirects=False,
    )
    assert asked.status_code in (302, 303), asked.text

    status = await web.get(f"/status/{token}")
    assert f"What is the date of birth of {LISTED}?" in status.text
    assert 'name="dob-0-year"' in status.text
    bad = await web.post(
        f"/status/{token}/information",
        data={
            "csrf_token": csrf_of(status.text),
            "dob-0-day": "31",
            "dob-0-month": "2",
            "dob-0-year": "1991",
        },
        follow_redirects=False,
    )
    assert bad.status_code == 400
    assert f"Date of birth of {LISTED} must be a real date" in bad.text
    assert re.search(r'name="dob-0-day"[^>]*value="31"', bad.text)
    good = await web.post(
        f"/status/{token}/information",
        data={
            "csrf_token": csrf_of(status.text),
            "dob-0-day": "14",
            "dob-0-month": "5",
            "dob-0-year": "1991",
        },
        follow_redirects=False,
    )
    assert good.status_code in (302, 303), good.text

    page = await web.get(f"/officer/cases/{case_id}")
    assert "Years of birth differ</strong> Likely a different person: born 14 May 1991" in page.text
    assert "The match stays until you clear it." in page.text
    assert "14 May 1991" in page.text.split('id="dates-of-birth"')[1]
    # Still open: the disposition buttons are there and the decision is still held back.
    assert "disposition: <strong>open</strong>" in page.text
    assert "Resolve the open screening referrals above before deciding." in page.text
