"""The booking form's error path: a summary linked to each field, and nothing typed is lost."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.factories import next_weekday
from tests.web.conftest import LiveSite
from tests.web.pages import audit, fill_date

pytestmark = pytest.mark.browser


def test_errors_are_summarised_linked_and_keep_what_was_typed(live_site: LiveSite, context: Any) -> None:
    page = context.new_page()
    page.goto(live_site.url + "/book")
    when = next_weekday(2, weeks_ahead=6, hour=10)
    fill_date(page, "Date of the event", when.date())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Finish time").fill("09:00")
    page.get_by_label("How many people will attend").fill("lots")
    page.get_by_label("Hearing loop").check()
    page.get_by_role("button", name="Find rooms").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    audit(page, "21-book-room-errors")
    links = summary.locator("a")
    texts = [t.strip() for t in links.all_inner_texts()]
    assert "Select a venue" in texts
    assert "The finish time must be after the start time" in texts
    assert "Enter how many people will attend, as a number" in texts
    # Every link in the summary leads to a field on the page, which shows the same message.
    for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        target = page.locator(href)
        expect(target).to_have_count(1)
    page.get_by_role("link", name="Enter how many people will attend, as a number").click()
    expect(page.locator("#attendance")).to_be_focused()
    # What was typed is still there, the wrong parts too, so the hirer can correct them.
    expect(page.locator("#attendance")).to_have_value("lots")
    expect(page.locator("#date-day")).to_have_value(str(when.day))
    expect(page.locator("#date-month")).to_have_value(str(when.month))
    expect(page.locator("#date-year")).to_have_value(str(when.year))
    expect(page.locator("#start_time")).to_have_value("10:00")
    expect(page.locator("#access-hearing_loop")).to_be_checked()

    page.get_by_label("Venue").select_option(value=str(live_site.data["venue"].id))
    page.get_by_label("Finish time").fill("12:00")
    page.get_by_label("How many people will attend").fill("20")
    page.get_by_role("button", name="Find rooms").click()
    # Only Hall A has a hearing loop.
    expect(page.get_by_label("Hall A")).to_be_visible()
    expect(page.get_by_label("Hall B")).to_have_count(0)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a room that is free")
    page.get_by_label("Hall A").check()
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Name of the organisation or group").fill("Testtown Quilters")
    page.get_by_label("Type of organisation").select_option("charity")
    page.get_by_label("Full name").fill("Robin Testcase")
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the charity's registered number")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    audit(page, "22-book-organisation-errors")
    expect(page.locator("#org_name")).to_have_value("Testtown Quilters")
    expect(page.locator("#contact_email")).to_have_value("not-an-email")
    expect(page.locator("#org_type")).to_have_value("charity")

    # Going back and forth keeps the earlier answers as well.
    page.get_by_role("button", name="Back").click()
    page.get_by_role("button", name="Back").click()
    expect(page.locator("#attendance")).to_have_value("20")
    expect(page.locator("#access-hearing_loop")).to_be_checked()


def test_pages_work_without_javascript(live_site: LiveSite, browser: Any) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(live_site.url + "/book")
        page.get_by_role("button", name="Find rooms").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Select a venue")
        when = next_weekday(3, weeks_ahead=7, hour=14)
        page.get_by_label("Venue").select_option(value=str(live_site.data["venue"].id))
        fill_date(page, "Date of the event", when.date())
        page.get_by_label("Start time").fill("14:00")
        page.get_by_label("Finish time").fill("15:00")
        page.get_by_label("How many people will attend").fill("10")
        page.get_by_role("button", name="Find rooms").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Choose a room")
        page.goto(live_site.url + "/login")
        expect(page.get_by_label("Email address")).to_be_visible()
    finally:
        ctx.close()
