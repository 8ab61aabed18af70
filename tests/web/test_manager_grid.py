"""The venue manager's room grid (week and day) and the caretaker's day sheet, over HTTP: what
each shows, that states are told apart in words, that a manager sees only their venues, and
that a page costs the same statements for one booking as for many."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from api.settings import Settings
from api.web.readable import long_date
from tests.casework.test_queue import counted_statements
from tests.factories import application_payload, bearer
from tests.web.manager_world import Client, build_schedule


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Without background delivery: the statements counted are the requests' own."""
    return settings.model_copy(update={"delivery": "off"})


RAW = re.compile(r"FREQ=|\b\d{4}-\d{2}-\d{2}T|\b(?:[01]\d|2[0-3]):[0-5]\d\b")


@pytest.fixture
async def world(client: Client, engine: AsyncEngine, seeded: dict[str, Any]) -> dict[str, Any]:
    return await build_schedule(client, engine, seeded)


def _visible(html: str) -> str:
    """The page's text without tags, attributes or the stylesheet links (hrefs carry ISO dates)."""
    return re.sub(r"<[^>]+>", " ", html)


async def _get(client: Client, token: str, url: str) -> Any:
    return await client.get(url, headers=bearer(token))


async def test_week_grid_shows_each_state_in_words_in_its_room_column(
    client: Client, seeded: dict[str, Any], world: dict[str, Any]
) -> None:
    venue = seeded["venue"].id
    friday = (world["day"] + dt.timedelta(days=2)).isoformat()
    closure = {"start_date": friday, "end_date": friday, "reason": "Floor sanding"}
    made = await client.post(
        f"/api/v1/venues/{venue}/closures", json=closure, headers=bearer(seeded["admin_token"])
    )
    assert made.status_code == 201, made.text
    page = await _get(client, seeded["manager_token"], f"/manager/venues/{venue}/week?week={world['day']}")
    assert page.status_code == 200, page.text
    html = page.text
    # Rooms are the columns, in name order; days the rows.
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headers == ["Hall A", "Hall B", "Main Hall", "Meeting Room"]
    assert long_date(world["day"]) in html
    for name, label in (
        ("Quillmere Chess Club", "Confirmed"),
        ("Larkbeck Knitting Circle", "Approved: hirer to accept conditions"),
        ("Fenwold Choir", "Request: not yet decided"),
    ):
        block = html[html.index(name) - 400 : html.index(name)]
        assert label in block, (name, label)
    # A booking of a linked room shows in the columns of the rooms it takes up.
    assert "In use: Hall A is booked" in html and "In use: Main Hall is booked" in html
    assert "7pm to 9pm" in html and "10am to midday" in html and "2:30pm to 4:30pm" in html
    # The Meeting Room opens on Tuesdays only: its other days say so rather than "Free".
    assert html.count("Closed on Wednesdays") == 1 and "Closed on Tuesdays" not in html
    assert html.count("Closed: Floor sanding") == 4  # the whole venue, every room
    # Not the other venue's, and nothing raw.
    assert "Zarrowby" not in html
    assert not RAW.search(_visible(html)), RAW.search(_visible(html))


async def test_day_grid_spans_rows_and_one_room_at_a_time(
    client: Client, seeded: dict[str, Any], world: dict[str, Any]
) -> None:
    venue = seeded["venue"].id
    url = f"/manager/venues/{venue}/day?date={world['day']}"
    html = (await _get(client, seeded["manager_token"], url)).text
    assert "Quillmere Chess Club" in html and "Fenwold Choir" in html
    # A two-hour booking spans four half-hour rows.
    assert html.count('rowspan="4"') >= 3
    assert "Closed on Wednesdays" in html  # the Meeting Room's column header
    times = re.findall(r'<th scope="row" class="room-grid__time">([^<]+)</th>', html)
    assert times[:3] == ["8am", "8:30am", "9am"] and "midday" in times and times[-1] == "9:30pm"
    # The room chooser's links narrow the grid to one column.
    link = re.search(r'href="([^"]*room=' + str(seeded["hall_b"].id) + ')"', html)
    assert link, "no link to Hall B alone"
    one = (await _get(client, seeded["manager_token"], link.group(1).replace("&amp;", "&"))).text
    assert re.findall(r'<th scope="col">([^<]+)</th>', one) == ["Hall B"]
    assert "Fenwold Choir" in one and "Quillmere" not in one
    assert not RAW.search(_visible(html))


async def test_day_sheet_gives_the_caretaker_what_they_need_and_no_more(
    client: Client, seeded: dict[str, Any], world: dict[str, Any]
) -> None:
    venue = seeded["venue"].id
    html = (
        await _get(client, seeded["manager_token"], f"/manager/venues/{venue}/day-sheet?date={world['day']}")
    ).text
    assert "Quillmere Chess Club" in html and "Larkbeck Knitting Circle" in html
    # Set-up and clear-down from the room's buffers (Hall A: 15 minutes after).
    assert "Set up from 7pm" in html and "Cleared by 9:15pm" in html
    assert "A named responsible person from the hirer is present throughout" in html
    assert "Morgan Testwell" in html and "07700 900555" in html
    # Undecided requests, email addresses, screening and answers are not the caretaker's business.
    assert "Fenwold Choir" not in html
    assert "morgan@testtown.example" not in html
    assert "In use:" not in html
    assert "@media print" in (await client.get("/static/manager.css")).text
    assert not RAW.search(_visible(html))


async def test_manager_sees_only_their_venues(
    client: Client, seeded: dict[str, Any], world: dict[str, Any]
) -> None:
    token = seeded["manager_token"]
    other = world["other_venue"].id
    for view in ("week", "day", "day-sheet"):
        theirs = await _get(client, token, f"/manager/venues/{other}/{view}?date={world['day']}")
        assert theirs.status_code == 404, (view, theirs.status_code)
        assert "Zarrowby" not in theirs.text
        missing = await _get(client, token, f"/manager/venues/{uuid.uuid4()}/{view}")
        assert missing.status_code == 404
    home = (await _get(client, token, f"/manager?week={world['day']}")).text
    assert "Quillmere Chess Club" in home and "Zarrowby" not in home and "Othertown" not in home
    # An officer of the owner sees the other venue, and can switch between the two.
    url = f"/manager/venues/{other}/week?week={world['day']}"
    officer = (await _get(client, seeded["officer_token"], url)).text
    assert "Zarrowby Poetry Society" in officer
    assert "Testtown Civic Hall" in officer  # the venue chooser


async def test_each_view_costs_the_same_statements_for_one_booking_as_for_many(
    app: Litestar, client: Client, seeded: dict[str, Any], world: dict[str, Any]
) -> None:
    # The app's own engine only: an earlier test's app may still be delivering in the background.
    own = app.state.db_config.get_engine().sync_engine
    venue = seeded["venue"].id
    token = seeded["manager_token"]
    urls = [
        f"/manager/venues/{venue}/week?week={world['day']}",
        f"/manager/venues/{venue}/day?date={world['day']}",
        f"/manager/venues/{venue}/day-sheet?date={world['day']}",
    ]
    before = []
    for url in urls:
        with counted_statements(own) as seen:
            assert (await _get(client, token, url)).status_code == 200
        before.append(len(seen))
    assert all(n >= 5 for n in before), before  # the schedule alone reads five times: counted
    # Six more requests on the same day in every room, across the afternoon.
    for i, room in enumerate(("hall_a", "hall_b", "main", "hall_a", "hall_b", "hall_b")):
        start = world["start"].replace(hour=13 + i)
        body = application_payload(seeded[room].id, start, hours=1, organisation=f"Extra Group {i}")
        assert (await client.post("/api/v1/applications", json=body)).status_code == 201
    for url, count in zip(urls, before, strict=True):
        with counted_statements(own) as seen:
            page = await _get(client, token, url)
        assert page.status_code == 200
        assert "Extra Group 5" in page.text or "day-sheet" in url
        assert len(seen) == count, (url, count, seen)


async def test_a_bad_date_or_room_in_the_address_is_not_an_error(
    client: Client, seeded: dict[str, Any], world: dict[str, Any]
) -> None:
    venue = seeded["venue"].id
    for url in (
        f"/manager/venues/{venue}/week?week=not-a-date",
        f"/manager/venues/{venue}/day?date=2027-02-30&room=nonsense",
        f"/manager/venues/{venue}/day-sheet?date=",
        f"/manager?week={dt.date(2027, 1, 6)}&room={uuid.uuid4()}",
    ):
        assert (await _get(client, seeded["manager_token"], url)).status_code == 200, url
