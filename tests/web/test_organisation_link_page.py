"""In the browser: an officer compares a request with the organisation on file and confirms the link."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.models import User
from tests import factories as f
from tests.web.conftest import LiveSite
from tests.web.pages import audit, sign_in

pytestmark = pytest.mark.browser


async def _officer_with_totp(db_url: str) -> tuple[str, str]:
    """An officer of this test's own, so no other test's one-time code is replayed."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            actor, _ = await f.make_staff(s, "officer", email="linkofficer@testshire.example")
            user = await s.get(User, actor.id)
            assert user is not None
            user.totp_secret = pyotp.random_base32()
            await s.commit()
            return "linkofficer@testshire.example", user.totp_secret
    finally:
        await engine.dispose()


def test_officer_sees_differences_side_by_side_and_confirms_the_link(
    live_site: LiveSite, context: Any
) -> None:
    base = live_site.url
    known = {
        "name": "Testtown Bowls Club",
        "type": "charity",
        "charity_number": "1176543",
        "address": "1 Green",
    }
    ids = []
    for weeks, organisation in (
        (7, known),
        (9, {**known, "name": "Testtown Bowling Club", "address": "1 The Green"}),
    ):
        body = f.application_payload(live_site.data["hall_b"].id, f.next_weekday(2, weeks_ahead=weeks))
        body["organisation"] = organisation
        response = httpx.post(f"{base}/api/v1/applications", json=body, timeout=30)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    # Sync Playwright keeps an event loop running in this thread: seed from another one.
    with ThreadPoolExecutor(1) as pool:
        email, secret = pool.submit(asyncio.run, _officer_with_totp(live_site.settings.database_url)).result()

    page = context.new_page()
    sign_in(page, base, email, totp_secret=secret, next_path=f"/officer/cases/{ids[1]}")
    expect(page.get_by_role("heading", name="Known organisation")).to_be_visible()
    table = page.get_by_role("table", name="This request beside the record on file")
    expect(
        table.get_by_role("row", name="Name Testtown Bowling Club Testtown Bowls Club differs")
    ).to_be_visible()
    expect(table.get_by_role("row", name="Charity number 1176543 1176543")).to_be_visible()
    audit(page, "40-officer-organisation-link")

    # A reason is required.
    page.get_by_role("button", name="Confirm: same organisation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("say why")
    page.get_by_label("Your reasons", exact=True).first.fill("Club secretary confirmed the new name by phone")
    page.get_by_role("button", name="Confirm: same organisation").click()
    expect(page.get_by_text("Your answer on the known organisation is recorded.")).to_be_visible()
    expect(page.get_by_text("Status: confirmed")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm: same organisation")).to_have_count(0)
    audit(page, "41-officer-organisation-link-confirmed")
