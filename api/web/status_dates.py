"""A hirer withdraws one date of their series from the status page: a page that shows the date
and what withdrawing it gives back (the cancellation fee for the notice given), then the
confirmation. The whole request is withdrawn on the status page itself."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from api.web.i18n import gettext as _
from casework.workflow import Workflow
from vetting.errors import Conflict


class HirerDateController(Controller):
    path = "/status"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _page(
        self,
        request: AnyRequest,
        token: str,
        occurrence_id: UUID,
        workflow: Workflow,
        *,
        errors: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Template:
        terms = None if message else await workflow.date_withdrawal_terms(token, occurrence_id)
        return page(
            request,
            "status_date_withdraw.html",
            {
                "token": token,
                "occurrence_id": occurrence_id,
                "terms": terms,
                "errors": errors or {},
                "message": message,
            },
            status_code=status_code,
        )

    @get("/{token:str}/dates/{occurrence_id:uuid}/withdraw", opt=roles(PUBLIC), name="hirer_date_withdraw")
    async def ask(self, request: AnyRequest, token: str, occurrence_id: UUID, workflow: Workflow) -> Template:
        try:
            return await self._page(request, token, occurrence_id, workflow)
        except Conflict as exc:
            return await self._page(
                request, token, occurrence_id, workflow, message=exc.message, status_code=409
            )

    @post("/{token:str}/dates/{occurrence_id:uuid}/withdraw", opt=roles(PUBLIC))
    async def withdraw(
        self,
        request: AnyRequest,
        token: str,
        occurrence_id: UUID,
        workflow: Workflow,
        db_session: AsyncSession,
    ) -> Template | Redirect:
        form = await request.form()
        try:
            if form.get("confirm") != "yes":
                return await self._page(
                    request,
                    token,
                    occurrence_id,
                    workflow,
                    errors={"confirm": _("Tick the box to confirm you want to withdraw this date")},
                    status_code=400,
                )
            await workflow.withdraw_date(token, occurrence_id)
            await db_session.commit()
        except Conflict as exc:
            await db_session.rollback()
            return await self._page(
                request, token, occurrence_id, workflow, message=exc.message, status_code=409
            )
        return redirect(f"/status/{token}?done=date_withdrawn")
