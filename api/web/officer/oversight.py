"""The lead council's oversight page: its partners' case counts and outcomes, numbers only."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, get
from litestar.exceptions import NotFoundException
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.routes.oversight import default_range
from api.web.common import STAFF_STATUS_LABELS, WEB_EXCEPTION_HANDLERS, AnyRequest, page
from casework.oversight import OUTCOMES, oversight_report, partnerships_led_by
from vetting.actors import Actor
from vetting.errors import Invalid
from vetting.lifecycle import CaseStatus

OUTCOME_LABELS = {
    "approved": "Approved",
    "approved_with_conditions": "Approved with conditions",
    "refused": "Refused",
    "information_requested": "More information asked for",
    "withdrawn": "Withdrawn",
    "cancelled": "Cancelled",
    "appeals_upheld": "Appeals upheld",
    "appeals_varied": "Appeals varied",
    "appeals_dismissed": "Appeals dismissed",
}


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


class OfficerOversightController(Controller):
    path = "/officer"
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get(
        "/oversight",
        opt={**roles(*OFFICERS), "audit": ("partnership", "oversight", None)},
        name="officer_oversight",
    )
    async def oversight(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template:
        led = await partnerships_led_by(db_session, staff)
        if not led:
            raise NotFoundException()
        wanted = request.query_params.get("partnership")
        chosen = next((p for p in led if str(p.id) == wanted), led[0])
        first, last = default_range()
        raw_start, raw_end = request.query_params.get("start"), request.query_params.get("end")
        start, end = _date(raw_start) or first, _date(raw_end) or last
        errors: dict[str, str] = {}
        if raw_start and _date(raw_start) is None:
            errors["start"] = "Enter the first date like 2027-01-31"
        if raw_end and _date(raw_end) is None:
            errors["end"] = "Enter the last date like 2027-12-31"
        report = None
        if not errors:
            try:
                report = await oversight_report(db_session, staff, chosen.id, start, end)
            except Invalid as exc:
                errors = {k: f"The last date {v}" for k, v in exc.errors.items()}
        return page(
            request,
            "officer_oversight.html",
            {
                "led": led,
                "chosen": chosen,
                "start": raw_start or start.isoformat(),
                "end": raw_end or end.isoformat(),
                "report": report,
                "statuses": [(s.value, STAFF_STATUS_LABELS.get(s.value, s.value)) for s in CaseStatus],
                "outcomes": [(o, OUTCOME_LABELS[o]) for o in OUTCOMES],
                "errors": errors,
            },
            status_code=400 if errors else 200,
        )
