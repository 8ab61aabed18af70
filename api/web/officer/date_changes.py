"""The officer console's changes after booking: cancel one date, cancel the rest of a series from a
date on, or move one date, each with a reason and a confirmation step before anything changes
(casework/date_changes.py does the work and tells the hirer and the venue's managers)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from api.web.officer.page_helpers import form_text
from casework.date_change_words import REASONS, Reason
from casework.date_changes import DateChoice, reason_text
from casework.workflow import Workflow
from vetting.actors import Actor
from vetting.errors import Conflict, Invalid, NotFound

# The three changes, as the pages name them.
ACTIONS = {
    "cancel": "Cancel this date",
    "cancel-rest": "Cancel this date and every later date",
    "move": "Move this date",
}
REASON_ERRORS = {
    "cancel": "Choose a reason for cancelling this date",
    "cancel-rest": "Choose a reason for cancelling these dates",
    "move": "Choose a reason for moving this date",
}
ERRORS = {
    "details": "Enter the reason in your own words",
    "new_date": "Enter the new date, for example 14 January 2027",
    "new_start": "Enter the new start time, for example 19:00",
    "new_end": "Enter the new end time, for example 21:00",
    "new_end_order": "The end time must be after the start time",
}
# One path per change (no free-form path segment: every route names only ids).
PATHS = tuple(f"/{action}" for action in ACTIONS)
# Dates the council can still change (not already given up).
CHANGEABLE = ("requested", "conflicting", "held")


def _parse_time(text: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(text) if text else None
    except ValueError:
        return None


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _new_times(
    values: dict[str, str], timezone: str, errors: dict[str, str]
) -> tuple[dt.datetime, dt.datetime] | None:
    """The moved date's start and end on the venue's clock, or None with the problems in `errors`."""
    day = _parse_date(values["new_date"])
    start, end = _parse_time(values["new_start"]), _parse_time(values["new_end"])
    if day is None:
        errors["new_date"] = ERRORS["new_date"]
    if start is None:
        errors["new_start"] = ERRORS["new_start"]
    if end is None:
        errors["new_end"] = ERRORS["new_end"]
    elif start is not None and end <= start:
        errors["new_end"] = ERRORS["new_end_order"]
    if day is None or start is None or end is None or errors:
        return None
    tz = ZoneInfo(timezone)
    return dt.datetime.combine(day, start, tzinfo=tz), dt.datetime.combine(day, end, tzinfo=tz)


class OfficerDateChangesController(Controller):
    path = "/officer/cases/{case_id:uuid}/dates/{occurrence_id:uuid}"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _choice(
        self, workflow: Workflow, staff: Actor, case_id: UUID, occurrence_id: UUID, action: str
    ) -> DateChoice:
        if action not in ACTIONS:
            raise NotFound("no such change")
        return await workflow.date_choice(staff, case_id, occurrence_id)

    def _form(
        self,
        request: AnyRequest,
        choice: DateChoice,
        action: str,
        values: dict[str, str],
        *,
        errors: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "officer_date_change.html",
            {
                "d": choice,
                "action": action,
                "title": ACTIONS[action],
                "reasons": list(REASONS.items()),
                "values": values,
                "errors": errors or {},
                "message": message,
                "blocked": _blocked(choice, action),
            },
            status_code=status_code,
        )

    @get(list(PATHS), opt={**roles(*OFFICERS), "audit": ("case", "view", "case_id")})
    async def form(
        self,
        request: AnyRequest,
        case_id: UUID,
        occurrence_id: UUID,
        staff: Actor,
        workflow: Workflow,
    ) -> Template:
        action = _action_of(request)
        choice = await self._choice(workflow, staff, case_id, occurrence_id, action)
        values = {
            "reason": "",
            "details": "",
            "new_date": choice.local_start.date().isoformat(),
            "new_start": f"{choice.local_start:%H:%M}",
            "new_end": f"{choice.local_end:%H:%M}",
        }
        return self._form(request, choice, action, values)

    @post(list(PATHS), opt={**roles(*OFFICERS), "audit": ("case", "change_date", "case_id")})
    async def change(
        self,
        request: AnyRequest,
        case_id: UUID,
        occurrence_id: UUID,
        staff: Actor,
        workflow: Workflow,
        db_session: AsyncSession,
    ) -> Template | Redirect:
        action = _action_of(request)
        choice = await self._choice(workflow, staff, case_id, occurrence_id, action)
        form = await request.form()
        values = {k: form_text(form, k) for k in ("reason", "details", "new_date", "new_start", "new_end")}
        blocked = _blocked(choice, action)
        if blocked:
            return self._form(request, choice, action, values, message=blocked, status_code=409)
        errors: dict[str, str] = {}
        reason: Reason | str = ""
        try:
            reason = reason_text(values["reason"] or None, values["details"])
        except Invalid as exc:
            if "details" in exc.errors:
                errors["details"] = ERRORS["details"]
            else:
                errors["reason"] = REASON_ERRORS[action]
        times = _new_times(values, choice.timezone, errors) if action == "move" else None
        if errors:
            return self._form(request, choice, action, values, errors=errors, status_code=400)
        if form_text(form, "confirm") != "yes":
            return page(
                request,
                "officer_date_confirm.html",
                {
                    "d": choice,
                    "action": action,
                    "title": ACTIONS[action],
                    "values": values,
                    "reason": reason,
                    "new_when": _new_when(times),
                },
            )
        try:
            if action == "cancel":
                await workflow.cancel_date(staff, case_id, occurrence_id, reason=reason)
            elif action == "cancel-rest":
                await workflow.cancel_rest(staff, case_id, occurrence_id, reason=reason)
            else:
                assert times is not None
                await workflow.move_date(staff, case_id, occurrence_id, times[0], times[1], reason=reason)
            await db_session.commit()
        except (Conflict, Invalid) as exc:
            await db_session.rollback()
            return self._form(
                request, choice, action, values, message=_sentence(exc.message), status_code=409
            )
        return redirect(f"/officer/cases/{case_id}?done=date-{action}#dates")


def _action_of(request: AnyRequest) -> str:
    return request.url.path.rstrip("/").rsplit("/", 1)[-1]


def _blocked(choice: DateChoice, action: str) -> str | None:
    """Why this change cannot be made, in words, or None."""
    if choice.status not in CHANGEABLE:
        return "This date is already cancelled or no longer booked, so it cannot be changed."
    if action == "cancel-rest" and not choice.earlier_live:
        return (
            "No date before this one is still booked, so cancelling the rest would cancel the whole"
            " booking. Cancel this date on its own, or cancel the booking."
        )
    return None


def _new_when(times: tuple[dt.datetime, dt.datetime] | None) -> str | None:
    if times is None:
        return None
    start, end = times
    return f"{start:%A %-d %B %Y}, {start:%H:%M} to {end:%H:%M}"


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."
