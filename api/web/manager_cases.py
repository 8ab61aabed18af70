"""Venue managers' case pages for the tiers their venue's policy delegates to them: the requests
waiting for them, one request (without screening detail beyond what the policy allows), the
decision form and the countersignature of another manager's refusal.

Who may see and decide what is settled in the use cases (casework/delegation.py and
casework/decide.py): a manager of another venue gets 404, a tier decided by officers 403.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import roles
from api.schemas import CountersignIn
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from api.web.decision_form import post_decision
from api.web.officer.page_helpers import form_text, problem_text, validate_form
from api.web.readable import OCCURRENCE_LABELS
from casework.manager_cases import manager_case_view, manager_queue
from casework.workflow import Workflow
from policies import Policy
from vetting.actors import Actor
from vetting.errors import Conflict, Forbidden, Invalid
from vetting.policy_store import policy_version

MANAGERS = ("venue_manager",)


class ManagerCasesController(Controller):
    path = "/manager/cases"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/", opt=roles(*MANAGERS), name="manager_cases")
    async def cases(self, request: AnyRequest, staff: Actor, workflow: Workflow) -> Template:
        return page(request, "manager_cases.html", {"cases": await manager_queue(workflow, staff)})

    async def _case_page(
        self,
        request: AnyRequest,
        staff: Actor,
        workflow: Workflow,
        case_id: UUID,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Template:
        view = await manager_case_view(workflow, staff, case_id)
        policy: Policy = await policy_version(
            workflow.session, view["policy"]["id"], view["policy"]["version"]
        )
        return page(
            request,
            "manager_case.html",
            {
                "c": view,
                "record_outcomes": False,  # officers record a check's outcome; managers confirm over it
                "policy": policy,
                "occurrence_labels": OCCURRENCE_LABELS,
                "errors": errors or {},
                "values": values or {"conditions": [], "rationale": {}},
                "message": message,
                "done": request.query_params.get("done"),
                "action": f"/manager/cases/{case_id}",
            },
            status_code=status_code,
        )

    @get(
        "/{case_id:uuid}",
        opt={**roles(*MANAGERS), "audit": ("case", "view", "case_id")},
        name="manager_case",
    )
    async def case(self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow) -> Template:
        return await self._case_page(request, staff, workflow, case_id)

    @post("/{case_id:uuid}/decision", opt={**roles(*MANAGERS), "audit": ("case", "decide", "case_id")})
    async def decide(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        async def case_page(**kw: Any) -> Template:
            return await self._case_page(request, staff, workflow, case_id, **kw)

        return await post_decision(
            await request.form(),
            staff,
            case_id,
            workflow,
            db_session,
            case_page,
            f"/manager/cases/{case_id}?done=decision",
        )

    @post(
        "/{case_id:uuid}/countersign",
        opt={**roles(*MANAGERS), "audit": ("case", "countersign", "case_id")},
    )
    async def countersign(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        agree = form_text(form, "agree")
        data, problems = validate_form(
            CountersignIn, {"agree": agree == "yes", "note": form_text(form, "note") or None}
        )
        if data is None or agree not in ("yes", "no"):
            errors = (
                {"agree-yes": "Choose whether you agree with the refusal"}
                if agree not in ("yes", "no")
                else {"countersign-note": problems.get("note") or problem_text(problems)}
            )
            return await self._case_page(request, staff, workflow, case_id, errors=errors, status_code=400)
        try:
            await workflow.countersign(staff, case_id, agree=data.agree, note=data.note)
            await db_session.commit()
        except (Conflict, Invalid, Forbidden) as exc:
            await db_session.rollback()
            status = 403 if isinstance(exc, Forbidden) else 409
            return await self._case_page(
                request, staff, workflow, case_id, message=exc.message, status_code=status
            )
        return redirect(f"/manager/cases/{case_id}?done=countersign")
