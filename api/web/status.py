"""The hirer's private status page: where the request stands and what they can do next.

It is built only from `Workflow.applicant_view`, which never carries screening detail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, roles
from api.web.booking.date_fields import PARTS, read_date_parts
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect, settings_of
from api.web.i18n import DEFAULT, current_language
from api.web.i18n import gettext as _
from api.web.pay_pages import payment_provider
from api.web.readable import form_error, long_date, occurrence_text
from casework.birth_dates import EARLIEST_YEAR, check_birth_date, date_from_parts
from casework.charges_view import case_charges
from casework.charging import local_today
from casework.documents import hirer_documents
from casework.message_history import hirer_messages
from casework.workflow import Workflow
from vetting.errors import Conflict, Invalid


def _date_text(value: str | None) -> str | None:
    return long_date(value) or None


async def _dates_of_birth(
    form: Any, token: str, workflow: Workflow
) -> tuple[dict[str, dt.date], dict[str, str], dict[str, str]]:
    """The dates of birth typed for the people the request asks about (GOV.UK date inputs named
    ``dob-N-day``, ``-month``, ``-year``): the dates, the errors by field, and what was typed."""
    asked = (await workflow.applicant_view(token)).get("dates_of_birth_asked") or []
    births: dict[str, dt.date] = {}
    problems: dict[str, str] = {}
    typed: dict[str, str] = {}
    for i, name in enumerate(asked):
        parts = [str(form.get(f"dob-{i}-{unit}") or "").strip() for unit in ("day", "month", "year")]
        typed.update(
            {f"dob-{i}-{unit}": part for unit, part in zip(("day", "month", "year"), parts, strict=True)}
        )
        try:
            births[name] = date_from_parts(*parts)
        except Invalid as exc:
            # Each person's own words: the summary lists every field in error.
            if current_language() == DEFAULT:
                problems[f"dob-{i}"] = exc.message.replace(
                    "date of birth", f"date of birth of {name}", 1
                ).replace("Date of birth", f"Date of birth of {name}", 1)
            else:
                problems[f"dob-{i}"] = _birth_date_problem(parts, name)
    return births, problems, typed


def _birth_date_problem(parts: list[str], name: str) -> str:
    """Why a typed date of birth was refused, as a whole sentence in the reader's language (the
    casework message is English): the date input's own checks, then casework's range."""
    subject = _("Date of birth of %(name)s") % {"name": name}
    missing = _("Enter the date of birth of %(name)s") % {"name": name}
    answer = read_date_parts(dict(zip(PARTS, parts, strict=True)), subject, missing)
    if answer.error is not None:
        return answer.error
    if answer.day is not None and all(p.isdigit() for p in parts):
        try:
            check_birth_date(answer.day)
        except Invalid as exc:
            if "past" in exc.message:
                return _("%(subject)s must be in the past") % {"subject": subject}
            return _("%(subject)s must be after %(year)s") % {"subject": subject, "year": EARLIEST_YEAR}
    return _("%(subject)s must be a real date") % {"subject": subject}


class StatusController(Controller):
    path = "/status"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _show(
        self,
        request: AnyRequest,
        token: str,
        workflow: Workflow,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Template:
        view = await workflow.applicant_view(token, current_language())
        decision = view.get("decision") or {}
        appeal_until = decision.get("appeal_until")
        can_appeal = (
            view["status"] == "refused"
            and not view.get("appeal")
            and appeal_until is not None
            and dt.date.today() <= dt.date.fromisoformat(appeal_until)
        )
        return page(
            request,
            "status.html",
            {
                "view": view,
                "token": token,
                "link": await workflow.status_link(token),
                "messages": await hirer_messages(workflow.session, (await workflow.case_by_token(token)).id),
                "sent": request.query_params.get("sent") == "1",
                "done": request.query_params.get("done"),
                "target_text": _date_text(view.get("target_date")),
                "decided_text": _date_text(decision.get("decided_at")),
                "appeal_until_text": _date_text(appeal_until),
                "can_appeal": can_appeal,
                "dates": [
                    {
                        "text": occurrence_text(d.start, d.end),
                        # Held or cancelled, never why a date is not (yet) held.
                        "status": d.status if d.status in ("held", "cancelled") else "requested",
                        "id": d.id,
                        "withdrawable": d.withdrawable,
                    }
                    for d in await workflow.hirer_dates(token)
                ],
                "errors": errors or {},
                "values": values or {},
                "message": message,
                "documents": await hirer_documents(workflow, token, current_language()),
                "pay_online": payment_provider(settings_of(request)).online,
                "charges": await case_charges(
                    workflow.session, await workflow.case_by_token(token), today=local_today()
                ),
            },
            status_code=status_code,
        )

    @get("/{token:str}", opt=roles(PUBLIC), name="status")
    async def status(self, request: AnyRequest, token: str, workflow: Workflow) -> Template:
        return await self._show(request, token, workflow)

    async def _act(
        self,
        request: AnyRequest,
        token: str,
        workflow: Workflow,
        db_session: AsyncSession,
        action: str,
    ) -> Template | Redirect:
        form = await request.form()
        text = str(form.get("text") or "").strip()
        field = {"information": "response", "appeal": "grounds"}.get(action, "")
        births: dict[str, dt.date] = {}
        if action == "information":
            births, problems, typed = await _dates_of_birth(form, token, workflow)
            if problems:
                await db_session.rollback()
                return await self._show(
                    request, token, workflow, errors=problems, values={field: text, **typed}, status_code=400
                )
        try:
            if action == "information":
                await workflow.provide_information(token, text, births)
            elif action == "accept":
                await workflow.accept_conditions(token)
            elif action == "withdraw":
                if form.get("confirm") != "yes":
                    await db_session.rollback()
                    return await self._show(
                        request,
                        token,
                        workflow,
                        errors={"confirm": _("Tick the box to confirm you want to withdraw the request")},
                        status_code=400,
                    )
                await workflow.withdraw(token)
            elif action == "appeal":
                await workflow.appeal(token, text)
            elif action == "revoked":
                await workflow.revoke_other_links(token)
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            dated = {k: v for k, v in exc.errors.items() if k.startswith("dob-")}
            if dated:
                return await self._show(
                    request, token, workflow, errors=dated, values={field: text}, status_code=400
                )
            message = next(iter(exc.errors.values()), exc.message)
            if message == "is required":
                shown = form_error(field, exc.message)  # what to do, in the GOV.UK style
            else:
                shown = (
                    f"{exc.message[:1].upper()}{exc.message[1:]} ({message})"
                    if message != exc.message
                    else exc.message
                )
            return await self._show(
                request,
                token,
                workflow,
                errors={field: shown},
                values={field: text},
                status_code=400,
            )
        except Conflict as exc:
            await db_session.rollback()
            return await self._show(request, token, workflow, message=exc.message, status_code=409)
        return redirect(f"/status/{token}?done={action}")

    @post("/{token:str}/information", opt=roles(PUBLIC))
    async def information(
        self, request: AnyRequest, token: str, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        return await self._act(request, token, workflow, db_session, "information")

    @post("/{token:str}/accept", opt=roles(PUBLIC))
    async def accept(
        self, request: AnyRequest, token: str, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        return await self._act(request, token, workflow, db_session, "accept")

    @post("/{token:str}/withdraw", opt=roles(PUBLIC))
    async def withdraw(
        self, request: AnyRequest, token: str, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        return await self._act(request, token, workflow, db_session, "withdraw")

    @post("/{token:str}/revoke-others", opt=roles(PUBLIC))
    async def revoke_others(
        self, request: AnyRequest, token: str, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        """Stop every other private link to the request (the one in use keeps working)."""
        return await self._act(request, token, workflow, db_session, "revoked")

    @post("/{token:str}/appeal", opt=roles(PUBLIC))
    async def appeal(
        self, request: AnyRequest, token: str, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        return await self._act(request, token, workflow, db_session, "appeal")
