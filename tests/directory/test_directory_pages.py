"""The directory's pages and the booking form's fixes through the real app over HTTP (issue 18:
items 2, 3 and 5). The browser journey and the accessibility audit are in the browser tests."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.web.booking.date_fields import PARTS
from tests import factories as f
from tests.directory.world import directory_world, held
from tests.web.pages import booking_form_steps, date_fields

Client = AsyncTestClient[Litestar]
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
STATE_RE = re.compile(r'name="state" value="([^"]+)"')
ERROR_LINK_RE = re.compile(r'<a href="#([^"]+)"[^>]*>\s*([^<]+?)\s*</a>')
TAG_RE = re.compile(r"<[^>]+>")


@pytest.fixture
async def world(engine: AsyncEngine) -> dict[str, Any]:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        data = await directory_world(s)
        evening = f.next_weekday(1, weeks_ahead=6, hour=18)
        await held(s, data["hall_a"], evening, hours=3)  # Hall A, a Tuesday 18:00 to 21:00
        await s.commit()
    return data | {"evening": evening}


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


def words(page: str) -> str:
    """The page's text as a reader gets it (tags dropped, entities read, spaces squeezed)."""
    return " ".join(html.unescape(TAG_RE.sub(" ", page)).split())


def date_values(page: str, prefix: str) -> tuple[str, ...]:
    """The day, month and year a date input shows."""
    found = (re.search(rf'name="{prefix}-{part}" type="text"(?: value="([^"]*)")?', page) for part in PARTS)
    return tuple((m.group(1) or "") if m else "" for m in found)


def errors_of(page: str) -> dict[str, str]:
    summary = page.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    return {k: html.unescape(v).strip() for k, v in ERROR_LINK_RE.findall(summary)}


async def test_the_directory_lists_rooms_with_what_they_offer_in_words(
    web: Client, world: dict[str, Any]
) -> None:
    page = await web.get("/venues")
    assert page.status_code == 200
    text = words(page.text)
    assert "Testtown Civic Hall" in text and "Othertown Library" in text
    assert "Up to 150 people: cabaret (round tables) 90, standing 150, theatre (rows of chairs) 150" in text
    assert "Kitchen, Sound system, Stage" in text
    assert "Accessible toilet, Hearing loop, Step-free access" in text  # the Main Hall's, kept sorted
    assert "Bus 12 stops outside." in text
    assert "Not recorded: ask the venue" in text  # the Meeting Room has no access codes
    # Codes are values of the filter's boxes, never words on the page.
    for code in ("hearing_loop", "sound_system", "step_free"):
        assert code not in text
    assert "5 rooms" in text


async def test_filters_narrow_the_list_by_access_capacity_and_facility(
    web: Client, world: dict[str, Any]
) -> None:
    page = await web.get("/venues", params={"capacity": "50", "access": ["hearing_loop"]})
    text = words(page.text)
    assert "2 rooms" in text
    assert "Hall A" in text and "Main Hall" in text and "Hall B" not in text and "Reading Room" not in text
    assert "Othertown Library" not in text
    assert 'value="hearing_loop" checked' in page.text and 'value="step_free" checked' not in page.text
    page = await web.get("/venues", params={"facility": ["projector"], "capacity": "500"})
    assert "0 rooms" in words(page.text)
    assert "No room matches all of these." in words(page.text)


async def test_a_date_and_time_show_only_free_rooms_with_a_link_to_book(
    web: Client, world: dict[str, Any]
) -> None:
    day = world["evening"].date()
    page = await web.get("/venues", params={"date": day.isoformat(), "start": "19:00", "end": "20:30"})
    assert page.status_code == 200
    text = words(page.text)
    long_day = f"{day:%A} {day.day} {day:%B %Y}"
    assert f"3 rooms free on {long_day}, 7pm to 8:30pm" in text
    assert "Hall A" not in text and "Main Hall" not in text  # held, and made of Hall A
    link = f"/book?room={world['hall_b'].id}&amp;date={day.isoformat()}&amp;start=19%3A00&amp;end=20%3A30"
    assert link in page.text
    # A date in the form the hint shows is read the same way.
    typed = await web.get("/venues", params={"date": f"{day:%d/%m/%Y}", "start": "19:00", "end": "20:30"})
    assert f"3 rooms free on {long_day}" in words(typed.text)


async def test_filters_that_cannot_be_read_are_explained_not_failed(
    web: Client, world: dict[str, Any]
) -> None:
    page = await web.get("/venues", params={"date": "31/02/2027", "capacity": "lots"})
    assert page.status_code == 400
    assert errors_of(page.text) == {
        "date": "Enter a real date, for example 27/03/2027",
        "capacity": "Enter the number of people as a whole number, like 40",
    }
    assert 'value="31/02/2027"' in page.text  # what was typed is kept
    page = await web.get("/venues", params={"start": "19:00", "end": "18:00"})
    assert errors_of(page.text) == {
        "end": "The finish time must be after the start time",
        "date": "Enter the date you need the room, to search by time",
    }
    page = await web.get("/venues", params={"start": "19:00", "end": "21:00"})
    assert errors_of(page.text) == {"date": "Enter the date you need the room, to search by time"}
    page = await web.get("/venues", params={"date": "2027-03-09", "start": "19:00"})
    assert errors_of(page.text) == {"end": "Enter both a start and a finish time, or neither"}


async def test_a_room_page_shows_its_month_as_an_accessible_table_without_hirer_details(
    web: Client, world: dict[str, Any]
) -> None:
    day = world["evening"].date()
    month = f"{day:%Y-%m}"
    page = await web.get(f"/venues/rooms/{world['main'].id}", params={"month": month})
    assert page.status_code == 200
    body = page.text
    assert (
        f'<caption class="govuk-caption-m">{day:%B %Y}: free, partly free, booked and closed days</caption>'
        in body
    )
    assert body.count('<th scope="col">') == 7
    text = words(body)
    # The Main Hall is made of Hall A, held that evening: partly free, in words.
    cell = body.split(f"day={day.isoformat()}#free-times")[1][:400]
    assert "Partly free" in cell
    assert "Closed" in text  # Sundays
    assert "Monthly meeting" not in text and "Allotment" not in text and "Morgan" not in text
    assert "Shares space with Hall A, Hall B" in text
    assert "Tuesday: 9am to 10pm" in text and "Sunday: closed" in text
    # Choosing the day lists its free times, each a link to the booking form.
    page = await web.get(f"/venues/rooms/{world['main'].id}", params={"month": month, "day": day.isoformat()})
    text = words(page.text)
    assert f"Free times on {day:%A} {day.day} {day:%B %Y}" in text
    # Held 18:00 to 21:00: free in the morning, the afternoon, from 5pm to 6pm and 9pm to 10pm.
    assert "Morning: 9am to midday" in text and "Afternoon: midday to 5pm" in text
    assert "Evening: 5pm to 6pm" in text and "Evening: 9pm to 10pm" in text
    assert (
        f"/book?room={world['main'].id}&amp;date={day.isoformat()}&amp;start=21%3A00&amp;end=22%3A00"
        in page.text
    )


async def test_a_room_page_moves_between_months_within_the_booking_horizon(
    web: Client, world: dict[str, Any]
) -> None:
    room = world["reading"].id
    today = dt.date.today()
    page = await web.get(f"/venues/rooms/{room}")
    assert "Previous month" not in page.text and "Next month" in page.text
    assert f"{today:%B %Y}" in words(page.text)
    later = today.replace(day=1) + dt.timedelta(days=40)
    page = await web.get(f"/venues/rooms/{room}", params={"month": f"{later:%Y-%m}"})
    assert "Previous month" in page.text
    for nonsense in ("2027-13", "soon", "1999-01"):
        page = await web.get(f"/venues/rooms/{room}", params={"month": nonsense, "day": "never"})
        assert page.status_code == 200 and f"{today:%B %Y}" in words(page.text)
    assert (await web.get("/venues/rooms/00000000-0000-0000-0000-000000000000")).status_code == 404
    assert (await web.get("/venues/rooms/not-a-room")).status_code in (400, 404)


async def start_form(web: Client, query: dict[str, str] | None = None) -> tuple[str, str]:
    page = await web.get("/book", params=query or {})
    assert page.status_code == 200
    token = TOKEN_RE.search(page.text)
    assert token
    return page.text, token.group(1)


async def post(web: Client, html_text: str, token: str, fields: dict[str, Any]) -> Any:
    state = STATE_RE.search(html_text)
    assert state
    return await web.post(
        "/book", data={"state": state.group(1), "csrf_token": token, "nav": "continue", **fields}
    )


async def test_the_booking_form_starts_with_the_room_and_date_filled_in(
    web: Client, world: dict[str, Any]
) -> None:
    day = world["evening"].date()
    room = world["hall_b"]
    form, token = await start_form(
        web, {"room": str(room.id), "date": day.isoformat(), "start": "19:00", "end": "21:00"}
    )
    assert f'<option value="{world["venue"].id}" selected>' in form
    assert date_values(form, "date") == (str(day.day), str(day.month), str(day.year))
    assert 'value="19:00"' in form and 'value="21:00"' in form
    assert "You chose Hall B" in words(form)
    choose = await post(
        web,
        form,
        token,
        {
            "step": "room",
            "venue_id": str(world["venue"].id),
            **date_fields("date", day),
            "start_time": "19:00",
            "end_time": "21:00",
            "repeat": "none",
            "attendance": "20",
        },
    )
    assert choose.status_code == 200
    assert f'id="room_id-{room.id}" name="room_id" type="radio" value="{room.id}" checked' in choose.text
    # A link with nonsense in it starts an empty form rather than failing.
    form, _ = await start_form(web, {"room": "nope", "date": "soon"})
    assert "You chose" not in form and " selected>" not in form


async def test_no_room_big_enough_is_a_dead_end_that_says_so(web: Client, world: dict[str, Any]) -> None:
    day = world["evening"].date() + dt.timedelta(days=1)
    form, token = await start_form(web)
    fields = {
        "step": "room",
        "venue_id": str(world["venue"].id),
        **date_fields("date", day),
        "start_time": "19:00",
        "end_time": "21:00",
        "repeat": "none",
        "attendance": "400",
    }
    choose = await post(web, form, token, fields)
    text = words(choose.text)
    assert "No room at this venue holds 400 people. The largest holds 150." in text
    assert 'value="continue"' not in choose.text  # no Continue, only Back
    assert 'value="back"' in choose.text
    assert "Rooms that are too small for your group" in text
    assert "Hall A: holds up to 60 people" in text and "Main Hall: holds up to 150 people" in text
    assert "/venues?capacity=400" in choose.text
    # With a group the Main Hall holds, the smaller rooms are still named, with their size.
    form, token = await start_form(web)
    choose = await post(web, form, token, fields | {"attendance": "100"})
    text = words(choose.text)
    assert "Main Hall" in text and 'value="continue"' in choose.text
    assert "Rooms that are too small for your group" in text and "Meeting Room: holds up to 12 people" in text


async def test_dates_are_asked_in_the_design_systems_date_input(web: Client, world: dict[str, Any]) -> None:
    form, token = await start_form(web)
    assert "For example, 27 3 2027" in words(form)
    assert all(f'name="date-{part}"' in form for part in ("day", "month", "year"))
    fields = {
        "step": "room",
        "venue_id": str(world["venue"].id),
        "start_time": "19:00",
        "end_time": "21:00",
        "repeat": "none",
        "attendance": "20",
    }
    day = world["evening"].date() + dt.timedelta(days=1)
    for typed, anchor, message in (
        ({}, "date-day", "Enter the date of the event"),
        ({"date-day": "9", "date-year": "2027"}, "date-month", "Date of the event must include a month"),
        ({"date-month": "3"}, "date-day", "Date of the event must include a day and year"),
        (
            {"date-day": "31", "date-month": "2", "date-year": "2027"},
            "date-day",
            "Date of the event must be a real date",
        ),
        (
            {"date-day": "9", "date-month": "13", "date-year": "2027"},
            "date-month",
            "Date of the event must be a real date",
        ),
        (
            {"date-day": "next", "date-month": "tuesday", "date-year": "2027"},
            "date-day",
            "Date of the event must be a real date",
        ),
        ({"date-day": "9", "date-month": "3", "date-year": "27"}, "date-year", "Year must include 4 numbers"),
        (
            {"date-day": "1", "date-month": "1", "date-year": "2020"},
            "date-day",
            "Date of the event must be today or in the future",
        ),
    ):
        refused = await post(web, form, token, fields | typed)
        assert refused.status_code == 400 or refused.status_code == 200, typed
        assert errors_of(refused.text) == {anchor: message}, typed
        # What was typed is shown back to correct, and the field at fault is marked.
        for part, value in typed.items():
            assert f'name="{part}" type="text" value="{value}"' in refused.text
        assert f'id="{anchor}" name="{anchor}"' in refused.text
    # Spaces, leading zeros and month names are read as people type them.
    typed = {
        "date-day": f" 0{day.day} " if day.day < 10 else f" {day.day} ",
        "date-month": day.strftime("%B"),
        "date-year": str(day.year),
    }
    accepted = await post(web, form, token, fields | typed)
    assert accepted.status_code == 200 and "Choose a room" in accepted.text


async def test_the_conditions_of_hire_are_a_public_page_read_from_the_policy_file(web: Client) -> None:
    page = await web.get("/conditions/council-default")
    assert page.status_code == 200
    text = words(page.text)
    assert "Council venue hire and external speakers policy" in text
    assert "The room will be used only for the lawful purpose described in this request." in text
    assert "Only the speakers named in the request may speak." in text
    assert "at least £5,000,000" in text
    assert "responsible_person" not in text  # codes stay in the file
    assert (await web.get("/conditions/no-such-policy")).status_code == 404
    partner = words((await web.get("/conditions/partner-example")).text)
    assert "The hall will be used only for the lawful purpose described in this request." in partner


async def test_the_accessibility_statement_is_linked_from_every_page(
    web: Client, world: dict[str, Any]
) -> None:
    for path in (
        "/",
        "/venues",
        "/book",
        f"/venues/rooms/{world['reading'].id}",
        "/conditions/council-default",
    ):
        footer_link = '<a class="govuk-footer__link" href="/accessibility">Accessibility statement</a>'
        assert footer_link in (await web.get(path)).text, path
    page = await web.get("/accessibility")
    text = words(page.text)
    assert page.status_code == 200
    for heading in (
        "How accessible this service is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in text
    assert "This statement was prepared on Sunday 6 December 2026" in text
    assert "axe-core" in text and "375 pixels" in text


async def test_questions_and_declarations_say_what_to_do_and_link_the_policy(
    web: Client, world: dict[str, Any]
) -> None:
    html_text, token = await start_form(web)
    for fields in booking_form_steps(world, 4):
        response = await post(web, html_text, token, fields)
        assert response.status_code == 200, response.text[:2000]
        html_text = response.text
    assert "A few more questions" in html_text
    assert 'href="/conditions/council-default" target="_blank"' in html_text
    refused = await post(web, html_text, token, {"step": "questions"})
    assert errors_of(refused.text) == {
        "q_alcohol-yes": "Select yes if alcohol will be sold or supplied at the event"
    }
    declarations = await post(web, refused.text, token, {"step": "questions", "q_alcohol": "no"})
    assert "Read the conditions of hire (opens in new tab)" in words(declarations.text)
    assert '<a href="/conditions/council-default#conditions" target="_blank"' in declarations.text
    refused = await post(
        web, declarations.text, token, {"step": "declarations", "declarations": ["lawful_purpose"]}
    )
    messages = errors_of(refused.text)
    assert messages["decl-conditions_of_hire"] == (
        "Tick the box to confirm that we have read and accept the council's conditions of hire, "
        "including any conditions attached to this booking"
    )
    assert "decl-lawful_purpose" not in messages
    assert not any(m.startswith(("Confirm:", "Answer:")) for m in messages.values())


async def test_staff_give_a_new_room_its_facilities_and_layouts(web: Client, seeded: dict[str, Any]) -> None:
    admin = f.bearer(seeded["admin_token"])
    venue_page = f"/officer/venues/{seeded['venue'].id}"

    async def add(fields: dict[str, Any]) -> Any:
        shown = await web.get(venue_page, headers=admin)
        token = TOKEN_RE.search(shown.text)
        assert token
        room = {"room_name": "Garden Room", "capacity": "40", "hours_tue": "09:00-22:00"}
        return await web.post(
            f"{venue_page}/rooms", headers=admin, data=room | fields | {"csrf_token": token.group(1)}
        )

    refused = await add({"layout_theatre": "lots", "facility": ["kitchen"]})
    assert refused.status_code == 400
    assert "Enter how many the theatre layout holds" in refused.text
    assert 'value="kitchen" checked' in refused.text  # kept for the correction
    refused = await add({"layout_theatre": "60"})
    assert refused.status_code == 400
    assert "each layout seats from 1 to the room&#39;s capacity" in refused.text
    added = await add({"layout_theatre": "40", "layout_cabaret": "24", "facility": ["kitchen", "wifi"]})
    assert added.status_code in (200, 303), added.text[:2000]
    listed = words((await web.get("/venues", params={"facility": ["wifi"]})).text)
    assert "1 room" in listed and "Garden Room" in listed
    assert "Up to 40 people: cabaret (round tables) 24, theatre (rows of chairs) 40" in listed
    assert "Kitchen, Wi-Fi" in listed


def test_times_are_read_on_the_24_hour_clock_as_the_hints_show() -> None:
    from api.web.booking.draft import parse_time

    assert parse_time("18:30") == dt.time(18, 30)
    assert parse_time("9:05") == dt.time(9, 5)
    assert parse_time("18.30") == dt.time(18, 30)
    assert parse_time("6:30pm") is None and parse_time("25:00") is None and parse_time("") is None
