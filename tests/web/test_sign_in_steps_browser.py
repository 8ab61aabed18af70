"""The second sign-in steps in Welsh in Chromium (issue 18 item 4): setting up the security code
and entering it, each with its error, after the sign-in page was switched to Welsh; audited with
axe-core at 1280 and 375 px (no sideways scroll) and screenshotted (cy-sign-in-*.png)."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.models import User
from tests import factories as f
from tests.web.conftest import PASSWORD, LiveSite
from tests.web.pages import audit
from tests.web.priced_venue import run_db
from venues.models import Venue

pytestmark = pytest.mark.browser

ENROLS = "cy-enrol-manager@testshire.example"
HAS_CODE = "cy-code-manager@testshire.example"


async def _staff(db_url: str) -> None:
    """Two venue managers of this test's own: one still to set up a code, one with a code (so no
    other test's sign-in or one-time code is touched)."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            venue = (await s.execute(select(Venue).limit(1))).scalar_one()
            await f.make_staff(s, "venue_manager", email=ENROLS, venue_ids=[venue.id])
            coded, _ = await f.make_staff(s, "venue_manager", email=HAS_CODE, venue_ids=[venue.id])
            user = await s.get(User, coded.id)
            assert user is not None
            user.totp_secret = pyotp.random_base32()
            await s.commit()
    finally:
        await engine.dispose()


def _both_widths(page: Any, name: str) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        audit(page, f"cy-sign-in-{name}-{width}", lang="cy")
        if width == 375:
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    page.set_viewport_size({"width": 1280, "height": 900})


def _password(page: Any, base: str, email: str) -> None:
    page.goto(base + "/login?lang=cy")
    page.get_by_label("Cyfeiriad e-bost").fill(email)
    page.get_by_label("Cyfrinair").fill(PASSWORD)
    page.get_by_role("button", name="Parhau").click()


def test_the_second_sign_in_steps_in_welsh(live_site: LiveSite, context: Any) -> None:
    run_db(_staff(live_site.settings.database_url))
    base = live_site.url
    page = context.new_page()

    _password(page, base, ENROLS)
    expect(page).to_have_url(base + "/login/enrol")
    expect(page.locator("h1")).to_have_text("Gosod eich cod diogelwch")
    expect(page.get_by_role("img", name="Cod QR y ddolen osod")).to_be_visible()
    _both_widths(page, "enrol")
    page.get_by_role("button", name="Parhau").click()  # no code typed: refused, nothing counted
    expect(page.locator(".govuk-error-summary")).to_contain_text("Rhowch y cod 6 digid")
    _both_widths(page, "enrol-error")

    _password(page, base, HAS_CODE)
    expect(page).to_have_url(base + "/login/code")
    expect(page.locator("h1")).to_have_text("Rhowch eich cod diogelwch")
    _both_widths(page, "code")
    page.get_by_role("button", name="Mewngofnodi").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Rhowch y cod 6 digid")
    expect(page.get_by_label("Cod diogelwch")).to_be_visible()
    _both_widths(page, "code-error")
