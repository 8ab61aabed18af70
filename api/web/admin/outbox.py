"""Administrators' outbox page: messages that failed (dead letters) or are being retried, each
with a Retry button. An organisation's administrator sees and retries its own organisation's
messages only (the request's session is scoped); the messages preview is /admin/messages."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from vetting.errors import Conflict
from vetting.outbox_admin import list_messages, retry
from vetting.outbox_models import DEAD, RETRYING


class AdminOutboxController(Controller):
    path = "/admin/outbox"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _page(self, request: AnyRequest, db_session: AsyncSession, *, message: str | None = None,
                    status_code: int = 200) -> Template:  # fmt: skip
        return page(
            request,
            "admin_outbox.html",
            {
                "dead": await list_messages(db_session, (DEAD,)),
                "retrying": await list_messages(db_session, (RETRYING,)),
                "done": request.query_params.get("done"),
                "message": message,
            },
            status_code=status_code,
        )

    @get("/", opt=roles(*ADMIN), name="admin_outbox")
    async def outbox(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        return await self._page(request, db_session)

    @post(
        "/{message_id:uuid}/retry", opt={**roles(*ADMIN), "audit": ("outbox_message", "retry", "message_id")}
    )
    async def retry(
        self, request: AnyRequest, message_id: UUID, db_session: AsyncSession
    ) -> Template | Redirect:
        try:
            await retry(db_session, message_id)  # NotFound for another organisation's: 404
        except Conflict as exc:
            await db_session.rollback()
            return await self._page(request, db_session, message=exc.message, status_code=409)
        await db_session.commit()
        return redirect("/admin/outbox?done=retried")
