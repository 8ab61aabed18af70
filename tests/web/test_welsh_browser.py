"""The booking form in Welsh in Chromium (issue 18 item 4): switched by the link, remembered by
the cookie, audited with axe-core at 1280 and 375 px, and screenshotted (cy-*.png)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.factories import next_weekday
from tests.web.conftest import LiveSite
from tests.web.pages import audit

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)


def both_widths(page: Any, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        audit(page, f"cy-{name}-{width}", lang="cy")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375 or width != 375, name
    page.set_viewport_size({"width": 1280, "height": 900})


def fill_date_cy(page: Any, legend: str, day: Any) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Diwrnod").fill(str(day.day))
    group.get_by_label("Mis").fill(str(day.month))
    group.get_by_label("Blwyddyn").fill(str(day.year))


def test_the_public_pages_and_booking_form_in_welsh(live_site: LiveSite, context: Any) -> None:
    base = live_site.url
    page = context.new_page()
    page.goto(base + "/")
    page.get_by_role("link", name="Newid yr iaith i’r Gymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Archebu ystafell gan y cyngor")
    both_widths(page, "start")
    for path, name in (
        ("/venues", "directory"),
        (f"/venues/rooms/{live_site.data['hall_a'].id}", "room"),
        ("/conditions/council-default", "conditions"),
    ):
        page.goto(base + path)  # no ?lang=: the cookie keeps Welsh
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        both_widths(page, name)

    page.goto(base + "/book")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pryd a ble mae angen ystafell arnoch chi?")
    both_widths(page, "book-room")
    page.get_by_role("button", name="Dod o hyd i ystafelloedd").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Mae problem")
    expect(summary).to_contain_text("Rhowch ddyddiad y digwyddiad")
    both_widths(page, "book-room-errors")

    when = next_weekday(3, weeks_ahead=10, hour=18)
    page.get_by_label("Lleoliad").select_option(value=str(live_site.data["venue"].id))
    fill_date_cy(page, "Dyddiad y digwyddiad", when.date())
    page.get_by_label("Amser dechrau").fill("18:00")
    page.get_by_label("Amser gorffen").fill("20:00")
    page.get_by_label("Faint o bobl fydd yn dod").fill("20")
    page.get_by_role("button", name="Dod o hyd i ystafelloedd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dewiswch ystafell")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Dydd ")  # the date in Welsh
    both_widths(page, "book-choose")
    page.get_by_label("Hall B").check()
    page.get_by_role("button", name="Parhau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eich sefydliad a’ch manylion cyswllt")
    both_widths(page, "book-organisation")

    # Switching mid-form keeps the answers: back to English on the same page.
    page.get_by_label("Enw’r sefydliad neu’r grŵp").fill("Testtown Origami Circle")
    page.get_by_role("button", name="Change the language to English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation and contact details")
