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
        values: dict[str, Any] = {k: form_text(form, k) for k in ("email", "name", "role")}
        values["venues"] = list(form.getall("venues")) if "venues" in form else []
        password = str(form.get("password") or "")
        try:
            await create_user(
                db_session,
                email=values["email"],
                name=values["name"],
                role=values["role"],
                password=password,
                venue_ids=[UUID(v) for v in values["venues"]],
                # An organisation's administrator adds staff to it; only a service
                # administrator (no organisation) makes staff of the service itself.
                provider_id=staff.provider_id,
            )
            await db_session.commit()
        except (Invalid, Conflict) as exc:
            await db_session.rollback()
            if isinstance(exc, Invalid):
                errors = {("venues" if k == "venue" else k): v for k, v in exc.errors.items()}
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
