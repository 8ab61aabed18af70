"""The account pages in the browser (accessibility audit included): the QR code, the forms that
ask for the current password and code, and their error messages. Nothing is changed here; the
changes themselves are tested over HTTP in tests/web/test_staff_auth.py."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, LiveSite
from tests.web.pages import audit

pytestmark = pytest.mark.browser


def test_a_venue_manager_opens_the_account_pages(live_site: LiveSite, context: Any) -> None:
    base = live_site.url
    secret = live_site.data["manager2_totp"]
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Email address").fill("manager2@testshire.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week beginning")

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    audit(page, "40-account")

    page.get_by_role("link", name="Change your password").click()
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your current password")
    audit(page, "41-account-password-error")

    page.goto(base + "/account/second-factor")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    audit(page, "42-account-second-factor")
    page.get_by_label("Your current password").fill("not my password")
    page.get_by_role("button", name="Replace security code").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("current password is not right")
