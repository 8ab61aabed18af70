"""The officer and admin pages validate their forms with the JSON API's input models (issue 15):
bad input gets the page's own error keys and texts, a 400 and nothing written, never a 500."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import bearer

Client = AsyncTestClient[Litestar]
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    # Secure cookies (the CSRF cookie) are only sent over https.
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _post(web: Client, who: dict[str, str], page: str, path: str, data: dict[str, str]) -> Any:
    shown = await web.get(page, headers=who)
    assert shown.status_code == 200, shown.text
    token = TOKEN_RE.search(shown.text)
    assert token, "no CSRF token on the page"
    return await web.post(path, headers=who, data={**data, "csrf_token": token.group(1)})


def _error(text: str, key: str) -> str:
    # A group of radios shows its message once, by the group ("kind-error" for "kind-person").
    return _error_by_id(text, key) or _error_by_id(text, key.rsplit("-", 1)[0]) or _no_error(key)


def _no_error(key: str) -> str:
    raise AssertionError(f"no error message for {key}")


def _error_by_id(text: str, key: str) -> str | None:
    found = re.search(
        rf'id="{re.escape(key)}-error"[^>]*>\s*'
        rf'<span class="govuk-visually-hidden">Error:</span> ([^<]*?)\s*</p>',
        text,
    )
    return html.unescape(found.group(1)) if found else None


async def test_flagged_entry_form_refuses_an_overlong_name_and_keeps_its_texts(
    web: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    refused = await _post(
        web,
        officer,
        "/officer/flagged",
        "/officer/flagged",
        {"kind": "person", "name": "Orlan Vetrov " * 20, "reason": "invented for a test"},
    )
    assert refused.status_code == 400
    assert _error(refused.text, "name") == "String should have at most 200 characters"
    assert (await web.get("/api/v1/flagged-entries?active=all", headers=officer)).json() == []

    empty = await _post(web, officer, "/officer/flagged", "/officer/flagged", {"kind": "", "name": ""})
    assert empty.status_code == 400
    assert _error(empty.text, "kind-person") == "Select whether this is a person or an organisation"
    assert _error(empty.text, "name") == "Enter the name"
    assert _error(empty.text, "reason") == "Enter why the name is on the list and the source"


async def test_closure_form_refuses_an_unknown_room_with_a_field_error(
    web: Client, seeded: dict[str, Any]
) -> None:
    admin = bearer(seeded["admin_token"])
    venue_page = f"/officer/venues/{seeded['venue'].id}"
    refused = await _post(
        web,
        admin,
        venue_page,
        f"{venue_page}/closures",
        {"closure_start": "2031-03-02", "closure_reason": "Roof repairs", "closure_room": "not-a-room"},
    )
    assert refused.status_code == 400
    assert _error(refused.text, "closure-room") == "Select a room from the list"

    no_reason = await _post(
        web, admin, venue_page, f"{venue_page}/closures", {"closure_start": "2031-03-02", "closure_end": "x"}
    )
    assert no_reason.status_code == 400
    assert _error(no_reason.text, "closure-end") == "Enter the last day of the closure"
    assert _error(no_reason.text, "closure-reason") == "is required"
    assert "Roof repairs" not in (await web.get(venue_page, headers=admin)).text


async def test_room_and_venue_forms_keep_their_texts(web: Client, seeded: dict[str, Any]) -> None:
    admin = bearer(seeded["admin_token"])
    venue_page = f"/officer/venues/{seeded['venue'].id}"
    for capacity, text in (("many", "Enter the capacity as a number"), ("0", "must be at least 1")):
        refused = await _post(
            web,
            admin,
            venue_page,
            f"{venue_page}/rooms",
            {"room_name": "Garden Room", "capacity": capacity, "buffer_before": "x", "hours_mon": "9"},
        )
        assert refused.status_code == 400
        assert _error(refused.text, "capacity") == text
        assert _error(refused.text, "buffer-before-minutes") == "must be between 0 and 240 minutes"
        assert _error(refused.text, "hours-mon") == "Enter Monday's hours like 09:00-22:00"

    venue = await _post(
        web,
        admin,
        "/officer/venues",
        "/officer/venues",
        {"name": "", "owner_kind": "council", "owner_name": "", "address": "1 High Street " * 80},
    )
    assert venue.status_code == 400
    assert _error(venue.text, "name") == "Enter the venue's name"
    assert _error(venue.text, "owner-name") == "Enter who owns the venue"
    assert _error(venue.text, "address") == "String should have at most 1000 characters"
