"""Every public page, in English and in Welsh, in Chromium (issue 18): each is screenshotted
(test-artifacts/screenshots/all-<lang>-NN-<page>-<width>.png), audited with axe-core at 1280 and
375 px (no serious or critical violation), and must not scroll sideways at 375 px.

One walk per language, driven by element ids so the same steps serve both: the start page and
the lost-link form (its errors, "check your email", too many requests), the directory (and its
filter errors), a room's calendar, conditions of hire, the accessibility statement, a page that
does not exist, every step of the booking form (its errors, the no-room-fits dead end, check
answers with the price and documents), the confirmation, the status page (price and documents,
then, once an officer approves through the API, the invoice, payments and withdrawal terms), the
hirer's invoice, and withdrawing one date (and its error). In Welsh, each page must not show the
English of its heading."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import next_weekday
from tests.web.conftest import LiveSite
from tests.web.pages import audit
from tests.web.priced_venue import case_id, priced_venue, run_db

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HTML_LANG = {"en": "en-GB", "cy": "cy"}
# The first heading of some pages in each language: Welsh pages must really be Welsh.
HEADINGS = {
    "start": ("Book a council room", "Archebu ystafell gan y cyngor"),
    "lost-link-sent": ("Check your email", "Gwiriwch eich e-bost"),
    "lost-link-throttled": ("Too many requests for a new link", "Gormod o geisiadau am ddolen newydd"),
    "accessibility": (
        "Accessibility statement for Book a council room",
        "Datganiad hygyrchedd ar gyfer Archebu ystafell gan y cyngor",
    ),
    "book-choose": ("Choose a room", "Dewiswch ystafell"),
    "book-check": (
        "Check your answers before sending your request",
        "Gwiriwch eich atebion cyn anfon eich cais",
    ),
    "sent": ("Request sent", "Cais wedi’i anfon"),
    "status-invoice": ("Your booking request", "Eich cais i archebu"),
    "withdraw-date": ("Withdraw one date", "Tynnu un dyddiad yn ôl"),
}


class Walk:
    def __init__(self, page: Any, lang: str) -> None:
        self.page, self.lang, self.count = page, lang, 0

    def shot(self, name: str) -> None:
        """Audit the page as it is, at both widths, and check its language and heading."""
        page = self.page
        expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[self.lang])
        if name in HEADINGS:
            english, welsh = HEADINGS[name]
            expect(page.locator("h1")).to_have_text(welsh if self.lang == "cy" else english)
        self.count += 1
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            audit(page, f"all-{self.lang}-{self.count:02d}-{name}-{width}", lang=HTML_LANG[self.lang])
            if width == 375:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= 375, f"{name} ({self.lang}) scrolls sideways at 375 px: {scroll}"
        page.set_viewport_size({"width": 1280, "height": 900})

    def go(self, base: str, path: str, name: str) -> None:
        self.page.goto(base + path)
        self.shot(name)


def _continue(page: Any) -> None:
    page.locator("button[name=nav][value=continue]").click()


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_public_page_in_both_languages(
    live_site: LiveSite, context: Any, lang: str, tmp_path: Path
) -> None:
    base = live_site.url
    priced = run_db(priced_venue(live_site.settings.database_url, f"Testtown Pages Hall {lang}"))
    page = context.new_page()
    walk = Walk(page, lang)

    walk.go(base, f"/?lang={lang}", "start")
    time.sleep(0.5)  # a person takes longer than a robot to fill the form
    page.locator("form[action='/lost-link'] button").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    walk.shot("lost-link-errors")
    for attempt in range(4):  # three new links an hour for one address, then "too many"
        page.goto(base + "/")
        page.locator("#reference").fill("VH-ZZZZ-ZZZZ")
        page.locator("#email").fill(f"pages-{lang}@testtown.example")
        page.locator("form[action='/lost-link'] button").click()
        if attempt == 0:
            walk.shot("lost-link-sent")
    walk.shot("lost-link-throttled")

    walk.go(base, "/venues", "directory")
    walk.go(base, "/venues?capacity=abc", "directory-filter-errors")
    walk.go(base, f"/venues/rooms/{live_site.data['hall_a'].id}", "room-calendar")
    walk.go(base, "/conditions/council-default", "conditions-of-hire")
    walk.go(base, "/accessibility", "accessibility")
    walk.go(base, "/status/not-a-real-link", "not-found")

    # ---- the booking form, step by step, with its errors
    walk.go(base, "/book", "book-room")
    _continue(page)
    walk.shot("book-room-errors")
    when = next_weekday(1, weeks_ahead=12 if lang == "en" else 13, hour=19)
    page.locator("#venue_id").select_option(value=str(priced["venue"].id))
    page.locator("#date-day").fill(str(when.day))
    page.locator("#date-month").fill(str(when.month))
    page.locator("#date-year").fill(str(when.year))
    page.locator("#start_time").fill("19:00")
    page.locator("#end_time").fill("21:00")
    page.locator("#repeat-weekly").check()
    page.locator("#repeat_count").fill("2")
    page.locator("#attendance").fill("400")
    _continue(page)
    expect(page.locator("button[name=nav][value=continue]")).to_have_count(0)
    walk.shot("book-no-room-fits")
    page.locator("form.back-form button").click()
    page.locator("#attendance").fill("25")
    _continue(page)
    walk.shot("book-choose")
    page.locator(f"input[name=room_id][value='{priced['room'].id}']").check()
    _continue(page)
    _continue(page)
    walk.shot("book-organisation-errors")
    page.locator("#org_name").fill(f"Testtown Pages Society {lang}")
    page.locator("#org_type").select_option("club")
    page.locator("#contact_name").fill("Sioned Testpage")
    page.locator("#contact_email").fill(f"sioned-{lang}@testtown.example")
    _continue(page)
    walk.shot("book-people")
    page.locator("#person_0_name").fill("Gareth Testpage")
    page.locator("#person_0_role").select_option("officer")
    _continue(page)
    walk.shot("book-event")
    page.locator("#title").fill("Monthly meeting")
    page.locator("#open_to_public-no").check()
    page.locator("#under_18s-no").check()
    page.locator("#adults_at_risk-no").check()
    _continue(page)
    if page.locator("#q_alcohol-no").count():
        _continue(page)
        walk.shot("book-questions-errors")
        page.locator("#q_alcohol-no").check()
        _continue(page)
    _continue(page)
    walk.shot("book-declarations-errors")
    for box in page.locator("input[name=declarations]").all():
        box.check()
    _continue(page)
    walk.shot("book-check")
    page.locator("button[name=nav][value=continue]").click()
    walk.shot("sent")
    status_url = page.locator("#status-link").get_attribute("href")
    reference = page.locator(".reference").inner_text().strip()
    assert status_url

    # ---- the status page: the price and the documents, then a document sent
    walk.go(base, status_url, "status-under-review")
    certificate = tmp_path / "insurance.pdf"
    Image.new("RGB", (595, 842), (255, 255, 255)).save(certificate, format="PDF")
    page.locator("form[action$='/documents'] button[type=submit]").click()
    walk.shot("status-document-errors")
    page.locator("input[name=kind]").nth(1).check()  # a safeguarding policy: no particulars to give
    page.locator("#document-file").set_input_files(str(certificate))
    page.locator("form[action$='/documents'] button[type=submit]").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    walk.shot("status-document-sent")

    # ---- an officer approves (through the API): the invoice and the withdrawal terms
    approved = page.request.post(
        f"{base}/api/v1/applications/{run_db(case_id(live_site.settings.database_url, reference))}/decision",
        data={"outcome": "approve", "reason": "Approved for the pages walk", "conditions": []},
        headers={"Authorization": f"Bearer {priced['officer_token']}"},
    )
    assert approved.status == 200, approved.text()
    walk.go(base, status_url, "status-invoice")
    expect(page.locator("#invoice")).to_be_visible()
    expect(page.locator("#withdraw-terms")).to_be_visible()
    page.locator("a[href$='/invoice']").click()
    walk.shot("invoice")
    page.goto(base + status_url)
    page.locator("a[href*='/dates/']").first.click()
    walk.shot("withdraw-date")
    page.locator("form[action*='/dates/'] button[type=submit]").click()
    walk.shot("withdraw-date-errors")
