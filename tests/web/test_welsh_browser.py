"""The booking form in Welsh in Chromium (issue 18 item 4): switched by the link, remembered by
the cookie, audited with axe-core at 1280 and 375 px, and screenshotted (cy-*.png)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.factories import next_weekday
from tests.web.conftest import LiveSite
from tests.web.pages import audit
from tests.web.priced_venue import priced_venue, run_db

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


def test_a_hirer_books_in_welsh_to_the_status_page(live_site: LiveSite, context: Any) -> None:
    """The whole booking form in Welsh, found by its Welsh labels: the date input's errors, the
    price before sending, "Anfon cais", the confirmation and the status page with its price and
    documents parts."""
    base = live_site.url
    priced = run_db(priced_venue(live_site.settings.database_url, "Testtown Neuadd Hall"))
    when = next_weekday(4, weeks_ahead=9, hour=19)  # Friday evenings: peak hire
    page = context.new_page()
    page.goto(base + "/book?lang=cy")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_label("Lleoliad").select_option(value=str(priced["venue"].id))
    group = page.get_by_role("group", name="Dyddiad y digwyddiad")
    find = page.get_by_role("button", name="Dod o hyd i ystafelloedd")
    summary = page.locator(".govuk-error-summary")

    # The date input's errors, in Welsh, in the summary and beside the field.
    group.get_by_label("Diwrnod").fill("31")
    group.get_by_label("Blwyddyn").fill(str(when.year))
    find.click()
    expect(summary).to_contain_text("Dyddiad y digwyddiad: rhaid iddo gynnwys mis")
    expect(page.locator("#date-error")).to_contain_text("rhaid iddo gynnwys mis")
    both_widths(page, "book-date-missing-month")
    group = page.get_by_role("group", name="Dyddiad y digwyddiad")
    group.get_by_label("Mis").fill("2")
    page.get_by_role("button", name="Dod o hyd i ystafelloedd").click()
    expect(summary).to_contain_text("Dyddiad y digwyddiad: rhaid iddo fod yn ddyddiad go iawn")
    expect(summary).not_to_contain_text("must")
    both_widths(page, "book-date-not-real")

    fill_date_cy(page, "Dyddiad y digwyddiad", when.date())
    page.get_by_label("Amser dechrau").fill("19:00")
    page.get_by_label("Amser gorffen").fill("21:00")
    page.get_by_label("Faint o bobl fydd yn dod").fill("25")
    page.get_by_role("button", name="Dod o hyd i ystafelloedd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dewiswch ystafell")
    page.get_by_label("Studio", exact=True).check()
    page.get_by_role("button", name="Parhau").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Eich sefydliad a’ch manylion cyswllt")
    page.get_by_label("Enw’r sefydliad neu’r grŵp").fill("Testtown Welsh Choir")
    page.get_by_label("Math o sefydliad").select_option("club")
    page.get_by_label("Enw llawn").fill("Rhian Testcanwr")
    page.get_by_label("Cyfeiriad e-bost").fill("rhian@testtown.example")
    page.get_by_role("button", name="Parhau").click()
    page.locator("#person_0_name").fill("Dafydd Testtenor")
    page.locator("#person_0_role").select_option("officer")
    both_widths(page, "book-people")
    page.get_by_role("button", name="Parhau").click()
    page.get_by_label("Teitl y digwyddiad").fill("Ymarfer côr")
    page.locator("#open_to_public-no").check()
    page.locator("#under_18s-no").check()
    page.locator("#adults_at_risk-no").check()
    both_widths(page, "book-event")
    page.get_by_role("button", name="Parhau").click()
    if page.get_by_role("heading", level=1).inner_text() == "Ychydig mwy o gwestiynau":
        page.get_by_role("button", name="Parhau").click()  # unanswered: the errors in Welsh
        expect(summary).to_contain_text("Dewiswch ‘Ydy’ neu ‘Na’")
        both_widths(page, "book-questions-errors")
        page.locator("#q_alcohol-no").check()
        page.get_by_role("button", name="Parhau").click()
    both_widths(page, "book-declarations")
    for box in page.locator("input[name=declarations]").all():
        box.check()
    page.get_by_role("button", name="Parhau").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gwiriwch eich atebion cyn anfon eich cais")
    expect(page.get_by_role("heading", name="Pris", exact=True)).to_be_visible()
    expect(page.locator("#price")).to_contain_text("Cyfanswm i’w dalu")
    expect(page.get_by_role("heading", name="Dogfennau (dewisol)")).to_be_visible()
    both_widths(page, "book-check")
    page.get_by_role("button", name="Anfon cais").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cais wedi’i anfon")
    expect(page.get_by_role("heading", name="Cadwch eich dolen breifat")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Request sent")
    both_widths(page, "book-sent")
    page.locator("#status-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eich cais i archebu")
    expect(page.get_by_role("heading", name="Sefyllfa eich cais")).to_be_visible()
    expect(page.get_by_role("heading", name="Pris", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Dogfennau", exact=True)).to_be_visible()
    expect(page.get_by_label("Uwchlwytho’r ffeil")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Where your request stands")
    both_widths(page, "status")
