"""Welsh on the public pages (issue 18 item 4): the catalogue is complete, the switch and its
cookie work, public pages and booking errors render in Welsh, staff pages stay in English, and
dates are written in the reader's language.

The catalogue test extracts the marked strings itself (as `make translations` does, from
api/translations/babel.cfg), so a string wrapped in a template or module but not yet translated
fails here rather than reaching a Welsh reader in English.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from api.web import i18n
from api.web.readable import clock, date_time, long_date, number, time_range
from tests.factories import application_payload, next_weekday
from tests.web.sign_in import sign_in_officer

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "api" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
Client = AsyncTestClient[Litestar]
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
STATE_RE = re.compile(r'name="state" value="([^"]+)"')


def extracted() -> dict[str, list[str]]:
    """Every msgid the sources mark, with where it is (file:line), as pybabel extract finds them."""
    with (TRANSLATIONS / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        # A plural (ngettext) is one catalogue entry, found by its singular.
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


def test_every_marked_string_has_a_welsh_translation() -> None:
    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    strings = extracted()
    assert len(strings) > 150, "extraction found too few strings: is babel.cfg mapping the templates?"
    missing = []
    for msgid, where in sorted(strings.items()):
        entry = catalog.get(msgid)
        translated = (
            entry is not None
            and not entry.fuzzy
            and all(entry.string if isinstance(entry.string, tuple) else (entry.string,))
        )
        if not translated:
            missing.append(f"{msgid!r} ({where[0]})")
    assert not missing, f"{len(missing)} strings have no Welsh translation:\n" + "\n".join(missing[:40])


def test_the_catalogue_keeps_the_placeholders_of_each_string() -> None:
    """A translation that drops or misspells %(name)s would fail at render time, on a Welsh page."""
    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    placeholder = re.compile(r"%\((\w+)\)s")
    wrong = [
        m.id
        for m in catalog
        if m.id
        and isinstance(m.id, str)
        and isinstance(m.string, str)
        and m.string
        and sorted(placeholder.findall(m.id)) != sorted(placeholder.findall(m.string))
    ]
    assert not wrong


def test_dates_times_and_numbers_in_welsh() -> None:
    day = dt.date(2026, 12, 8)
    assert long_date(day) == "Tuesday 8 December 2026"
    i18n.set_language("cy")
    assert long_date(day) == "Dydd Mawrth 8 Rhagfyr 2026"
    assert clock(dt.time(19, 30)) == "7:30yh"
    assert clock(dt.time(12, 0)) == "canol dydd"
    assert time_range(dt.time(9), dt.time(17)) == "9yb i 5yh"
    assert date_time(dt.datetime(2026, 12, 8, 19, 0)) == "Dydd Mawrth 8 Rhagfyr 2026 am 7yh"
    assert number(1200) == "1,200"


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def test_the_switch_sets_a_cookie_that_later_pages_follow(web: Client, seeded: dict[str, Any]) -> None:
    english = await web.get("/")
    assert '<html lang="en-GB"' in english.text
    assert "Book a council room" in english.text
    assert 'href="/?lang=cy"' in english.text and ">Cymraeg</span></a>" in english.text

    welsh = await web.get("/?lang=cy")
    assert "venue_hire_lang=cy" in welsh.headers.get("set-cookie", "")
    assert '<html lang="cy"' in welsh.text
    assert "Archebu ystafell gan y cyngor" in welsh.text
    assert "Book a council room" not in welsh.text
    assert ">English</span></a>" in welsh.text

    # No ?lang= now: the cookie alone keeps the next public page in Welsh.
    directory = await web.get("/venues")
    assert '<html lang="cy"' in directory.text
    assert "Datganiad hygyrchedd" in directory.text  # the footer's link

    back = await web.get("/venues?lang=en")
    assert '<html lang="en-GB"' in back.text
    assert "venue_hire_lang=en" in back.headers.get("set-cookie", "")
    assert '<html lang="en-GB"' in (await web.get("/")).text


async def test_an_unknown_language_is_ignored(web: Client, seeded: dict[str, Any]) -> None:
    page = await web.get("/?lang=fr")
    assert page.status_code == 200
    assert '<html lang="en-GB"' in page.text
    assert "venue_hire_lang" not in page.headers.get("set-cookie", "")


async def test_booking_errors_in_welsh(web: Client, seeded: dict[str, Any]) -> None:
    page = await web.get("/book?lang=cy")
    assert '<html lang="cy"' in page.text
    token, state = TOKEN_RE.search(page.text), STATE_RE.search(page.text)
    assert token and state
    response = await web.post(
        "/book",
        data={"csrf_token": token.group(1), "state": state.group(1), "step": "room", "nav": "continue"},
    )
    assert response.status_code == 400
    assert "Mae problem" in response.text  # the error summary's title
    assert "Dewiswch leoliad" in response.text
    assert "Rhowch ddyddiad y digwyddiad" in response.text
    assert "Select a venue" not in response.text


async def test_the_booking_form_switches_language_without_losing_answers(
    web: Client, seeded: dict[str, Any]
) -> None:
    page = await web.get("/book")
    token, state = TOKEN_RE.search(page.text), STATE_RE.search(page.text)
    assert token and state
    response = await web.post(
        "/book?lang=cy",
        data={"csrf_token": token.group(1), "state": state.group(1), "step": "room", "nav": "stay"},
    )
    assert response.status_code == 200
    assert '<html lang="cy"' in response.text
    assert "Pryd a ble mae angen ystafell arnoch chi?" in response.text
    assert "venue_hire_lang=cy" in response.headers.get("set-cookie", "")


async def test_staff_pages_stay_in_english(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await sign_in_officer(web, session, seeded)
    web.cookies.set("venue_hire_lang", "cy", domain="testserver.local")
    queue = await web.get("/officer")
    assert queue.status_code == 200
    assert '<html lang="en-GB"' in queue.text
    assert "Cymraeg" not in queue.text  # no switch on staff pages


def test_the_venues_labels_are_all_marked_for_translation() -> None:
    from api.web.i18n_labels import VENUE_LABELS
    from venues.room_days import DAY_PARTS
    from venues.venue_service import ACCESSIBILITY_FEATURES, FACILITIES, LAYOUTS

    parts = [name for name, _start, _end in DAY_PARTS]
    labels = [*ACCESSIBILITY_FEATURES.values(), *FACILITIES.values(), *LAYOUTS.values(), *parts]
    assert sorted(labels) == sorted(VENUE_LABELS)


async def test_the_status_page_in_welsh(web: Client, seeded: dict[str, Any]) -> None:
    start = next_weekday(2, weeks_ahead=6)
    created = await web.post("/api/v1/applications", json=application_payload(seeded["hall_a"].id, start))
    assert created.status_code == 201, created.text
    page = await web.get(f"/status/{created.json()['applicant_token']}?lang=cy")
    assert page.status_code == 200
    assert '<html lang="cy"' in page.text
    assert "Sefyllfa eich cais" in page.text
    assert "Yn cael ei adolygu" in page.text  # the status tag
    i18n.set_language("cy")
    assert f"{long_date(start)}, 7yh i 9yh" in page.text
    assert long_date(start).startswith("Dydd Mercher ")
    assert "Where your request stands" not in page.text


async def test_the_directory_and_a_room_page_in_welsh(web: Client, seeded: dict[str, Any]) -> None:
    listing = await web.get("/venues?lang=cy&capacity=abc")
    assert "Hidlo ystafelloedd" in listing.text
    assert "Rhowch nifer y bobl fel rhif cyfan, fel 40" in listing.text  # a filter error
    assert "Mynediad heb risiau" in listing.text  # a venues label through |tr
    room = await web.get(f"/venues/rooms/{seeded['hall_a'].id}")
    assert '<html lang="cy"' in room.text
    assert "Pryd mae ar gael" in room.text
    i18n.set_language("cy")
    from api.web.readable import month_words

    assert month_words(dt.date(2026, 12, 1)) == "Rhagfyr 2026"
    assert "When it is free" not in room.text
