"""Who is calling and may they: the bearer token, the session cookie and the route's roles
(api/auth/actor.py), through the real app and database.

Found by mutation testing (issue 25): with the 401 for a bad bearer token removed, the request
was treated as anonymous and every public route accepted it, and no test noticed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar, Router, get
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, OFFICERS, PUBLIC, STAFF, actor_for_user, resolve_actor, roles, roles_guard
from api.models import ApiToken, User
from tests import factories as f
from tests.web.sign_in import sign_in_as
from vetting.actors import Actor

Client = AsyncTestClient[Litestar]
INVALID = {"status_code": 401, "detail": "invalid, expired or revoked token"}
ANONYMOUS = {"status_code": 401, "detail": "sign in or send a bearer token"}
WRONG_ROLE = {"status_code": 403, "detail": "your role may not do this"}


def bearer(token: str, scheme: str = "Bearer") -> dict[str, str]:
    return {"Authorization": f"{scheme} {token}", "Accept": "application/json"}


async def venues_list(client: Client, headers: dict[str, str] | None = None) -> Any:
    """A public route: anyone may list venues."""
    return await client.get("/api/v1/venues", headers=headers or {})


async def cases(client: Client, headers: dict[str, str] | None = None) -> Any:
    """An officers' route."""
    return await client.get("/api/v1/applications", headers=headers or {})


async def test_a_bad_bearer_token_is_refused_even_on_a_public_route(
    client: Client, seeded: dict[str, Any]
) -> None:
    assert (await venues_list(client)).status_code == 200
    for token in ("not-a-token", seeded["officer_token"] + "x"):
        answer = await venues_list(client, bearer(token))
        assert answer.status_code == 401
        assert answer.json() == INVALID
    answer = await cases(client, bearer("not-a-token"))
    assert (answer.status_code, answer.json()) == (401, INVALID)


async def test_a_revoked_token_is_refused_on_a_public_route(
    client: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    token = seeded["manager_token"]
    assert (await venues_list(client, bearer(token))).status_code == 200
    await session.execute(update(ApiToken).values(revoked_at=ApiToken.created_at))
    await session.commit()
    answer = await venues_list(client, bearer(token))
    assert (answer.status_code, answer.json()) == (401, INVALID)


async def test_a_disabled_user_s_token_is_refused(
    client: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await session.execute(update(User).where(User.id == seeded["officer"].id).values(active=False))
    await session.commit()
    answer = await venues_list(client, bearer(seeded["officer_token"]))
    assert (answer.status_code, answer.json()) == (401, INVALID)


async def test_the_scheme_is_case_insensitive_and_spaces_around_the_token_are_ignored(
    client: Client, seeded: dict[str, Any]
) -> None:
    token = seeded["officer_token"]
    for headers in (bearer(token), bearer(token, "bearer"), bearer(token, "BEARER"), bearer(f" {token} ")):
        assert (await cases(client, headers)).status_code == 200, headers


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer    ", "Basic dXNlcjpwYXNz", "Token abc", ""])
async def test_a_header_without_a_bearer_credential_is_anonymous(
    client: Client, seeded: dict[str, Any], header: str
) -> None:
    assert (await venues_list(client, {"Authorization": header})).status_code == 200
    answer = await cases(client, {"Authorization": header})
    assert (answer.status_code, answer.json()) == (401, ANONYMOUS)


async def test_roles_decide_after_the_token(client: Client, seeded: dict[str, Any]) -> None:
    assert (await cases(client, bearer(seeded["officer_token"]))).status_code == 200
    assert (await cases(client, bearer(seeded["admin_token"]))).status_code == 200
    answer = await cases(client, bearer(seeded["manager_token"]))
    assert (answer.status_code, answer.json()) == (403, WRONG_ROLE)
    answer = await cases(client)
    assert (answer.status_code, answer.json()) == (401, ANONYMOUS)


async def test_a_manager_s_token_carries_their_venues(
    client: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    other = await f.make_venue(session, "Elsewhere Community Centre")
    await session.commit()
    headers = bearer(seeded["manager_token"])
    own = await client.post("/api/v1/feeds", json={"venue_id": str(seeded["venue"].id)}, headers=headers)
    assert own.status_code == 201, own.text
    theirs = await client.post("/api/v1/feeds", json={"venue_id": str(other.id)}, headers=headers)
    assert theirs.status_code == 404


async def test_a_signed_in_session_is_an_actor_and_a_bad_token_still_wins(
    app: Litestar, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as web:
        assert (await cases(web)).status_code == 401
        await sign_in_as(web, session, seeded["officer"])
        assert (await cases(web)).status_code == 200
        # A bearer header is read first: a bad one is refused even with a good session.
        answer = await cases(web, bearer("not-a-token"))
        assert (answer.status_code, answer.json()) == (401, INVALID)


async def test_a_signed_in_venue_manager_is_not_an_officer(
    app: Litestar, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as web:
        await sign_in_as(web, session, seeded["manager"])
        answer = await cases(web)
        assert (answer.status_code, answer.json()) == (403, WRONG_ROLE)
        assert (await venues_list(web)).status_code == 200


async def test_each_use_of_a_token_resolves_its_own_user(
    client: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    last_used = select(ApiToken.last_used_at).where(ApiToken.user_id == seeded["officer"].id)
    assert (await session.execute(last_used)).scalar_one() is None
    await session.commit()
    assert (await cases(client, bearer(seeded["officer_token"]))).status_code == 200
    # The token's use is committed by the actor lookup, not lost with its session.
    assert (await session.execute(last_used)).scalar_one() is not None
    await session.commit()


# --- the guard on its own, in a small app of the real guard (no database: no credentials) -----


@get("/open", opt=roles(PUBLIC), sync_to_thread=False)
def open_route() -> str:
    return "open"


@get("/staff", opt=roles(*STAFF), sync_to_thread=False)
def staff_route() -> str:
    return "staff"


@get("/undeclared", sync_to_thread=False)
def undeclared_route() -> str:
    return "undeclared"


@get("/framework", opt={"exclude_from_roles": True}, sync_to_thread=False)
def framework_route() -> str:
    return "framework"


@get("/who", opt=roles(PUBLIC))
async def who(request: Any) -> dict[str, Any]:
    first = await resolve_actor(request)
    second = await resolve_actor(request)
    return {"anonymous": first is None and second is None, "cached": "actor" in request.scope["state"]}


@pytest.fixture
async def small() -> AsyncIterator[Client]:
    app = Litestar(
        route_handlers=[
            Router(
                path="/",
                route_handlers=[open_route, staff_route, undeclared_route, framework_route, who],
                guards=[roles_guard],
            )
        ]
    )
    async with AsyncTestClient(app=app) as c:
        yield c


async def test_a_route_without_a_role_declaration_is_refused(small: Client) -> None:
    answer = await small.get("/undeclared")
    assert (answer.status_code, answer.json()["detail"]) == (403, "route has no role declaration")
    assert (await small.get("/framework")).text == "framework"
    assert (await small.get("/open")).text == "open"
    answer = await small.get("/staff")
    assert (answer.status_code, answer.json()["detail"]) == (401, "sign in or send a bearer token")


async def test_an_anonymous_actor_is_resolved_once_and_kept(small: Client) -> None:
    assert (await small.get("/who")).json() == {"anonymous": True, "cached": True}


async def test_an_actor_resolved_earlier_in_the_request_is_the_one_used() -> None:
    """What an earlier step of the request resolved is kept in its state and used by the guard."""
    officer = Actor(id=None, name="Officer Vale", role="officer")

    def remember(app: Any) -> Any:
        async def middleware(scope: Any, receive: Any, send: Any) -> None:
            scope.setdefault("state", {})["actor"] = officer
            await app(scope, receive, send)

        return middleware

    app = Litestar(
        route_handlers=[Router(path="/", route_handlers=[staff_route], guards=[roles_guard])],
        middleware=[remember],
    )
    async with AsyncTestClient(app=app) as c:
        answer = await c.get("/staff")
        assert (answer.status_code, answer.text) == (200, "staff")


def test_the_role_sets() -> None:
    assert roles("officer") == {"roles": ("officer",)}
    assert set(OFFICERS) < set(STAFF) and set(ADMIN) < set(OFFICERS)
    assert PUBLIC == "public"


async def test_the_actor_of_a_user_carries_their_name_role_venues_and_organisation(
    session: AsyncSession, seeded: dict[str, Any]
) -> None:
    manager = seeded["manager"]
    user = await session.get(User, manager.id)
    assert user is not None
    actor = await actor_for_user(session, user)
    assert actor == Actor(
        id=user.id,
        name=user.name,
        role="venue_manager",
        venue_ids=frozenset({seeded["venue"].id}),
        provider_id=user.provider_id,
    )
    assert actor.name.startswith("Test Venue Manager")
