""" "Send request": the draft becomes the API's `ApplicationRequest` and goes through the workflow.

A second press (or two racing presses) shows what the first one made instead of a second case.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol

from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api.web.booking.draft import Draft, parse_int
from api.web.booking.not_free import conflict_reasons
from api.web.booking.questions import question_errors, sendable_answers
from api.web.booking.schedule import rrule_for, times_for
from api.web.booking.steps import StepContext
from api.web.booking.steps.organisation import contact_data, organisation_data
from api.web.common import page, redirect
from api.web.i18n import current_language
from api.web.i18n import gettext as _
from casework.input import ApplicationRequest
from casework.staged_documents import attach_staged
from casework.workflow import Workflow
from policies import Policy
from vetting.errors import Conflict, Invalid
from vetting.models import VettingCase


class Render(Protocol):
    """Shows a page of the form again (the controller's renderer)."""

    def __call__(
        self,
        step: str,
        draft: Draft,
        errors: dict[str, str],
        *,
        status_code: int = 200,
        message: str | None = None,
    ) -> Awaitable[Template]: ...


def application_request(draft: Draft, policy: Policy, tz: str) -> ApplicationRequest:
    start, end = times_for(draft, tz)
    rrule = rrule_for(draft)
    data: dict[str, Any] = {
        "room_id": draft["room_id"],
        "organisation": organisation_data(draft),
        "contact": contact_data(draft),
        "people": draft.get("people") or [],
        "event": {
            "title": draft["title"],
            "description": draft.get("description", ""),
            "expected_attendance": parse_int(str(draft.get("expected_attendance"))) or 1,
            "open_to_public": draft.get("open_to_public") == "yes",
            "under_18s": draft.get("under_18s") == "yes",
            "adults_at_risk": draft.get("adults_at_risk") == "yes",
        },
        "start": start,
        "end": end,
        "recurrence": {"rrule": rrule} if rrule else None,
        "declarations": draft.get("declarations") or [],
        "answers": sendable_answers(draft, policy),
        "extras": draft.get("extras") or [],
        "language": current_language(),
    }
    return ApplicationRequest.model_validate(data)


async def _replayed(ctx: StepContext, draft: Draft) -> Template | None:
    """The page for a request this draft already made, if it made one."""
    made = (
        await ctx.db.execute(
            select(VettingCase.reference).where(VettingCase.idempotency_key == draft["token"])
        )
    ).scalar_one_or_none()
    if made is None:
        return None
    return page(ctx.request, "book_replayed.html", {"reference": made, "email": draft["contact_email"]})


async def send(ctx: StepContext, workflow: Workflow, draft: Draft, render: Render) -> Template | Redirect:
    venue = await ctx.venue(draft)
    policy = await ctx.policy(draft)
    tz = venue.timezone
    errors = question_errors(draft, policy)
    if errors:
        return await render("questions", draft, errors, status_code=400)
    try:
        data = application_request(draft, policy, tz)
    except ValidationError as exc:
        message = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return await render("check", draft, {}, status_code=400, message=message)
    replayed = await _replayed(ctx, draft)
    if replayed is not None:
        return replayed
    try:
        submitted = await workflow.submit(data, idempotency_key=draft["token"])
        if not submitted.replayed and draft.get("documents"):
            # The documents the check page listed, and only those, go with the request.
            listed = [str(d.get("id")) for d in draft["documents"]]
            await attach_staged(workflow, submitted.case, draft["token"], listed)
        await ctx.db.commit()
    except Conflict as exc:
        await ctx.db.rollback()
        detail = "; ".join(conflict_reasons(exc))
        return await render(
            "check",
            draft,
            {},
            status_code=409,
            message=_("The room is no longer free: %(detail)s. Change the date or choose another room.")
            % {"detail": detail},
        )
    except Invalid as exc:
        await ctx.db.rollback()
        detail = "; ".join(exc.errors.values()) if exc.errors else exc.message
        return await render("check", draft, {}, status_code=400, message=detail)
    except IntegrityError:
        # Two presses of "Send request" raced; the first one made the application.
        await ctx.db.rollback()
        submitted = None
    if submitted is None or submitted.replayed or submitted.applicant_token is None:
        shown = await _replayed(ctx, draft)
        assert shown is not None  # the case this draft's token made exists, or we made it just now
        return shown
    return redirect(f"/status/{submitted.applicant_token}?sent=1")
