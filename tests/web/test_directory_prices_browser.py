"""Prices in the room directory in a real browser (issue 18 item 2): the list and a room's page
show what the venue's rate card charges, in English and Welsh, audited with axe-core at 1280
and 375 pixels wide, with no sideways scrolling on the narrow screen."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import LiveSite
from tests.web.pages import audit
from tests.web.test_directory_browser import no_sideways_scroll
from tests.web.test_directory_browser import sized as sized  # the fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def priced_site(live_site: LiveSite) -> Iterator[LiveSite]:
    """The live site with its civic hall priced by the council halls' card, for this test only
    (the other browser tests book rooms at a venue that does not charge)."""
    path = live_site.settings.database_url.split("///", 1)[1]
    venue = live_site.data["venue"].id

    def set_card(card: str | None) -> None:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE venue SET rate_card_id = ? WHERE id = ?", (card, venue.bytes))

    set_card("council-halls")
    try:
        yield live_site
    finally:
        set_card(None)


def test_prices_show_on_the_list_and_on_a_rooms_page_in_both_languages(
    priced_site: LiveSite, sized: tuple[str, Any]
) -> None:
    size, ctx = sized
    page = ctx.new_page()
    page.goto(priced_site.url + "/venues")
    # The civic hall's own card: other browser tests on the shared live site add priced venues.
    hall = page.locator(f'section[aria-labelledby="venue-{priced_site.data["venue"].id}"]')
    expect(hall.get_by_text("From £24.00 an hour")).to_have_count(3)  # the civic hall's rooms
    audit(page, f"directory-prices-list-{size}")
    if size == "narrow":
        no_sideways_scroll(page)

    hall.get_by_role("link", name="Hall A").click()
    prices = page.get_by_role("table", name="Hire of Hall A, by day and time")
    expect(prices.get_by_role("row", name="Monday to Friday 5pm to 11pm £32.00 an hour")).to_be_visible()
    expect(page.get_by_text("A refundable deposit of £50.00 is asked for each booking.")).to_be_visible()
    audit(page, f"directory-prices-room-{size}")
    if size == "narrow":
        no_sideways_scroll(page)

    page.locator("a[hreflang=cy]").first.click()
    expect(page.get_by_role("heading", name="Prisiau")).to_be_visible()
    expect(page.get_by_role("row", name="Dydd Llun i ddydd Gwener 5yh i 11yh £32.00 yr awr")).to_be_visible()
    audit(page, f"directory-prices-room-cy-{size}", lang="cy")
    if size == "narrow":
        no_sideways_scroll(page)
    page.locator("a[hreflang=en]").first.click()  # the language is remembered: put it back
