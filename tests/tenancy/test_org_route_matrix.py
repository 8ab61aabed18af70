"""Issue 24: the role x route matrix with an organisation axis, built from the app's own routes.

Staff of organisation A (officer, organisation administrator, venue manager) call every route
that names an object by id with organisation B's objects: each answer must be the 404 a missing
object gets (never 403, 200 or 500), and B's data must not change. Every list, queue, feed and
search A can read must show nothing of B's. A route that takes an id and has no entry in
`REQUESTS` fails the first test, so a new route cannot go unchecked. B's own administrator makes
the same requests afterwards and must not get 404: the requests are good enough to reach the object.
"""

from __future__ import annotations

import json
import re
import uuid
from contextlib import AsyncExitStack
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.app import create_app
from api.models import ApiToken, User, UserVenue
from api.settings import Settings
from tests.factories import bearer
from tests.security.test_authz_matrix import PARAM, allowed_roles, route_table
from tests.tenancy.route_requests import (
    LIST_QUERIES,
    NAMED_PARTS,
    NOT_LISTS,
    REQUESTS,
    SECOND,
    SERVICE_ADMINS_ONLY,
)
from tests.tenancy.world import Org, build_world
from tests.web.sign_in import csrf_of, sign_in_as
from venues.models import Booking, Closure, Feed, Occurrence, Room, RoomPart, Venue
from vetting.models import CaseEvent, Decision, FlaggedEntry, Organisation, ScreeningMatch, VettingCase

Client = AsyncTestClient[Litestar]
CALLERS = ("officer", "admin", "manager")  # of organisation A; "admin" is its organisation administrator
ROLE = {"officer": "officer", "admin": "admin", "manager": "venue_manager"}
# Path parameters that are credentials rather than ids: the hirer's link and a feed's secret are
# not organisation-scoped objects (tests/security covers them), nor are static files or the schema.
NOT_IDS = {"token", "filename", "file_path", "path", "policy_id"}  # a bundled policy file: public


def _is_id_route(path: str) -> bool:
    # A hirer's date is reached only through their private link (the token), within its own case.
    hirers = path.startswith("/status/{token:str}/")
    return (
        any(m.group(1) not in NOT_IDS for m in PARAM.finditer(path))
        and not path.startswith("/schema")
        and not hirers
    )


def id_routes(app: Litestar) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(p, m, allowed_roles(p, h)) for p, m, h in route_table(app) if _is_id_route(p)]


def _fill(path: str, ids: dict[str, UUID]) -> str:
    override = SECOND.get(path, {})

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in NAMED_PARTS:
            return NAMED_PARTS[name]
        return str(ids[override.get(name, name)])

    return PARAM.sub(value, path)


def test_every_route_that_takes_an_id_is_in_the_matrix(app: Litestar) -> None:
    routes = id_routes(app)
    assert len(routes) >= 35
    missing = [(m, p) for p, m, _ in routes if (m, p) not in REQUESTS]
    assert missing == [], "add these routes to REQUESTS: " + repr(missing)
    stale = sorted(set(REQUESTS) - {(m, p) for p, m, _ in routes})
    assert stale == [], stale


class Caller:
    """A member of staff as an API client (bearer token) and as a signed-in browser (pages)."""

    def __init__(self, web: Client, token: str, csrf: str) -> None:
        self.web, self.token, self.csrf = web, token, csrf

    async def call(self, method: str, path: str, url: str) -> Any:
        kind, body, query = REQUESTS.get((method, path), (None, None, ""))
        if path.startswith("/api/"):
            kwargs: dict[str, Any] = {"headers": bearer(self.token) | {"Accept": "application/json"}}
            if kind == "json":
                kwargs["json"] = body
            return await self.web.request(method, url + query, follow_redirects=False, **kwargs)
        if method == "GET":
            return await self.web.get(url + query, follow_redirects=False)
        form = dict(body or {}) | {"csrf_token": self.csrf}
        return await self.web.request(method, url, data=form, follow_redirects=False)


async def _caller(
    stack: AsyncExitStack, settings: Settings, session: AsyncSession, org: Org, key: str
) -> Caller:
    """A client of an app of its own: each test client runs its app in an event loop of its own,
    and asyncpg's connections must not move between loops. `stack` closes them in reverse order."""
    web = await stack.enter_async_context(
        AsyncTestClient(app=create_app(settings), base_url="https://testserver.local")
    )
    await sign_in_as(web, session, org.staff[key])
    csrf = csrf_of((await web.get("/account")).text)
    return Caller(web, org.tokens[key], csrf)


SNAPSHOT_MODELS = (
    Venue, Room, RoomPart, Closure, Booking, Occurrence, Feed, VettingCase, CaseEvent, Decision,
    ScreeningMatch, Organisation, FlaggedEntry, User, UserVenue, ApiToken,
)  # fmt: skip
# Columns a caller's own sign-in or token use writes (a token's use also moves its updated_at).
VOLATILE = {"last_used_at", "last_sign_in_at", "totp_last_step", "totp_secret"}
VOLATILE_IN = {"api_token": {"updated_at"}, "app_user": {"updated_at"}}


async def snapshot(engine: AsyncEngine) -> dict[str, set[tuple[Any, ...]]]:
    """Every row of every table of organisation data (read without any scope)."""
    out: dict[str, set[tuple[Any, ...]]] = {}
    async with async_sessionmaker(engine)() as s:
        for model in SNAPSHOT_MODELS:
            table: Table = model.__table__  # type: ignore[assignment]  # each of these maps one table
            skip = VOLATILE | VOLATILE_IN.get(table.name, set())
            cols = [c for c in table.columns if c.name not in skip]
            rows = (await s.execute(select(*cols))).all()
            out[table.name] = {tuple(repr(v) for v in row) for row in rows}
    return out


def _shows(text: str, org: Org) -> list[str]:
    """Whatever of `org` a response shows: its marker word or any of its ids or references."""
    lowered = text.lower()
    found = [org.marker] if org.marker.lower() in lowered else []
    found += [i for i in org.all_ids() if i in lowered]
    return found + [r for r in org.references if r in text]


async def test_staff_of_one_organisation_get_404_on_every_object_of_another(
    app: Litestar, client: Client, engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    a, b = await build_world(client, engine)
    failures: list[str] = []
    checked = 0
    async with AsyncExitStack() as stack:
        callers = {key: await _caller(stack, settings, session, a, key) for key in CALLERS}
        b_admin = await _caller(stack, settings, session, b, "admin")
        before = await snapshot(engine)
        for path, method, allowed in id_routes(app):
            for key, caller in callers.items():
                if ROLE[key] not in allowed:
                    continue  # the roles guard refuses whatever the object (tests/security)
                theirs = await caller.call(method, path, _fill(path, b.ids))
                missing = await caller.call(method, path, _fill(path, {k: uuid.uuid4() for k in b.ids}))
                checked += 1
                where = f"A's {key:<8} {method:<6} {path}"
                if theirs.status_code != 404:
                    failures.append(f"{where} on B's object -> {theirs.status_code}")
                if missing.status_code != 404:
                    failures.append(f"{where} on a missing object -> {missing.status_code}")
                if theirs.status_code == 404 and _shows(theirs.text, b):
                    failures.append(f"{where} 404 shows {_shows(theirs.text, b)}")
        after = await snapshot(engine)
        failures += [
            f"B's {t} changed: {sorted(before[t] ^ after[t])[:2]}" for t in before if before[t] != after[t]
        ]
        # B's own administrator reaches each object with the same requests (ending routes last).
        order = sorted(
            id_routes(app),
            key=lambda r: (r[1] == "DELETE", "revoke" in r[0] or "disable" in r[0] or "remove" in r[0]),
        )
        for path, method, _ in order:
            if path in SERVICE_ADMINS_ONLY:
                continue
            own = await b_admin.call(method, path, _fill(path, b.ids))
            if own.status_code == 404 or own.status_code >= 500:
                failures.append(f"B's admin {method} {path} on B's own object -> {own.status_code}")
    assert failures == [], "\n".join(failures)
    assert checked >= 60


async def test_lists_queues_and_searches_of_one_organisation_show_nothing_of_another(
    app: Litestar, client: Client, engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    a, b = await build_world(client, engine)
    async with async_sessionmaker(engine)() as s:
        week = (
            (await s.execute(select(Occurrence.local_start).where(Occurrence.booking_id == b.ids["booking"])))
            .scalars()
            .first()
        )
    assert week is not None
    values = {k: str(v) for k, v in b.ids.items()} | {"case_week": week.date().isoformat()}
    lists = [
        (p, m, allowed)
        for p, m, allowed in [(p, m, allowed_roles(p, h)) for p, m, h in route_table(app)]
        if m == "GET" and not PARAM.search(p) and not p.startswith("/schema") and p not in NOT_LISTS
    ]
    assert {p for p, _, _ in lists} >= set(LIST_QUERIES)
    failures: list[str] = []
    seen: dict[str, set[str]] = {"A": set(), "B": set()}
    async with AsyncExitStack() as stack:
        everyone = {
            (org.marker, key): await _caller(stack, settings, session, org, key)
            for org in (a, b)
            for key in CALLERS
        }
        for path, method, allowed in lists:
            for (marker, key), caller in everyone.items():
                org_name = "A" if marker == a.marker else "B"
                if ROLE[key] not in allowed:
                    continue
                for query in LIST_QUERIES.get(path, [""]):
                    # A's callers ask with B's ids in the filters; B's ask with their own.
                    url = path + query.format(**values)
                    response = await caller.call(method, path, url)
                    where = f"{org_name}'s {key:<8} GET {url}"
                    if response.status_code >= 500:
                        failures.append(f"{where} -> {response.status_code}")
                    other, own = (b, a) if org_name == "A" else (a, b)
                    if org_name == "A" and _shows(response.text, other):
                        failures.append(f"{where} shows {_shows(response.text, other)[:4]}")
                    if _shows(response.text, own):
                        seen[org_name].add(path)
    assert failures == [], "\n".join(failures)
    # The lists are not empty for their own organisation, so the checks above can fail.
    for org_name in ("A", "B"):
        assert {
            "/api/v1/applications",
            "/officer",
            "/api/v1/feeds",
            "/officer/users",
            "/manager/feeds",
            "/manager",  # the room grid of the caller's first venue, on the week of B's booking
        } <= seen[org_name], (org_name, seen[org_name])


@pytest.mark.parametrize("role", ["officer", "venue_manager", "admin"])
async def test_an_organisation_administrator_creates_staff_of_their_own_organisation(
    client: Client, engine: AsyncEngine, session: AsyncSession, settings: Settings, role: str
) -> None:
    a, b = await build_world(client, engine)
    # An app of its own: asyncpg's connections must not move between the clients' event loops.
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as web:
        await sign_in_as(web, session, a.staff["admin"])
        page = await web.get("/officer/users")
        assert page.status_code == 200
        form = {
            "email": f"new-{role}@ashcombe.example",
            "name": "New Colleague",
            "role": role,
            "password": "a long enough invented passphrase 42",
            "csrf_token": csrf_of(page.text),
        }
        if role == "venue_manager":
            form["venues"] = str(a.ids["venue_id"])
        made = await web.post("/officer/users", data=form, follow_redirects=False)
        assert made.status_code in (302, 303), made.text
        # Another organisation's venue is not one of theirs to give.
        form |= {
            "email": "sneaky@ashcombe.example",
            "role": "venue_manager",
            "venues": str(b.ids["venue_id"]),
        }
        sneaky = await web.post("/officer/users", data=form, follow_redirects=False)
        assert sneaky.status_code in (400, 404), sneaky.status_code
    async with async_sessionmaker(engine)() as s:
        users = {u.email: u for u in (await s.execute(select(User))).scalars()}
    assert users[f"new-{role}@ashcombe.example"].provider_id == a.provider.id
    assert "sneaky@ashcombe.example" not in users


async def test_subject_access_by_an_organisation_administrator_finds_only_their_own(
    client: Client, engine: AsyncEngine
) -> None:
    a, b = await build_world(client, engine)
    for query in (
        {"email": "robin@zyxford.example"},
        {"name": "Robin Zyxford"},
        {"organisation": "Zyxford Chess Club"},
        {"email": "officer@zyxford.example"},
    ):
        found: dict[str, str] = {}
        for org in (a, b):
            answer = await client.post(
                "/api/v1/subject-access", json=query, headers=bearer(org.tokens["admin"])
            )
            assert answer.status_code == 200, answer.text
            export = answer.json()["export"]
            found[org.marker] = json.dumps(
                [export[k] for k in ("organisations", "requests", "staff_account")]
            )
        assert _shows(found[a.marker], b) == [], (query, _shows(found[a.marker], b))
        assert _shows(found[b.marker], b), query  # B's own administrator finds it
