"""Authorisation (ASVS 8.2): a role-by-route matrix built from the app's own route list.

Every route the app serves is called as each kind of caller. A caller whose role the route
does not allow must get 401 or 403 (never 2xx, never 500); an allowed caller must never get
500 or be refused by the roles guard. A new route is in the matrix the moment it exists, and
one without a roles declaration fails the first test. Object- and field-level checks follow.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.auth.actor import PUBLIC, STAFF
from tests import factories as f
from tests.factories import application_payload, bearer, next_weekday
from tests.security.helpers import Client, submit
from tests.web.sign_in import sign_in_officer

CALLERS = ("anonymous", "hirer", "venue_manager", "officer", "admin")
GUARD_REFUSALS = ("your role may not do this", "does not give access to this page")
PARAM = re.compile(r"\{(\w+):(\w+)\}")


def _is_framework_options(handler: Any, methods: set[str]) -> bool:
    return methods == {"OPTIONS"} and "roles" not in handler.opt


def route_table(app: Litestar) -> list[tuple[str, str, Any]]:
    """(path template, method, handler) for every route the app serves."""
    table: list[tuple[str, str, Any]] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            methods = {str(m) for m in handler.http_methods}
            if _is_framework_options(handler, methods):
                continue
            for method in sorted(methods - {"OPTIONS"}):
                table.append((route.path, method, handler))
    return table


def allowed_roles(path: str, handler: Any) -> tuple[str, ...]:
    if path == "/schema" or path.startswith("/schema/"):
        return STAFF  # guarded by api.security.middleware (404 for anyone else)
    roles: tuple[str, ...] = handler.opt["roles"]
    if PUBLIC in roles:
        return CALLERS
    return roles


def fill(path: str, applicant_token: str) -> str:
    def value(match: re.Match[str]) -> str:
        name, kind = match.group(1), match.group(2)
        if kind == "uuid":
            return str(uuid.uuid4())
        if kind == "path":
            return "/no-such-file.css"
        if kind == "int":
            return "1"
        return applicant_token if name == "token" else "x" * 43

    return PARAM.sub(value, path)


def test_every_route_declares_roles(app: Litestar) -> None:
    table = route_table(app)
    assert len(table) > 40
    undeclared = [
        (path, method)
        for path, method, handler in table
        if not path.startswith("/schema") and "roles" not in handler.opt
    ]
    assert undeclared == []


async def test_role_by_route_matrix(app: Litestar, client: Client, seeded: dict[str, Any]) -> None:
    created = await submit(client, seeded["hall_a"].id)
    tokens = {
        "anonymous": None,
        "hirer": None,
        "venue_manager": seeded["manager_token"],
        "officer": seeded["officer_token"],
        "admin": seeded["admin_token"],
    }
    failures: list[str] = []
    checked = 0
    for path, method, handler in route_table(app):
        allowed = allowed_roles(path, handler)
        # Refused callers first, so an allowed caller's side effect cannot mask a refusal.
        for caller in sorted(CALLERS, key=lambda c: c in allowed):
            url = fill(path, created["applicant_token"] if caller == "hirer" else "t" * 43)
            headers = {"Accept": "application/json"}
            if tokens[caller]:
                headers |= bearer(str(tokens[caller]))
            kwargs: dict[str, Any] = {"headers": headers, "follow_redirects": False}
            if method in ("POST", "PUT", "PATCH"):
                kwargs["json"] = {}
            response = await client.request(method, url, **kwargs)
            checked += 1
            status = response.status_code
            where = f"{caller:<13} {method:<6} {path} -> {status}"
            if status >= 500:
                failures.append(where + " (server error)")
            elif caller not in allowed:
                expected = (404,) if path.startswith("/schema") else (401, 403)
                # Pages send a signed-out browser to the sign-in page instead of a bare 401.
                to_login = status in (302, 303) and response.headers.get("location", "").startswith("/login")
                if status not in expected and not (to_login and tokens[caller] is None):
                    failures.append(where + f" (expected {expected})")
            elif status == 401 or any(text in response.text for text in GUARD_REFUSALS):
                failures.append(where + " (allowed caller refused)")
    assert failures == [], "\n".join(failures)
    assert checked >= 5 * 40


# ------------------------------------------------------------------ object level


async def _other_venue(engine: AsyncEngine) -> tuple[Any, Any]:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        venue = await f.make_venue(s, "Othertown Library")
        room = await f.make_room(s, venue, "Reading Room")
        await s.commit()
    return venue, room


async def test_a_venue_manager_cannot_create_a_feed_for_another_venue(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    venue, room = await _other_venue(engine)
    manager = bearer(seeded["manager_token"])
    for body in ({"venue_id": str(venue.id)}, {"room_id": str(room.id)}):
        response = await client.post("/api/v1/feeds", json=body, headers=manager)
        assert response.status_code == 404, response.text
    own = await client.post("/api/v1/feeds", json={"venue_id": str(seeded["venue"].id)}, headers=manager)
    assert own.status_code == 201


async def test_a_venue_manager_cannot_revoke_or_rotate_anothers_feed(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        _, other_token = await f.make_staff(s, "venue_manager", venue_ids=[seeded["venue"].id])
        await s.commit()
    theirs = await client.post(
        "/api/v1/feeds", json={"venue_id": str(seeded["venue"].id)}, headers=bearer(other_token)
    )
    assert theirs.status_code == 201
    feed_id, url = theirs.json()["id"], theirs.json()["url"]
    manager = bearer(seeded["manager_token"])
    assert (await client.delete(f"/api/v1/feeds/{feed_id}", headers=manager)).status_code == 404
    assert (await client.post(f"/api/v1/feeds/{feed_id}/rotate", headers=manager)).status_code == 404
    assert feed_id not in str((await client.get("/api/v1/feeds", headers=manager)).json())
    assert (await client.get("/feeds/" + url.rsplit("/feeds/", 1)[1])).status_code == 200
    assert (
        await client.delete(f"/api/v1/feeds/{feed_id}", headers=bearer(seeded["admin_token"]))
    ).status_code == 204


async def test_a_hirer_token_opens_only_its_own_request(client: Client, seeded: dict[str, Any]) -> None:
    mine = await submit(client, seeded["hall_a"].id, organisation="Testtown Chess Club")
    theirs = await submit(client, seeded["hall_b"].id, organisation="Testtown Choir")
    view = await client.get(f"/api/v1/applicant/{mine['applicant_token']}")
    assert view.status_code == 200
    assert view.json()["reference"] == mine["reference"]
    assert theirs["reference"] not in view.text and "Choir" not in view.text
    # My token cannot act on their request, and an unknown token is a plain 404 everywhere.
    assert (await client.post(f"/api/v1/applicant/{mine['applicant_token']}/withdraw")).status_code == 200
    still = await client.get(f"/api/v1/applicant/{theirs['applicant_token']}")
    assert still.json()["status"] == "under_review"
    unknown = "u" * 43
    for method, path in (
        ("GET", f"/api/v1/applicant/{unknown}"),
        ("POST", f"/api/v1/applicant/{unknown}/withdraw"),
        ("POST", f"/api/v1/applicant/{unknown}/accept-conditions"),
        ("GET", f"/feeds/{unknown}.ics"),
    ):
        assert (await client.request(method, path)).status_code == 404, path


async def test_a_hirer_cannot_set_status_decision_or_screening_fields(
    client: Client, seeded: dict[str, Any]
) -> None:
    start = next_weekday(1, weeks_ahead=4)
    for field, value in (
        ("status", "confirmed"),
        ("decision", {"outcome": "approve"}),
        ("screening", []),
        ("tier", "standard"),
        ("checks", []),
        ("reference", "VH-AAAA-BBBB"),
        ("applicant_token_hash", "0" * 64),
    ):
        body = application_payload(seeded["hall_a"].id, start)
        body[field] = value
        response = await client.post("/api/v1/applications", json=body)
        assert response.status_code == 422, (field, response.text)
        assert field in str(response.json().get("errors", {})), (field, response.text)
    nested = application_payload(seeded["hall_a"].id, start)
    nested["organisation"]["last_cleared_at"] = "2020-01-01T00:00:00+00:00"
    response = await client.post("/api/v1/applications", json=nested)
    assert response.status_code == 422
    created = await submit(client, seeded["hall_a"].id)
    token = created["applicant_token"]
    sneaky = await client.post(
        f"/api/v1/applicant/{token}/information", json={"response": "x", "status": "confirmed"}
    )
    assert sneaky.status_code == 422
    assert (await client.get(f"/api/v1/applicant/{token}")).json()["status"] == "under_review"


# ------------------------------------------------------------------ API writes (issue 14)


def api_write_routes(app: Litestar) -> list[tuple[str, str]]:
    return [
        (path, method)
        for path, method, _ in route_table(app)
        if path.startswith("/api/") and method in ("POST", "PUT", "PATCH", "DELETE")
    ]


async def test_every_api_write_refuses_a_text_plain_body_and_deep_json(
    app: Litestar, client: Client, seeded: dict[str, Any]
) -> None:
    """Item 1 (415) and item 3 (400) on every write route, as the admin (allowed nearly everywhere)."""
    created = await submit(client, seeded["hall_a"].id)
    failures: list[str] = []
    routes = api_write_routes(app)
    for path, method in routes:
        url = fill(path, created["applicant_token"])
        headers = bearer(seeded["admin_token"])
        plain = await client.request(
            method, url, content="{}", headers={**headers, "Content-Type": "text/plain"}
        )
        expected_plain = 415 if path != "/api/v1/flagged-entries/import" else plain.status_code
        if plain.status_code != expected_plain or plain.status_code >= 500:
            failures.append(f"text/plain {method} {path} -> {plain.status_code}")
        deep = await client.request(
            method,
            url,
            content="[" * 1000 + "]" * 1000,
            headers={**headers, "Content-Type": "application/json"},
        )
        if deep.status_code != 400:
            failures.append(f"deep JSON {method} {path} -> {deep.status_code}")
    assert failures == [], "\n".join(failures)
    assert len(routes) >= 20


async def test_every_api_write_refuses_the_session_cookie_without_the_token(
    app: Litestar, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    """Item 1 on every write route: a signed-in officer's browser, a cross-site request."""
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as web:
        created = await submit(web, seeded["hall_a"].id)
        await sign_in_officer(web, session, seeded)
        failures: list[str] = []
        for path, method in api_write_routes(app):
            url = fill(path, created["applicant_token"])
            for headers in (
                {"Origin": "https://evil.example", "Content-Type": "text/plain"},
                {"Content-Type": "application/json"},
            ):
                response = await web.request(method, url, content="{}", headers=headers)
                if response.status_code != 403:
                    failures.append(f"{method} {path} {headers} -> {response.status_code}")
        view = await web.get(f"/api/v1/applications/{created['id']}", headers=bearer(seeded["officer_token"]))
        assert view.json()["status"] == "under_review"
    assert failures == [], "\n".join(failures)
