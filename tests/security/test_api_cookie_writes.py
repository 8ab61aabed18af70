"""Issue 14, item 1: the JSON API and the browser's session cookie.

A write under /api/v1 that the session cookie authenticates needs the service's own Origin and
the page's CSRF token in `X-CSRF-Token`; every write body must be `application/json` (415),
except the documented file upload. Bearer and anonymous API clients work as before.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import application_payload, bearer, next_weekday
from tests.security.helpers import Client, submit
from tests.web.sign_in import csrf_of, sign_in_officer

NATIVE_CSV = (
    b"kind,name,aliases,source,source_ref,reason,listed_date\n"
    b"person,Orlan Vetrov,,uk-sanctions,L1,invented,\n"
)
OWN_ORIGIN = "http://testserver.local"  # settings.base_url in tests/conftest.py
EVIL = "https://evil.example"
DECISION = '{"outcome": "approve", "reason": "Approved", "conditions": []}'


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    # Secure cookies travel only over https.
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _signed_in_with_a_case(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> tuple[str, str]:
    """A case made before signing in; then an officer's browser session and its page token."""
    created = await submit(web, seeded["hall_a"].id)
    await sign_in_officer(web, session, seeded)
    token = csrf_of((await web.get("/officer")).text)
    return str(created["id"]), token


async def _status(web: Client, seeded: dict[str, Any], case_id: str) -> str:
    view = await web.get(f"/api/v1/applications/{case_id}", headers=bearer(seeded["officer_token"]))
    return str(view.json()["status"])


async def test_the_reported_attack_text_plain_from_another_origin_is_refused(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    case_id, _ = await _signed_in_with_a_case(web, session, seeded)
    response = await web.post(
        f"/api/v1/applications/{case_id}/decision",
        content=DECISION,
        headers={"Content-Type": "text/plain", "Origin": EVIL},
    )
    assert response.status_code == 403, response.text
    assert await _status(web, seeded, case_id) == "under_review"


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({"Origin": EVIL}, "another origin, no token"),
        ({"Origin": "null"}, "an opaque origin"),
        ({"Origin": "https://testserver.local.evil.example"}, "a look-alike origin"),
        ({"Referer": f"{EVIL}/page"}, "no origin, a foreign referer"),
        ({"Origin": OWN_ORIGIN}, "own origin but no token"),
        ({"Origin": OWN_ORIGIN, "X-CSRF-Token": "0" * 64}, "own origin, a wrong token"),
        ({}, "no origin, no token"),
    ],
)
async def test_cookie_writes_without_own_origin_and_token_are_refused(
    web: Client, session: AsyncSession, seeded: dict[str, Any], headers: dict[str, str], why: str
) -> None:
    case_id, _ = await _signed_in_with_a_case(web, session, seeded)
    response = await web.post(
        f"/api/v1/applications/{case_id}/decision",
        content=DECISION,
        headers={"Content-Type": "application/json", **headers},
    )
    assert response.status_code == 403, (why, response.text)
    assert await _status(web, seeded, case_id) == "under_review"


async def test_a_foreign_origin_is_refused_even_with_the_token(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    case_id, token = await _signed_in_with_a_case(web, session, seeded)
    response = await web.post(
        f"/api/v1/applications/{case_id}/decision",
        content=DECISION,
        headers={"Content-Type": "application/json", "Origin": EVIL, "X-CSRF-Token": token},
    )
    assert response.status_code == 403
    assert "cross-origin" in response.json()["detail"]


async def test_the_services_own_pages_may_write_with_the_token(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    case_id, token = await _signed_in_with_a_case(web, session, seeded)
    for extra in ({"Origin": OWN_ORIGIN}, {}):
        response = await web.post(
            f"/api/v1/applications/{case_id}/decision",
            content='{"outcome": "request_information", "reason": "Who stewards the door?"}',
            headers={"Content-Type": "application/json", "X-CSRF-Token": token, **extra},
        )
        assert response.status_code in (200, 409), response.text
    assert await _status(web, seeded, case_id) == "awaiting_information"


async def test_cookie_deletes_and_the_file_upload_need_the_token_too(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    feed = await web.post(
        "/api/v1/feeds", json={"venue_id": str(seeded["venue"].id)}, headers=bearer(seeded["admin_token"])
    )
    assert feed.status_code == 201
    _, token = await _signed_in_with_a_case(web, session, seeded)
    revoke = await web.delete(f"/api/v1/feeds/{feed.json()['id']}", headers={"Origin": EVIL})
    assert revoke.status_code == 403
    csv = NATIVE_CSV
    upload = await web.post(
        "/api/v1/flagged-entries/import?format=native-csv",
        content=csv,
        headers={"Content-Type": "text/plain"},
    )
    assert upload.status_code == 403, upload.text
    with_token = await web.post(
        "/api/v1/flagged-entries/import?format=native-csv",
        content=csv,
        headers={"Content-Type": "text/csv", "X-CSRF-Token": token, "Origin": OWN_ORIGIN},
    )
    assert with_token.status_code == 200, with_token.text


@pytest.mark.parametrize(
    "media_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
async def test_non_json_bodies_get_415(client: Client, seeded: dict[str, Any], media_type: str) -> None:
    body = application_payload(seeded["hall_a"].id, next_weekday(2, weeks_ahead=5))
    anonymous = await client.post(
        "/api/v1/applications", content=json.dumps(body), headers={"Content-Type": media_type}
    )
    assert anonymous.status_code == 415, anonymous.text
    with_bearer = await client.post(
        "/api/v1/flagged-entries",
        content='{"kind": "person", "name": "Orlan Vetrov"}',
        headers={"Content-Type": media_type, **bearer(seeded["officer_token"])},
    )
    assert with_bearer.status_code == 415, with_bearer.text
    listed = await client.get("/api/v1/flagged-entries", headers=bearer(seeded["officer_token"]))
    assert listed.json() == []


async def test_bearer_and_anonymous_api_clients_are_unaffected(
    client: Client, seeded: dict[str, Any]
) -> None:
    # No cookie, no bearer: a hirer's API client still sends a booking request, whatever its Origin.
    body = application_payload(seeded["hall_a"].id, next_weekday(2, weeks_ahead=6))
    created = await client.post("/api/v1/applications", json=body, headers={"Origin": EVIL})
    assert created.status_code == 201, created.text
    decided = await client.post(
        f"/api/v1/applications/{created.json()['id']}/decision",
        json={"outcome": "approve", "reason": "Approved", "conditions": []},
        headers={**bearer(seeded["officer_token"]), "Origin": EVIL},
    )
    assert decided.status_code == 200, decided.text
    # Bodiless writes need no content type.
    token = created.json()["applicant_token"]
    assert (await client.post(f"/api/v1/applicant/{token}/accept-conditions")).status_code in (200, 409)
    csv = NATIVE_CSV
    upload = await client.post(
        "/api/v1/flagged-entries/import?format=native-csv",
        content=csv,
        headers={"Content-Type": "text/csv", **bearer(seeded["officer_token"])},
    )
    assert upload.status_code == 200, upload.text
