"""Security headers, no-store, allowed hosts, CORS and the staff-only schema (ASVS 3.4, 14.3.2)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.security.middleware import allowed_hosts
from api.settings import Settings
from tests.factories import bearer
from tests.security.helpers import Client, submit

REQUIRED_CSP = ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'")


@asynccontextmanager
async def client_for(settings: Settings, host: str = "testserver.local") -> AsyncIterator[Client]:
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url=f"http://{host}") as c:
        yield c


def assert_security_headers(response: Any) -> None:
    h = response.headers
    assert h.get("strict-transport-security", "").startswith("max-age="), dict(h)
    assert int(h["strict-transport-security"].split("=")[1].split(";")[0]) >= 31536000
    csp = h.get("content-security-policy", "")
    for directive in REQUIRED_CSP:
        assert directive in csp, (directive, csp)
    assert h.get("x-content-type-options") == "nosniff"
    assert h.get("referrer-policy") in ("no-referrer", "strict-origin-when-cross-origin")


async def test_every_kind_of_response_carries_the_security_headers(
    client: Client, seeded: dict[str, Any]
) -> None:
    created = await submit(client, seeded["hall_a"].id)
    responses = [
        await client.get("/health"),
        await client.get("/api/v1/venues"),
        await client.get("/no/such/page"),  # unmatched: no route middleware runs
        await client.post("/api/v1/applications", json={"room_id": "nonsense"}),  # 422
        await client.get("/api/v1/applications"),  # 401
        await client.get("/api/v1/applications", headers=bearer(seeded["manager_token"])),  # 403
        await client.get(f"/api/v1/applicant/{created['applicant_token']}"),
        await client.get("/privacy"),
        await client.get(f"/api/v1/applications/{created['id']}", headers=bearer(seeded["officer_token"])),
    ]
    assert {r.status_code for r in responses} >= {200, 401, 403, 404, 422}
    for response in responses:
        assert_security_headers(response)


async def test_a_routes_own_referrer_policy_is_kept(client: Client, seeded: dict[str, Any]) -> None:
    feed = await client.post(
        "/api/v1/feeds", json={"venue_id": str(seeded["venue"].id)}, headers=bearer(seeded["manager_token"])
    )
    assert feed.status_code == 201, feed.text
    path = "/feeds/" + feed.json()["url"].rsplit("/feeds/", 1)[1]
    served = await client.get(path)
    assert served.status_code == 200
    assert served.headers["referrer-policy"] == "no-referrer"
    assert_security_headers(served)


async def test_no_store_on_authenticated_answers_and_the_applicant_status(
    client: Client, seeded: dict[str, Any]
) -> None:
    created = await submit(client, seeded["hall_a"].id)
    officer = bearer(seeded["officer_token"])
    for response in (
        await client.get("/api/v1/applications", headers=officer),
        await client.get(f"/api/v1/applications/{created['id']}", headers=officer),
        await client.get("/api/v1/venues", headers=officer),
        await client.get(f"/api/v1/applicant/{created['applicant_token']}"),
        await client.get("/health", headers={"Cookie": "__Host-venue-hire=not-a-session"}),
    ):
        assert response.headers.get("cache-control") == "no-store", (response.request.url, response.headers)
    # Public, anonymous answers may be cached as the route decides.
    assert "no-store" not in (await client.get("/api/v1/venues")).headers.get("cache-control", "")


async def test_unknown_hosts_are_refused_when_hosts_are_configured(settings: Settings) -> None:
    configured = settings.model_copy(update={"allowed_hosts": ["rooms.example.gov.uk"]})
    async with client_for(configured, host="evil.example") as c:
        assert (await c.get("/health")).status_code == 400
    async with client_for(configured, host="rooms.example.gov.uk") as c:
        assert (await c.get("/health")).status_code == 200


async def test_production_refuses_unknown_hosts_by_default(settings: Settings) -> None:
    production = settings.model_copy(
        update={
            "environment": "production",
            "base_url": "https://rooms.example.gov.uk",
            "allowed_hosts": ["*"],
        }
    )
    assert allowed_hosts(production).allowed_hosts == ["rooms.example.gov.uk"]
    async with client_for(production, host="evil.example") as c:
        assert (await c.get("/health")).status_code == 400
    async with client_for(production, host="rooms.example.gov.uk") as c:
        assert (await c.get("/health")).status_code == 200
    with_port = production.model_copy(update={"base_url": "https://rooms.example.gov.uk:8443"})
    async with client_for(with_port, host="rooms.example.gov.uk:8443") as c:
        assert (await c.get("/health")).status_code == 200
    async with client_for(with_port, host="evil.example:8443") as c:
        assert (await c.get("/health")).status_code == 400
    # Development keeps the convenient default.
    assert allowed_hosts(settings.model_copy(update={"environment": "development"})).allowed_hosts == ["*"]


async def test_cors_is_off_unless_configured(settings: Settings) -> None:
    preflight = {
        "Origin": "https://elsewhere.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    async with client_for(settings) as c:
        plain = await c.get("/api/v1/venues", headers={"Origin": "https://elsewhere.example"})
        options = await c.options("/api/v1/applications", headers=preflight)
    for response in (plain, options):
        assert not any(k.lower().startswith("access-control-") for k in response.headers), response.headers

    configured = settings.model_copy(update={"cors_origins": ["https://partner.example"]})
    async with client_for(configured) as c:
        allowed = await c.get("/api/v1/venues", headers={"Origin": "https://partner.example"})
        other = await c.get("/api/v1/venues", headers={"Origin": "https://elsewhere.example"})
    assert allowed.headers.get("access-control-allow-origin") == "https://partner.example"
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("path", ["/schema", "/schema/openapi.json", "/schema/swagger"])
async def test_schema_is_for_signed_in_staff_outside_development(
    settings: Settings, seeded: dict[str, Any], path: str
) -> None:
    async with client_for(settings) as c:
        assert (await c.get(path)).status_code == 404
        assert (await c.get(path, headers=bearer("not-a-real-token-" + "x" * 20))).status_code == 404
        staff = await c.get(path, headers=bearer(seeded["manager_token"]))
        assert staff.status_code == 200
        assert staff.headers.get("cache-control") == "no-store"
    async with client_for(settings.model_copy(update={"environment": "development"})) as c:
        assert (await c.get(path)).status_code == 200


async def test_error_answers_carry_no_stack_trace(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail /srv/app/file.py line 12")

    monkeypatch.setattr("venues.booking.BookingService.search", broken)
    response = await client.get(
        "/api/v1/rooms/search",
        params={"start": "2030-01-01T10:00:00+00:00", "end": "2030-01-01T12:00:00+00:00"},
    )
    assert response.status_code == 500
    assert "Traceback" not in response.text
    assert "secret internal detail" not in response.text
    assert_security_headers(response)


_ = Litestar
