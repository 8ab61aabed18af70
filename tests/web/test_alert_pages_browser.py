"""The alert choices page in the browser (accessibility audit included): reached from the account
page, the two alerts that cannot be turned off offer no "Off", a bad time is named, choices save."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, LiveSite
from tests.web.pages import audit

pytestmark = pytest.mark.browser


def test_a_venue_manager_chooses_alerts(live_site: LiveSite, context: Any) -> None:
    base = live_site.url
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Email address").fill("manager3@testshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(pyotp.TOTP(live_site.data["manager3_totp"]).now())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week beginning")

    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Choose which alerts you get, and when").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alerts")
    referral = page.get_by_role("group", name="A screening referral to resolve")
    expect(referral.get_by_label("Off")).to_have_count(0)
    expect(referral.get_by_label("Immediately")).to_be_checked()
    audit(page, "60-account-alerts")

    changed = page.get_by_role("group", name="A booking at your venue cancelled or moved")
    changed.get_by_label("In my daily digest").check()
    page.get_by_label("Time of your daily digest (UK time)").fill("17:30")
    page.get_by_role("button", name="Save alert choices").click()
    expect(page.get_by_role("status")).to_contain_text("Your alert choices are saved.")
    expect(
        page.get_by_role("group", name="A booking at your venue cancelled or moved").get_by_label(
            "In my daily digest"
        )
    ).to_be_checked()
    expect(page.get_by_label("Time of your daily digest (UK time)")).to_have_value("17:30")
