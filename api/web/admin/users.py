"""Administrators' users page: staff accounts (create, disable) and the list of API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, roles
from api.auth.api_tokens import list_api_tokens
from api.models import User, UserVenue
from api.users import create_user, disable_user
from api.web.common import (
    WEB_EXCEPTION_HANDLERS,
    AnyRequest,
    csrf_guard,
    page,
    redirect,
)
from api.web.officer.page_helpers import form_text
from api.web.sessions import session_store
from venues.models import Venue
from vetting.actors import ROLES, Actor
from vetting.errors import Conflict, Invalid, NotFound
from vetting.provider_directory import list_providers


def staff_provider(request: AnyRequest) -> UUID | None:
    actor: Actor | None = request.scope.get("state", {}).get("actor")
    return actor.provider_id if actor is not None else None


def _venue_ids(raw: list[str]) -> list[UUID]:
    try:
        return [UUID(v) for v in raw]
    except ValueError:
        raise Invalid("the user is not valid", {"venues": "choose venues from the list"}) from None


def _chosen_provider(raw: str) -> UUID | None:
    """The organisation a service administrator picked; none: the whole service (administrators)."""
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise Invalid(
            "the user is not valid", {"organisation": "choose an organisation from the list"}
        ) from None


class AdminUsersController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _users_page(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        users = list(
            (await db_session.execute(select(User).order_by(User.active.desc(), User.email))).scalars()
        )
        venues = list((await db_session.execute(select(Venue).order_by(Venue.name))).scalars())
        links = (await db_session.execute(select(UserVenue.user_id, UserVenue.venue_id))).all()
        venue_names = {v.id: v.name for v in venues}
        by_user: dict[UUID, list[str]] = {}
        for user_id, vid in links:
            by_user.setdefault(user_id, []).append(venue_names.get(vid, ""))
        return page(
            request,
            "officer_users.html",
            {
                "users": users,
                "venues": venues,
                "by_user": by_user,
                "tokens": await list_api_tokens(db_session),
                "now": dt.datetime.now(dt.UTC),
                "roles": ROLES,
                # A service administrator says whose staff a new user is; an organisation's
                # administrator adds staff to their own organisation only.
                "providers": await list_providers(db_session) if staff_provider(request) is None else [],
                "errors": errors or {},
                "values": values or {},
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get("/users", opt=roles(*ADMIN), name="officer_users")
    async def users(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        return await self._users_page(request, db_session)

    @post("/users", opt=roles(*ADMIN))
    async def create_user(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        values: dict[str, Any] = {k: form_text(form, k) for k in ("email", "name", "role", "organisation")}
        values["venues"] = list(form.getall("venues")) if "venues" in form else []
        password = str(form.get("password") or "")
        try:
            # An organisation's administrator adds staff to it, whatever the form says; only a
            # service administrator picks (none: staff of the service itself).
            provider_id = staff.provider_id or _chosen_provider(values["organisation"])
            await create_user(
                db_session,
                provider_id=provider_id,
                email=values["email"],
                name=values["name"],
                role=values["role"],
                password=password,
                venue_ids=_venue_ids(values["venues"]),
            )
            await db_session.commit()
        except (Invalid, Conflict, NotFound) as exc:
            await db_session.rollback()
            if isinstance(exc, Invalid):
                errors = {("venues" if k == "venue" else k): v for k, v in exc.errors.items()}
                errors = errors or {"organisation": exc.message}
            elif isinstance(exc, NotFound):
                errors = {"organisation" if "organisation" in exc.message else "venues": exc.message}
            else:
                errors = {"email": exc.message}
            return await self._users_page(request, db_session, errors=errors, values=values, status_code=400)
        return redirect("/officer/users?done=created")

    @post("/users/{user_id:uuid}/disable", opt=roles(*ADMIN))
    async def disable(
        self, request: AnyRequest, user_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        user = await db_session.get(User, user_id)
        if user is None:  # missing or another organisation's: the same 404
            raise NotFound("no such user")
        if user.id == staff.id:
            return await self._users_page(
                request, db_session, errors={"form": "You cannot disable your own account"}, status_code=400
            )
        await disable_user(db_session, user, sessions=session_store(request, db_session))
        await db_session.commit()
        return redirect("/officer/users?done=disabled")
