"""The room directory in a real browser (issue 18): a hirer finds a room by accessibility and
capacity, opens its calendar, picks a free evening and reaches the booking form with the room
and date filled in; the no-fit dead end; every new public page audited with axe-core at 1280
and 375 pixels wide, with no sideways scrolling on the narrow screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.factories import next_weekday
from tests.web.conftest import LiveSite
from tests.web.pages import audit, fill_date

pytestmark = pytest.mark.browser
WIDTHS = {"wide": 1280, "narrow": 375}


@pytest.fixture(params=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, Any]]:
    width = WIDTHS[request.param]
    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB", bypass_csp=True)
    ctx.set_default_timeout(15_000)
    yield request.param, ctx
    ctx.close()


def no_sideways_scroll(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def check(page: Any, name: str, size: str) -> None:
    audit(page, f"directory-{name}-{size}")
    if size == "narrow":
        no_sideways_scroll(page)


def long_date(day: Any) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_a_hirer_finds_a_room_by_access_and_size_and_starts_booking_a_free_evening(
    live_site: LiveSite, sized: tuple[str, Any]
) -> None:
    size, ctx = sized
    hirer = ctx.new_page()
    hirer.goto(live_site.url + "/")
    hirer.get_by_role("link", name="find a room by date, size and accessibility").click()
    expect(hirer.get_by_role("heading", level=1)).to_have_text("Find a room")
    check(hirer, "list", size)

    hirer.get_by_label("Hearing loop").check()
    hirer.get_by_label("Number of people").fill("40")
    hirer.get_by_role("button", name="Show rooms").click()
    results = hirer.locator(".directory__results")
    expect(results.get_by_role("heading", level=2)).to_have_text("1 room")
    expect(results.get_by_role("link", name="Hall A")).to_be_visible()
    expect(results.get_by_role("link", name="Reading Room")).to_have_count(0)
    expect(hirer.get_by_label("Hearing loop")).to_be_checked()  # the filter shows what was asked
    check(hirer, "filtered", size)

    results.get_by_role("link", name="Hall A").click()
    expect(hirer.get_by_role("heading", level=1)).to_have_text("Hall A")
    target = next_weekday(3, weeks_ahead=7, hour=17)
    day = target.date()
    calendar = hirer.get_by_role("table")
    while not calendar.locator("caption").inner_text().startswith(f"{day:%B %Y}"):
        hirer.get_by_role("link", name="Next month").click()
    expect(calendar.get_by_role("columnheader")).to_have_count(7)
    day_link = calendar.get_by_role("link", name=f"{long_date(day)}: Free", exact=True)
    expect(day_link).to_be_visible()
    check(hirer, "room-calendar", size)

    day_link.click()
    expect(hirer.get_by_role("heading", name=f"Free times on {long_date(day)}")).to_be_visible()
    check(hirer, "room-day", size)
    hirer.get_by_role("link", name="Evening: 5pm to 11pm").click()

    expect(hirer.get_by_role("heading", level=1)).to_have_text("When and where do you need a room?")
    expect(hirer.get_by_text("You chose Hall A from the list of rooms.")).to_be_visible()
    expect(hirer.get_by_label("Venue")).to_have_value(str(live_site.data["venue"].id))
    group = hirer.get_by_role("group", name="Date of the event")
    expect(group.get_by_label("Day")).to_have_value(str(day.day))
    expect(group.get_by_label("Month")).to_have_value(str(day.month))
    expect(group.get_by_label("Year")).to_have_value(str(day.year))
    expect(hirer.get_by_label("Start time")).to_have_value("17:00")
    expect(hirer.get_by_label("Finish time")).to_have_value("23:00")
    check(hirer, "book-prefilled", size)
    hirer.get_by_label("Finish time").fill("21:00")
    hirer.get_by_label("How many people will attend").fill("40")
    hirer.get_by_role("button", name="Find rooms").click()
    expect(hirer.get_by_role("heading", level=1)).to_have_text("Choose a room")
    expect(hirer.get_by_label("Hall A")).to_be_checked()
    hirer.get_by_role("button", name="Continue").click()
    expect(hirer.get_by_role("heading", level=1)).to_have_text("Your organisation and contact details")


def test_no_room_big_enough_is_a_dead_end_without_continue(
    live_site: LiveSite, sized: tuple[str, Any]
) -> None:
    size, ctx = sized
    hirer = ctx.new_page()
    hirer.goto(live_site.url + "/book")
    when = next_weekday(4, weeks_ahead=8, hour=19)
    hirer.get_by_label("Venue").select_option(value=str(live_site.data["venue"].id))
    fill_date(hirer, "Date of the event", when.date())
    hirer.get_by_label("Start time").fill("19:00")
    hirer.get_by_label("Finish time").fill("21:00")
    hirer.get_by_label("How many people will attend").fill("400")
    hirer.get_by_role("button", name="Find rooms").click()
    expect(
        hirer.get_by_text("No room at this venue holds 400 people. The largest holds 150.")
    ).to_be_visible()
    expect(hirer.get_by_role("button", name="Continue")).to_have_count(0)
    expect(hirer.get_by_role("heading", name="Rooms that are too small for your group")).to_be_visible()
    expect(hirer.get_by_text("Hall A: holds up to 60 people")).to_be_visible()
    check(hirer, "book-no-room-fits", size)
    hirer.get_by_role("link", name="find a room that holds 400 people").click()
    expect(hirer.get_by_label("Number of people")).to_have_value("400")
    expect(hirer.locator(".directory__results").get_by_role("heading", level=2)).to_have_text("0 rooms")
    hirer.get_by_role("link", name="Accessibility statement").click()
    expect(hirer.get_by_role("heading", level=1)).to_have_text(
        "Accessibility statement for Book a council room"
    )
    check(hirer, "accessibility-statement", size)


def test_the_filter_errors_and_the_conditions_of_hire_pass_the_audit(
    live_site: LiveSite, sized: tuple[str, Any]
) -> None:
    size, ctx = sized
    page = ctx.new_page()
    page.goto(live_site.url + "/venues?start=19:00&end=18:00&capacity=lots")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    check(page, "filter-errors", size)
    summary.get_by_role("link", name="Enter the number of people as a whole number, like 40").click()
    expect(page.get_by_label("Number of people")).to_be_focused()
    page.goto(live_site.url + "/conditions/council-default")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Council venue hire and external speakers policy"
    )
    check(page, "conditions-of-hire", size)
