"""Invoices on the web: the hirer's (from the private status link) and the officer's, each as a
page and as a PDF, and the officer's form to record a payment received."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, PUBLIC, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from api.web.invoice_pdf import invoice_pdf
from casework.charging import local_today
from casework.deposits import settle_deposit
from casework.payments import (
    METHOD_WORDS,
    STAFF_METHODS,
    hirer_invoice,
    officer_case_charges,
    officer_invoice,
    record_payment,
)
from casework.workflow import Workflow
from vetting.actors import Actor
from vetting.errors import Conflict, Invalid, NotFound


def _pdf(inv: dict[str, Any]) -> Response[bytes]:
    return Response(
        invoice_pdf(inv),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{inv["number"]}.pdf"',
            "Cache-Control": "no-store",
        },
    )


class HirerInvoiceController(Controller):
    path = "/status"
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/{token:str}/invoice", opt=roles(PUBLIC), name="hirer_invoice")
    async def invoice(self, request: AnyRequest, token: str, workflow: Workflow) -> Template:
        inv = await hirer_invoice(workflow, token)
        return page(
            request,
            "invoice.html",
            {"inv": inv, "pdf_url": f"/status/{token}/invoice.pdf", "back_url": f"/status/{token}"},
        )

    @get("/{token:str}/invoice.pdf", opt=roles(PUBLIC), name="hirer_invoice_pdf")
    async def invoice_pdf(self, token: str, workflow: Workflow) -> Response[bytes]:
        return _pdf(await hirer_invoice(workflow, token))


class OfficerInvoiceController(Controller):
    path = "/officer/cases"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _page(
        self,
        request: AnyRequest,
        staff: Actor,
        workflow: Workflow,
        case_id: UUID,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        case, charges = await officer_case_charges(workflow, staff, case_id, today=local_today())
        inv = await officer_invoice(workflow, staff, case_id)
        return page(
            request,
            "officer_invoice.html",
            {
                "inv": inv,
                "charges": charges,
                "case": case,
                "methods": STAFF_METHODS,
                "method_words": METHOD_WORDS,
                "pdf_url": f"/officer/cases/{case_id}/invoice?format=pdf",
                "back_url": f"/officer/cases/{case_id}",
                "errors": errors or {},
                "values": values or {"received_on": local_today().isoformat()},
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get("/{case_id:uuid}/invoice", opt=roles(*OFFICERS), name="officer_invoice")
    async def invoice(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, format: str = "html"
    ) -> Template | Response[bytes]:
        """The invoice page, or with ``?format=pdf`` the invoice as a PDF."""
        if format == "pdf":
            inv = await officer_invoice(workflow, staff, case_id)
            if inv is None:
                raise NotFound("this booking has no invoice")
            return _pdf(inv)
        return await self._page(request, staff, workflow, case_id)

    @post("/{case_id:uuid}/payments", opt=roles(*OFFICERS), name="officer_record_payment")
    async def record(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        values = {k: str(form.get(k) or "") for k in ("method", "amount", "reference", "received_on")}
        errors: dict[str, str] = {}
        try:
            received = dt.date.fromisoformat(values["received_on"])
        except ValueError:
            errors["received_on"] = "enter the date it was received, such as 2027-01-12"
            received = local_today()
        try:
            if errors:
                raise Invalid("the payment could not be recorded", errors)
            await record_payment(
                workflow,
                staff,
                case_id,
                method=values["method"],
                amount=values["amount"],
                reference=values["reference"],
                received_on=received,
            )
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            return await self._page(
                request,
                staff,
                workflow,
                case_id,
                errors={**errors, **exc.errors},
                values=values,
                status_code=400,
            )
        return redirect(f"/officer/cases/{case_id}/invoice?done=payment")

    @post("/{case_id:uuid}/deposit", opt=roles(*OFFICERS), name="officer_settle_deposit")
    async def settle(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        """Refund the deposit after the booking: all of it, or part with why the rest is kept."""
        form = await request.form()
        values = {k: str(form.get(k) or "") for k in ("refund", "deposit_reason")}
        try:
            await settle_deposit(
                workflow,
                staff,
                case_id,
                refund=values["refund"],
                reason=values["deposit_reason"],
                today=local_today(),
            )
            await db_session.commit()
        except (Invalid, Conflict) as exc:
            await db_session.rollback()
            errors = exc.errors if isinstance(exc, Invalid) else {"refund": exc.message}
            errors = {("deposit_reason" if k == "reason" else k): v for k, v in errors.items()}
            return await self._page(
                request, staff, workflow, case_id, errors=errors, values=values, status_code=400
            )
        return redirect(f"/officer/cases/{case_id}/invoice?done=deposit")
