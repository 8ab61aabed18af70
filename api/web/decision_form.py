"""The decision form's POST, shared by the officer's case page and the venue manager's delegated
case page: reading the form as the JSON API's `DecisionIn`, deciding through the workflow (which
holds every rule: reasons, the conditions catalogue, a second person for refusals), and mapping
problems to the form's fields in words that say what to do."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol
from uuid import UUID

from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas import DecisionIn
from api.web.common import redirect
from api.web.officer.page_helpers import form_text, validate_form
from api.web.readable import form_error
from casework.decide import DecisionInput
from casework.workflow import Workflow
from vetting.actors import Actor
from vetting.errors import Conflict, Forbidden, Invalid


class CasePage(Protocol):
    """The page the form sits on, drawn again with errors, the typed values or a message."""

    def __call__(
        self,
        *,
        errors: dict[str, str] | None = ...,
        values: dict[str, Any] | None = ...,
        message: str | None = ...,
        status_code: int = ...,
    ) -> Awaitable[Template]: ...


async def post_decision(
    form: Any,
    staff: Actor,
    case_id: UUID,
    workflow: Workflow,
    db_session: AsyncSession,
    case_page: CasePage,
    done_url: str,
) -> Template | Redirect:
    codes = list(form.getall("conditions")) if "conditions" in form else []
    values: dict[str, Any] = {
        "outcome": form_text(form, "outcome"),
        "reason": form_text(form, "reason"),
        "reason_code": form_text(form, "reason_code"),
        "options_considered": form_text(form, "options_considered"),
        "conditions": codes,
        "rationale": {code: form_text(form, f"rationale_{code}") for code in codes},
        "checks_in_review_confirmed": form_text(form, "checks_in_review_confirmed") == "yes",
        "checks_in_review_reason": form_text(form, "checks_in_review_reason"),
    }
    revision = form_text(form, "revision")
    data, problems = validate_form(
        DecisionIn,
        {
            "outcome": values["outcome"],
            "reason": values["reason"],
            "reason_code": values["reason_code"] or None,
            "conditions": [
                {"code": code, "text": None, "rationale": values["rationale"].get(code) or None}
                for code in (codes if values["outcome"] == "approve" else [])
            ],
            "options_considered": values["options_considered"] or None,
            "revision": int(revision) if revision.isdigit() else None,
        },
    )
    if data is None:
        errors = decision_errors(problems, codes, values["outcome"])
        if "outcome" in problems:
            errors = {"outcome-approve": form_error("outcome")}
        return await case_page(errors=errors, values=values, status_code=400)
    try:
        await workflow.decide(
            staff,
            case_id,
            DecisionInput(
                outcome=data.outcome,
                reason=data.reason,
                reason_code=data.reason_code,
                conditions=[c.model_dump() for c in data.conditions],
                options_considered=data.options_considered,
                expected_revision=data.revision,
                checks_in_review_confirmed=values["checks_in_review_confirmed"],
                checks_in_review_reason=values["checks_in_review_reason"],
            ),
        )
        await db_session.commit()
    except Invalid as exc:
        await db_session.rollback()
        errors = decision_errors(exc.errors, codes, values["outcome"]) or {"reason": exc.message}
        return await case_page(errors=errors, values=values, status_code=400)
    except (Conflict, Forbidden) as exc:
        await db_session.rollback()
        status = 403 if isinstance(exc, Forbidden) else 409
        return await case_page(message=exc.message, values=values, status_code=status)
    return redirect(done_url)


def decision_errors(problems: dict[str, str], codes: list[str], outcome: str) -> dict[str, str]:
    """The decision form's error keys for problems keyed by field path (model or workflow), with
    messages that say what to do (GOV.UK style) rather than the domain's terse texts, which name
    policy codes (the JSON API keeps those)."""
    errors: dict[str, str] = {}
    for key, msg in problems.items():
        if key.startswith("conditions."):
            index = int(key.split(".")[1])
            code = codes[index] if index < len(codes) else ""
            if key.endswith("rationale"):
                errors[f"rationale-{code}"] = form_error("rationale")
            else:
                errors[f"condition-{code}"] = form_error("condition")
        elif key == "reason_code":
            errors["reason_code"] = form_error("reason_code")
        elif key == "reason" and outcome == "request_information":
            errors["reason"] = "Enter the information you need from the hirer"
        elif key in ("reason", "options_considered") and _is_missing(msg):
            errors[key.replace("_", "-")] = form_error(key)
        else:
            errors[key.replace("_", "-")] = msg
    return errors


def _is_missing(message: str) -> bool:
    """The model's and the domain's ways of saying a field was left empty."""
    lowered = message.lower()
    return "required" in lowered or "at least 1 character" in lowered or lowered.startswith("give ")
