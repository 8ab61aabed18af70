"""Prices in the directory (issue 18 item 2, "price from the charges issue when present"): the
list gives each room's lowest standard price and the room's page its rate bands, deposit and
concessions, from the venue's rate card, in English and Welsh; a venue that does not charge shows
no price."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from policies.rate_card_loader import bundled_rate_card
from tests.directory.test_directory_pages import Client, words
from tests.directory.test_directory_pages import web as web  # the fixture
from tests.directory.world import directory_world
from venues.charges.room_prices import room_prices
from venues.models import Venue


@pytest.fixture
async def priced(engine: AsyncEngine) -> dict[str, Any]:
    """The directory's world, the civic hall priced by the council halls' card."""
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        data = await directory_world(s)
        venue = await s.get(Venue, data["venue"].id)
        assert venue is not None
        venue.rate_card_id = "council-halls"
        await s.commit()
    return data


def _room_card(page: str, room: str) -> str:
    """The words of one room's entry in the list."""
    cards = [c.split("</li>", 1)[0] for c in page.split('<li class="room-card">')[1:]]
    return words(next(c for c in cards if f">{room}</a>" in c))


async def test_the_list_gives_each_priced_room_its_lowest_price(web: Client, priced: dict[str, Any]) -> None:
    page = (await web.get("/venues")).text
    assert "Price From £24.00 an hour" in _room_card(page, "Hall A")
    assert "Price" not in _room_card(page, "Reading Room")  # the library does not charge
    assert words(page).count("From £24.00 an hour") == 4  # the civic hall's four rooms


async def test_a_room_page_lists_its_rates_deposit_and_concessions(
    web: Client, priced: dict[str, Any]
) -> None:
    text = words((await web.get(f"/venues/rooms/{priced['hall_a'].id}")).text)
    assert "Prices Hire of Hall A, by day and time Days Times Price" in text
    assert "Monday to Friday 8am to 5pm £24.00 an hour" in text
    assert "Monday to Friday 5pm to 11pm £32.00 an hour" in text
    assert "Saturday and Sunday 8am to 11pm £38.00 an hour" in text
    assert "Bank holidays 8am to 11pm £50.00 an hour" in text
    assert "You pay for at least 2 hours each date" in text
    assert "A refundable deposit of £50.00 is asked for each booking." in text
    assert "Registered charity: 40% off the hire" in text and "Community or voluntary group: 25% off" in text
    assert "VAT is added" not in text  # the card's hire is exempt
    unpriced = words((await web.get(f"/venues/rooms/{priced['reading'].id}")).text)
    assert "Prices" not in unpriced and "£" not in unpriced


async def test_prices_read_in_welsh(web: Client, priced: dict[str, Any]) -> None:
    text = words((await web.get("/venues?lang=cy")).text)
    assert "O £24.00 yr awr" in text
    text = words((await web.get(f"/venues/rooms/{priced['hall_a'].id}?lang=cy")).text)
    assert "Dydd Llun i ddydd Gwener" in text and "£32.00 yr awr" in text
    assert "Rydych yn talu am o leiaf 2 awr bob dyddiad" in text
    assert "From £" not in text and "an hour" not in text


def test_a_taxed_room_sold_by_the_session_is_priced_from_its_cheapest_session() -> None:
    card = bundled_rate_card("council-halls")
    chamber = room_prices(card, "Council Chamber")
    assert chamber is not None
    assert (chamber.lowest.per, chamber.lowest.pence, chamber.vat_added) == ("session", 15000, True)
    assert chamber.minimum_hours == 3 and chamber.deposit_pence == 10000
    assert [b.start_minutes for b in chamber.bands] == [480, 780, 1080]  # morning, afternoon, evening
    assert room_prices(None, "Hall A") is None
