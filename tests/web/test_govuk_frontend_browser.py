"""The pages on the real GOV.UK Frontend (issue 18 item 1): every public page audited with axe-core
at 1280 and 375 px and screenshotted (govuk-*.png); no page, public or staff, scrolls sideways
at 375 px; the Design System's components do what they are for."""

from __future__ import annotations

import asyncio
import re
import threading
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.models import User
from tests import factories as f
from tests.factories import next_weekday
from tests.web.conftest import LiveSite
from tests.web.pages import audit, fill_date, sign_in
from venues.models import Venue

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)
# The innermost elements reaching past the screen's right edge, to say what to fix.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 376 && ![...e.children].some(
    c => c.getBoundingClientRect().right > 376))
  .slice(0, 6)
  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'))"""


def no_sideways_scroll(page: Any, where: str) -> None:
    """At 375 px nothing may be wider than the screen (WCAG 1.4.10, reflow)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDEST) if width > 375 else []
    assert width <= 375, f"{where} ({page.url}) is {width} px wide at 375 px; widest: {wide}"


def check_both_widths(page: Any, name: str) -> None:
    """axe-core and a screenshot at each width; no sideways scroll at the narrow one."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        audit(page, f"govuk-{name}-{width}")
        if width == 375:
            no_sideways_scroll(page, name)
    page.set_viewport_size({"width": 1280, "height": 900})


def _in_thread(coroutine: Any) -> Any:
    # The browser fixture's event loop runs in this thread; the seeding gets a loop of its own.
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(asyncio.run(coroutine)))
    thread.start()
    thread.join()
    return out[0]


async def _staff(db_url: str) -> dict[str, str]:
    """An administrator and a venue manager of their own, so no other test's one-time code
    collides with theirs."""
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            venue = (await s.execute(select(Venue).limit(1))).scalar_one()
            admin, _ = await f.make_staff(s, "admin", email="govuk-admin@testshire.example")
            manager, _ = await f.make_staff(
                s, "venue_manager", email="govuk-manager@testshire.example", venue_ids=[venue.id]
            )
            secrets = {}
            for who, staff in (("admin", admin), ("manager", manager)):
                user = await s.get(User, staff.id)
                assert user is not None
                user.totp_secret = secrets.setdefault(who, pyotp.random_base32())
            await s.commit()
            return secrets
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def staff_secrets(live_site: LiveSite) -> dict[str, str]:
    return _in_thread(_staff(live_site.settings.database_url))


def test_every_public_page_on_govuk_frontend(live_site: LiveSite, context: Any) -> None:
    base = live_site.url
    page = context.new_page()
    page.goto(base + "/")
    # The council's header and the phase banner; no crown, no GOV.UK Transport font.
    expect(page.locator(".govuk-generic-header")).to_contain_text(live_site.settings.council_name)
    expect(page.locator(".govuk-phase-banner .govuk-tag")).to_have_text("Beta")
    expect(page.locator(".govuk-phase-banner").get_by_role("link", name="give your feedback")).to_be_visible()
    assert page.locator("svg.govuk-logo, .govuk-footer__crown, .govuk-header__logotype").count() == 0
    font = page.evaluate("getComputedStyle(document.querySelector('.govuk-heading-xl')).fontFamily")
    assert "GDS Transport" not in font and "arial" in font.lower()
    brand = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--govuk-brand-colour').trim()"
    )
    assert brand.lower() == live_site.settings.council_colour.lower()
    check_both_widths(page, "start")
    for path, name in (
        ("/venues", "directory"),
        (f"/venues/rooms/{live_site.data['hall_a'].id}", "room"),
        ("/conditions/council-default", "conditions"),
        ("/accessibility", "accessibility"),
        ("/login", "staff-sign-in"),
    ):
        page.goto(base + path)
        check_both_widths(page, name)

    # The booking form, page by page.
    page.goto(base + "/book")
    check_both_widths(page, "book-room")
    page.get_by_role("button", name="Find rooms").click()
    # The error summary links each message to its field; the date links to its day field.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Enter the date of the event").click()
    expect(page.locator("#date-day")).to_be_focused()
    check_both_widths(page, "book-room-errors")
    when = next_weekday(3, weeks_ahead=9, hour=18)
    page.get_by_label("Venue").select_option(value=str(live_site.data["venue"].id))
    group = page.get_by_role("group", name="Date of the event")
    group.get_by_label("Day").fill(str(when.day))
    group.get_by_label("Year").fill(str(when.year))
    page.get_by_label("Start time").fill("18:00")
    page.get_by_label("Finish time").fill("20:00")
    page.get_by_label("How many people will attend").fill("20")
    page.get_by_role("button", name="Find rooms").click()
    expect(summary).to_contain_text("Date of the event must include a month")
    expect(page.locator("#date-month")).to_have_class(re.compile(r"govuk-input--error"))
    # When a repeat stops is revealed under the answer that needs it (conditional reveal).
    page.locator("#repeat-weekly").check()
    expect(page.get_by_label("How many times in total")).to_be_visible()
    expect(page.get_by_role("group", name="Date of the last one")).to_be_hidden()
    page.locator("#repeat_end-until").check()
    expect(page.get_by_role("group", name="Date of the last one")).to_be_visible()
    expect(page.get_by_label("How many times in total")).to_be_hidden()
    page.locator("#repeat-none").check()
    fill_date(page, "Date of the event", when.date())
    page.get_by_role("button", name="Find rooms").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a room")
    check_both_widths(page, "book-choose")
    # The Back link at the top returns to the first page with its answers.
    page.locator(".back-form").get_by_role("button", name="Back").click()
    expect(page.locator("#date-day")).to_have_value(str(when.day))
    page.get_by_role("button", name="Find rooms").click()
    page.get_by_label("Hall B").check()
    page.get_by_role("button", name="Continue").click()
    check_both_widths(page, "book-organisation")
    page.get_by_label("Name of the organisation or group").fill("Testtown Origami Circle")
    page.get_by_label("Type of organisation").select_option("club")
    page.get_by_label("Full name").fill("Kit Testfold")
    page.get_by_label("Email address").fill("kit@testtown.example")
    page.get_by_role("button", name="Continue").click()
    check_both_widths(page, "book-people")
    page.locator("#person_0_name").fill("Kit Testfold")
    page.locator("#person_0_role").select_option("officer")
    page.get_by_role("button", name="Continue").click()
    check_both_widths(page, "book-event")
    page.get_by_label("Title of the event").fill("Origami afternoon")
    page.locator("#open_to_public-no").check()
    page.locator("#under_18s-yes").check()
    page.locator("#adults_at_risk-no").check()
    page.get_by_role("button", name="Continue").click()
    # The DBS question follows "No" to the carers question: revealed under it, not asked apart.
    expect(page.get_by_role("heading", level=1)).to_have_text("A few more questions")
    dbs = page.get_by_role("group", name="Have the people who will look after children")
    expect(dbs).to_be_hidden()
    page.locator("#q_own_carers_only-no").check()
    expect(dbs).to_be_visible()
    check_both_widths(page, "book-questions")
    dbs.get_by_label("Yes").check()
    page.locator("#q_alcohol-no").check()
    page.get_by_role("button", name="Continue").click()
    check_both_widths(page, "book-declarations")
    for box in page.locator("input[name=declarations]").all():
        box.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-summary-list").first).to_be_visible()
    check_both_widths(page, "book-check")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Request sent")
    check_both_widths(page, "book-sent")
    page.locator("#status-link").click()
    expect(page.locator("main .govuk-tag").first).to_have_text("Being reviewed")
    check_both_widths(page, "status")


def test_no_staff_page_scrolls_sideways_at_375(
    staff_secrets: dict[str, str], live_site: LiveSite, context: Any
) -> None:
    base = live_site.url
    page = context.new_page()
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, base, "govuk-admin@testshire.example", totp_secret=staff_secrets["admin"])
    venue = live_site.data["venue"]
    for path in (
        "/officer",
        "/officer/flagged",
        "/officer/reports",
        "/officer/venues",
        f"/officer/venues/{venue.id}",
        "/officer/users",
        "/officer/partnerships",
        "/officer/organisations",
        "/admin/messages",
        "/admin/outbox",
        "/account",
    ):
        page.goto(base + path)
        assert page.locator("main").count() == 1, path
        no_sideways_scroll(page, path)
    # A case's page too, when this session's other tests have sent a request (the first test
    # of this module does).
    page.goto(base + "/officer")
    links = page.locator("main a[href^='/officer/cases/']")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    # The case page itself (the queue also links to a case's documents and invoice), loaded fully.
    case_pages = [h for h in hrefs if re.fullmatch(r"/officer/cases/[0-9a-f-]{36}", h)]
    if case_pages:
        page.goto(base + case_pages[0])
        no_sideways_scroll(page, "a case's page")
    # The staff menu folds behind "Menu" on a small screen (govuk-frontend's script).
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_role("link", name="Flagged list")).to_be_visible()
    audit(page, "govuk-staff-menu-375")

    manager = context.browser.new_context(viewport={"width": 375, "height": 800}, bypass_csp=True)
    try:
        mpage = manager.new_page()
        sign_in(
            mpage,
            base,
            "govuk-manager@testshire.example",
            totp_secret=staff_secrets["manager"],
            next_path="/manager",
        )
        for path in ("/manager", "/manager/cases", "/manager/feeds", "/account"):
            mpage.goto(base + path)
            no_sideways_scroll(mpage, path)
    finally:
        manager.close()


def test_govuk_frontend_starts_under_the_pages_content_security_policy(
    live_site: LiveSite, browser: Any
) -> None:
    # The other tests bypass the policy to inject axe-core; this one keeps it.
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(live_site.url + "/book")
        expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
        page.locator("#repeat_end-until").check()
        expect(page.get_by_role("group", name="Date of the last one")).to_be_visible()
        expect(page.get_by_label("How many times in total")).to_be_hidden()
        assert refused == []
    finally:
        ctx.close()
