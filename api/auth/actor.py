"""Resolve who is calling (bearer token or browser session) and enforce route roles.

Every route declares `opt={"roles": (...)}`; a route without the key is refused, so a new
route cannot silently become public. `"public"` means anyone.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.auth.api_tokens import user_for_bearer
from api.models import User, UserVenue
from api.web.sessions import COOKIE_NAME, user_for_cookie
from vetting.actors import Actor

PUBLIC = "public"
STAFF = ("admin", "officer", "venue_manager")
OFFICERS = ("admin", "officer")
ADMIN = ("admin",)


def roles(*names: str) -> dict[str, Any]:
    return {"roles": tuple(names)}


async def actor_for_user(session: AsyncSession, user: User) -> Actor:
    venue_ids = frozenset(
        (await session.execute(select(UserVenue.venue_id).where(UserVenue.user_id == user.id))).scalars()
    )
    return Actor(
        id=user.id, name=user.name, role=user.role, venue_ids=venue_ids, provider_id=user.provider_id
    )


async def actor_from_bearer(session: AsyncSession, raw: str) -> Actor | None:
    """The actor of a live token (not revoked, not expired, user active), else None."""
    user = await user_for_bearer(session, raw)
    if user is None:
        return None
    actor = await actor_for_user(session, user)
    await session.commit()  # the token's last-used time, when it was due
    return actor


async def actor_from_cookie(
    session: AsyncSession, connection: ASGIConnection[Any, Any, Any, Any]
) -> Actor | None:
    """The actor of a signed-in browser session, else None."""
    user = await user_for_cookie(connection, session)
    if user is None:
        return None
    # Build the actor before committing: the commit expires the loaded user.
    actor = await actor_for_user(session, user)
    await session.commit()  # the session's last-seen time
    return actor


def _session_maker(connection: ASGIConnection[Any, Any, Any, Any]) -> async_sessionmaker[AsyncSession]:
    config = connection.app.state.db_config
    maker: async_sessionmaker[AsyncSession] = connection.app.state[config.session_maker_app_state_key]
    return maker


async def resolve_actor(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    if "actor" in connection.scope.get("state", {}):
        cached: Actor | None = connection.scope["state"]["actor"]
        return cached
    actor: Actor | None = None
    header = connection.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() == "bearer" and credential.strip():
        async with _session_maker(connection)() as session:
            actor = await actor_from_bearer(session, credential.strip())
        if actor is None:
            raise NotAuthorizedException(detail="invalid, expired or revoked token")
    elif COOKIE_NAME in connection.cookies:
        async with _session_maker(connection)() as session:
            actor = await actor_from_cookie(session, connection)
    connection.scope.setdefault("state", {})["actor"] = actor
    return actor


async def roles_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    allowed = handler.opt.get("roles")
    if allowed is None:
        if handler.opt.get("exclude_from_roles"):  # framework-owned routes such as /schema
            return
        raise PermissionDeniedException(detail="route has no role declaration")
    actor = await resolve_actor(connection)
    if PUBLIC in allowed:
        return
    if actor is None:
        raise NotAuthorizedException(detail="sign in or send a bearer token")
    if actor.role not in allowed:
        raise PermissionDeniedException(detail="your role may not do this")
