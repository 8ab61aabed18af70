"""Administrators revoke API tokens one by one (the list is on the users page, /officer/users)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit import actor_label, append
from api.auth.actor import ADMIN, roles
from api.auth.api_tokens import revoke_api_token
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, redirect
from vetting.actors import Actor


class AdminTokensController(Controller):
    path = "/officer/tokens"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @post("/{token_id:uuid}/revoke", opt=roles(*ADMIN))
    async def revoke(
        self, request: AnyRequest, token_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Redirect:
        token = await revoke_api_token(db_session, token_id)  # NotFound: the 404 page
        await append(
            db_session,
            actor=actor_label(staff),
            action="revoke",
            object_type="api_token",
            object_id=str(token.id),
        )
        await db_session.commit()
        return redirect("/officer/users?done=token-revoked#api-tokens")
