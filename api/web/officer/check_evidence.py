"""The officer's case page: recording a check's outcome from the evidence (issue 17 item 2)."""

from __future__ import annotations

import re
from uuid import UUID

from litestar import Controller, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.schemas.evidence import CheckOutcomeIn
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, redirect
from api.web.officer.cases import officer_case_page as _case_page
from api.web.officer.page_helpers import form_text, validate_form
from casework.workflow import Workflow
from vetting.actors import Actor
from vetting.errors import Conflict, Invalid

CHECK_ID = re.compile(r"[a-z][a-z0-9_]{0,59}")


class OfficerCheckEvidenceController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @post(
        "/cases/{case_id:uuid}/checks/{check_id:str}/outcome",
        opt={**roles(*OFFICERS), "audit": ("case", "record_check_outcome", "case_id")},
    )
    async def record_outcome(
        self,
        request: AnyRequest,
        case_id: UUID,
        check_id: str,
        staff: Actor,
        workflow: Workflow,
        db_session: AsyncSession,
    ) -> Template | Redirect:
        form = await request.form()
        satisfied = form_text(form, "satisfied")
        document = form_text(form, "document_id")
        data, problems = validate_form(
            CheckOutcomeIn,
            {
                "satisfied": satisfied if satisfied in ("yes", "no") else None,
                "note": form_text(form, "note"),
                "document_id": document or None,
            },
        )
        field = f"check-{check_id}" if _valid_check_id(check_id) else "check"
        if data is None:
            errors: dict[str, str] = {}
            if "satisfied" in problems:
                errors[f"{field}-satisfied"] = "Choose whether the evidence satisfies the check"
            if "note" in problems:
                errors[f"{field}-note"] = "Enter what the evidence showed"
            if "document_id" in problems:
                errors[f"{field}-document"] = "Choose a document sent for this request"
            return await _case_page(request, staff, workflow, case_id, errors=errors, status_code=400)
        try:
            await workflow.record_check_outcome(
                staff, case_id, check_id, data.satisfied, data.note, data.document_id
            )
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            key = f"{field}-document" if "document_id" in exc.errors else f"{field}-note"
            return await _case_page(
                request, staff, workflow, case_id, errors={key: exc.message}, status_code=400
            )
        except Conflict as exc:
            await db_session.rollback()
            return await _case_page(request, staff, workflow, case_id, message=exc.message, status_code=409)
        return redirect(f"/officer/cases/{case_id}?done=check-outcome#checks")


def _valid_check_id(check_id: str) -> bool:
    return CHECK_ID.fullmatch(check_id) is not None
