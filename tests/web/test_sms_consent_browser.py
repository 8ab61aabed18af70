"""The text-reminder consent in a real browser: ticked without a number, the error leads to the
number's field; the page with the error passes the accessibility audit."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.factories import next_weekday
from tests.web.conftest import LiveSite
from tests.web.pages import audit
from tests.web.test_journey import fill_room_step

pytestmark = pytest.mark.browser


def test_consent_without_a_mobile_number_points_at_the_number(live_site: LiveSite, context: Any) -> None:
    hirer = context.new_page()
    hirer.goto(live_site.url + "/book")
    fill_room_step(hirer, live_site.data["venue"].id, next_weekday(2, weeks_ahead=9, hour=19), count="2")
    hirer.get_by_role("button", name="Find rooms").click()
    hirer.get_by_label("Hall B").check()
    hirer.get_by_role("button", name="Continue").click()

    hirer.get_by_label("Name of the organisation or group").fill("Testtown Walking Group")
    hirer.get_by_label("Type of organisation").select_option("club")
    hirer.get_by_label("Full name").fill("Robin Teststride")
    hirer.get_by_label("Email address").fill("robin@testtown.example")
    hirer.get_by_label("Text me reminders about this booking").check()
    hirer.get_by_role("button", name="Continue").click()

    summary = hirer.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a UK mobile number to get text message reminders")
    audit(hirer, "book-organisation-sms-consent-error")
    summary.get_by_role("link").click()
    phone = hirer.get_by_label("Telephone number (optional)")
    expect(phone).to_be_focused()
    expect(hirer.get_by_label("Text me reminders about this booking")).to_be_checked()
    phone.fill("07700 900 777")
    hirer.get_by_role("button", name="Continue").click()
    expect(hirer.get_by_role("heading", level=1)).not_to_contain_text("Your organisation")
