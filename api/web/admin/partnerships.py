"""Administrators' partnerships page: partnerships, their members and sharing agreements.

Service administrators manage every partnership; a lead council's administrators manage theirs;
other administrators see the partnerships their organisation belongs to (vetting/sharing.py).
Agreements whose review date has passed stay in force and are marked overdue for review.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from api.web.officer.page_helpers import form_text
from vetting.actors import Actor
from vetting.errors import Conflict, Invalid
from vetting.provider_directory import list_providers
from vetting.providers import ProviderKind
from vetting.sharing import (
    add_member,
    agreement_state,
    create_partnership,
    get_partnership,
    list_partnerships,
    record_agreement,
    remove_member,
    withdraw_agreement,
)

PATH = "/officer/partnerships"


def _uuid(value: str, field: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise Invalid("choose an organisation", {field: "choose one from the list"}) from None


class AdminPartnershipsController(Controller):
    path = PATH
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _page(
        self,
        request: AnyRequest,
        staff: Actor,
        db_session: AsyncSession,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        providers = list(await list_providers(db_session))
        views = await list_partnerships(db_session, staff)
        today = dt.datetime.now(dt.UTC).date()
        return page(
            request,
            "officer_partnerships.html",
            {
                "views": views,
                # Who each partnership could add: every organisation not yet a member.
                "candidates": {
                    v.partnership.id: [
                        (str(p.id), p.name) for p in providers if p.id not in {m.id for m in v.members}
                    ]
                    for v in views
                },
                "councils": [
                    p
                    for p in providers
                    if ProviderKind(p.kind).is_council and (staff.provider_id in (None, p.id))
                ],
                "state": lambda a: agreement_state(a, today).value,
                "errors": errors or {},
                "values": values or {},
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    async def _refused(
        self,
        request: AnyRequest,
        staff: Actor,
        db_session: AsyncSession,
        exc: Invalid | Conflict,
        values: Any,
    ) -> Template:
        await db_session.rollback()
        errors = exc.errors if isinstance(exc, Invalid) and exc.errors else {"form": exc.message}
        return await self._page(request, staff, db_session, errors=errors, values=values, status_code=400)

    @get("/", opt=roles(*ADMIN), name="officer_partnerships")
    async def partnerships(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template:
        return await self._page(request, staff, db_session)

    @post("/", opt={**roles(*ADMIN), "audit": ("partnership", "create", None)})
    async def create(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        values = {"name": form_text(form, "name"), "lead": form_text(form, "lead")}
        try:
            await create_partnership(
                db_session, staff, name=values["name"], lead_provider_id=_uuid(values["lead"], "lead")
            )
            await db_session.commit()
        except (Invalid, Conflict) as exc:
            return await self._refused(request, staff, db_session, exc, values)
        return redirect(f"{PATH}?done=created")

    @post(
        "/{partnership_id:uuid}/members",
        opt={**roles(*ADMIN), "audit": ("partnership", "add_member", "partnership_id")},
    )
    async def add(
        self, request: AnyRequest, partnership_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        # Which partnership first: one the member of staff cannot see is missing, whatever the form.
        await get_partnership(db_session, partnership_id)
        form = await request.form()
        try:
            await add_member(
                db_session, staff, partnership_id, _uuid(form_text(form, "provider"), "provider")
            )
            await db_session.commit()
        except (Invalid, Conflict) as exc:
            return await self._refused(request, staff, db_session, exc, {})
        return redirect(f"{PATH}?done=member-added")

    @post(
        "/{partnership_id:uuid}/members/{provider_id:uuid}/remove",
        opt={**roles(*ADMIN), "audit": ("partnership", "remove_member", "partnership_id")},
    )
    async def remove(
        self,
        request: AnyRequest,
        partnership_id: UUID,
        provider_id: UUID,
        staff: Actor,
        db_session: AsyncSession,
    ) -> Template | Redirect:
        try:
            await remove_member(db_session, staff, partnership_id, provider_id)
            await db_session.commit()
        except (Invalid, Conflict) as exc:
            return await self._refused(request, staff, db_session, exc, {})
        return redirect(f"{PATH}?done=member-removed")

    @post(
        "/{partnership_id:uuid}/agreements",
        opt={**roles(*ADMIN), "audit": ("sharing_agreement", "agree", "partnership_id")},
    )
    async def agree(
        self, request: AnyRequest, partnership_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        await get_partnership(db_session, partnership_id)  # as in `add`: 404 before the form
        form = await request.form()
        shares = list(form.getall("shares")) if "shares" in form else []
        values: dict[str, Any] = {
            "partnership": str(partnership_id),
            "reference": form_text(form, "reference"),
            "review_date": form_text(form, "review_date"),
            "note": form_text(form, "note"),
            "shares": shares,
        }
        try:
            try:
                review = dt.date.fromisoformat(values["review_date"])
            except ValueError:
                raise Invalid("give the review date", {"review_date": "a date such as 2027-06-30"}) from None
            await record_agreement(
                db_session,
                staff,
                partnership_id,
                reference=values["reference"],
                review_date=review,
                shares_flagged="flagged" in shares,
                shares_findings="findings" in shares,
                note=values["note"],
            )
            await db_session.commit()
        except (Invalid, Conflict) as exc:
            return await self._refused(request, staff, db_session, exc, values)
        return redirect(f"{PATH}?done=agreed")

    @post(
        "/agreements/{agreement_id:uuid}/withdraw",
        opt={**roles(*ADMIN), "audit": ("sharing_agreement", "withdraw", "agreement_id")},
    )
    async def withdraw(self, agreement_id: UUID, staff: Actor, db_session: AsyncSession) -> Redirect:
        await withdraw_agreement(db_session, staff, agreement_id)
        await db_session.commit()
        return redirect(f"{PATH}?done=withdrawn")
