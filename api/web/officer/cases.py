"""The officer's case page and what an officer does on it: decide, countersign, settle appeals,
answer the organisation-link question and dispose of screening matches."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, cast
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.schemas import AppealDecisionIn, CountersignIn, DispositionIn, OrganisationLinkIn
from api.web.common import (
    WEB_EXCEPTION_HANDLERS,
    AnyRequest,
    csrf_guard,
    page,
    redirect,
)
from api.web.decision_form import post_decision
from api.web.officer.appeal_form import APPEAL_ERRORS, appeal_form_errors
from api.web.officer.documents import officer_documents
from api.web.officer.page_helpers import form_text, problem_text, validate_form
from api.web.readable import OCCURRENCE_LABELS
from casework.assignment import assignable_officers, is_senior
from casework.charging import local_today
from casework.decision_records import pending_refusal as pending_refusal_of
from casework.delegation import delegated_to
from casework.message_history import case_messages
from casework.organisation_review import resolve_organisation_link
from casework.payments import officer_case_charges
from casework.workflow import Workflow
from policies import Policy
from vetting.actors import Actor
from vetting.case_screening import dispose
from vetting.errors import Conflict, Forbidden, Invalid, NotFound
from vetting.models import ScreeningMatch
from vetting.policy_store import policy_version


class OfficerCasesController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

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
        view = await workflow.case_view(staff, case_id)
        policy: Policy = await policy_version(
            workflow.session, view["policy"]["id"], view["policy"]["version"]
        )
        pending_refusal = next(
            (
                d
                for d in view["decisions"]
                if d["kind"] == "decision"
                and d["outcome"] == "refuse"
                and not d["effective"]
                and not d["countersigned_by"]
            ),
            None,
        )
        pending_appeal = next(
            (d for d in view["decisions"] if d["kind"] == "appeal" and d["outcome"] == "pending"), None
        )
        # The proposer of a refusal is shown no countersign form (the service refuses it too).
        proposed = await pending_refusal_of(workflow.session, case_id) if pending_refusal else None
        deciders = await workflow.appeal_deciders(case_id) if pending_appeal else None
        return page(
            request,
            "officer_case.html",
            {
                "c": view,
                "policy": policy,
                "occurrence_labels": OCCURRENCE_LABELS,
                "messages": await case_messages(workflow.session, case_id),
                "errors": errors or {},
                "values": values or {"conditions": [], "rationale": {}},
                "message": message,
                "done": request.query_params.get("done"),
                "open_matches": [m for m in view["screening"] if m["disposition"] == "open"],
                "can_decide": view["status"] in ("under_review", "awaiting_information")
                and not pending_refusal,
                "pending_refusal": pending_refusal,
                "pending_appeal": pending_appeal,
                "proposed_by_me": proposed is not None and proposed.officer_id == staff.id,
                "appeal_deciders": deciders,
                "delegation": await delegated_to(workflow, await workflow.get_case(case_id)),
                "may_decide_appeal": deciders is not None and deciders.may_decide(staff),
                "assign_officers": await _assign_options(workflow, staff, case_id),
                "case_documents": await officer_documents(workflow, case_id, policy),
                "charges": (await officer_case_charges(workflow, staff, case_id, today=local_today()))[1],
            },
            status_code=status_code,
        )

    @get(
        "/cases/{case_id:uuid}",
        opt={**roles(*OFFICERS), "audit": ("case", "view", "case_id")},
        name="officer_case",
    )
    async def case(self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow) -> Template:
        return await self._case_page(request, staff, workflow, case_id)

    @post("/cases/{case_id:uuid}/decision", opt={**roles(*OFFICERS), "audit": ("case", "decide", "case_id")})
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
            f"/officer/cases/{case_id}?done=decision",
        )

    @post(
        "/cases/{case_id:uuid}/countersign",
        opt={**roles(*OFFICERS), "audit": ("case", "countersign", "case_id")},
    )
    async def countersign(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        data, problems = validate_form(
            CountersignIn,
            {"agree": form_text(form, "agree") == "yes", "note": form_text(form, "note") or None},
        )
        if data is None:
            errors = {"countersign-note": problems.get("note") or problem_text(problems)}
            return await self._case_page(request, staff, workflow, case_id, errors=errors, status_code=400)
        action = workflow.countersign(staff, case_id, agree=data.agree, note=data.note)
        return await self._case_action(
            request, staff, workflow, db_session, case_id, action, done="countersign"
        )

    @post(
        "/cases/{case_id:uuid}/appeal-decision",
        opt={**roles(*OFFICERS), "audit": ("case", "decide_appeal", "case_id")},
    )
    async def appeal_decision(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        outcome = form_text(form, "appeal_outcome")
        codes = list(form.getall("appeal_conditions")) if "appeal_conditions" in form else []
        rationale = form_text(form, "appeal_rationale") or None
        values: dict[str, Any] = {
            "appeal_outcome": outcome,
            "appeal_reason": form_text(form, "appeal_reason"),
            "appeal_conditions": codes,
            "appeal_rationale": rationale or "",
        }
        approving = outcome in ("reapproved", "varied")
        data, problems = validate_form(
            AppealDecisionIn,
            {
                "outcome": outcome,
                "reason": values["appeal_reason"],
                "conditions": [
                    {"code": code, "text": None, "rationale": rationale}
                    for code in (codes if approving else [])
                ],
            },
        )
        errors = appeal_form_errors(problems) if data is None else {}
        # Every missing answer at once (the model lets an empty reason through to the workflow).
        if not values["appeal_reason"].strip():
            errors["appeal_reason"] = APPEAL_ERRORS["appeal_reason"]
        if outcome == "varied" and not codes:
            errors["appeal_conditions"] = APPEAL_ERRORS["appeal_conditions"]
        if data is not None and not errors:
            try:
                await workflow.decide_appeal(
                    staff, case_id, data.outcome, data.reason, [c.model_dump() for c in data.conditions]
                )
                await db_session.commit()
                return redirect(f"/officer/cases/{case_id}?done=appeal")
            except Invalid as exc:
                await db_session.rollback()
                errors = appeal_form_errors(exc.errors or {"appeal": exc.message})
            except (Conflict, Forbidden) as exc:
                await db_session.rollback()
                status = 403 if isinstance(exc, Forbidden) else 409
                return await self._case_page(
                    request, staff, workflow, case_id, message=exc.message, values=values, status_code=status
                )
        return await self._case_page(
            request, staff, workflow, case_id, errors=errors, values=values, status_code=400
        )

    @post(
        "/cases/{case_id:uuid}/organisation-link",
        opt={**roles(*OFFICERS), "audit": ("case", "resolve_organisation_link", "case_id")},
    )
    async def organisation_link(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        data, problems = validate_form(
            OrganisationLinkIn,
            {"decision": form_text(form, "decision"), "note": form_text(form, "link_note")},
        )
        if data is None:
            return await self._case_page(
                request, staff, workflow, case_id, errors=_link_errors(problems), status_code=400
            )
        try:
            await resolve_organisation_link(workflow, staff, case_id, data.decision, data.note)
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            return await self._case_page(
                request, staff, workflow, case_id, errors={"link-note": exc.message}, status_code=400
            )
        except Conflict as exc:
            await db_session.rollback()
            return await self._case_page(
                request, staff, workflow, case_id, message=exc.message, status_code=409
            )
        return redirect(f"/officer/cases/{case_id}?done=organisation-link#organisation-link")

    async def _case_action(
        self,
        request: AnyRequest,
        staff: Actor,
        workflow: Workflow,
        db_session: AsyncSession,
        case_id: UUID,
        action: Awaitable[Any],
        *,
        done: str,
    ) -> Template | Redirect:
        """Run one workflow step on a case; on refusal show the case again with the reason."""
        try:
            await action
            await db_session.commit()
        except (Conflict, Invalid, Forbidden) as exc:
            await db_session.rollback()
            status = 403 if isinstance(exc, Forbidden) else 409
            return await self._case_page(
                request, staff, workflow, case_id, message=exc.message, status_code=status
            )
        return redirect(f"/officer/cases/{case_id}?done={done}")

    @post(
        "/matches/{match_id:uuid}/disposition",
        opt={**roles(*OFFICERS), "audit": ("screening_match", "dispose", "match_id")},
    )
    async def disposition(
        self, request: AnyRequest, match_id: UUID, staff: Actor, workflow: Workflow, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        match = await db_session.get(ScreeningMatch, match_id)
        if match is None:  # missing or another organisation's: the same 404
            raise NotFound("no such screening match")
        case_id = match.case_id
        data, problems = validate_form(
            DispositionIn,
            {"disposition": form_text(form, "disposition"), "note": form_text(form, "note") or None},
        )
        if data is None:
            # The domain's text for an unknown disposition, so the page reads as it always has.
            message = "unknown disposition" if "disposition" in problems else problem_text(problems)
            return await self._case_page(
                request, staff, workflow, case_id, errors={f"note-{match_id}": message}, status_code=400
            )
        try:
            await dispose(db_session, staff, match_id, data.disposition, data.note)
            await db_session.commit()
        except (Invalid, Conflict) as exc:
            await db_session.rollback()
            errors = {f"note-{match_id}": exc.message} if isinstance(exc, Invalid) else {}
            return await self._case_page(
                request,
                staff,
                workflow,
                case_id,
                errors=errors,
                message=None if errors else exc.message,
                status_code=400,
            )
        return redirect(f"/officer/cases/{case_id}?done=disposition#screening")


def _link_errors(problems: dict[str, str]) -> dict[str, str]:
    """The organisation-link form's one error, in the words the domain uses for the same mistakes."""
    if "decision" in problems:
        return {"link-note": "say confirm or reject"}
    if "note" in problems and problems["note"].startswith("String should have at least"):
        return {"link-note": "say why"}
    return {"link-note": problem_text(problems)}


async def _assign_options(workflow: Workflow, staff: Actor, case_id: UUID) -> list[tuple[str, str]]:
    """For an administrator, the officers the case may be given to ("Nobody" first)."""
    if not is_senior(staff):
        return []
    case = await workflow.get_case(case_id)  # already in the session: the case view read it
    officers = await assignable_officers(workflow.session, case.provider_id)
    return [("none", "Nobody")] + [(str(i), name) for i, name in officers]


async def officer_case_page(
    request: AnyRequest,
    staff: Actor,
    workflow: Workflow,
    case_id: UUID,
    *,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    status_code: int,
) -> Template:
    """The case page drawn again by another controller's form (check outcomes, dates of birth):
    its builder reads nothing from the controller instance, so it is called unbound rather than
    copied."""
    return await OfficerCasesController._case_page(
        cast(OfficerCasesController, None),
        request,
        staff,
        workflow,
        case_id,
        errors=errors,
        message=message,
        status_code=status_code,
    )
