"""`GET /api/v1/reports`: the reports page's figures as JSON, for officers and administrators,
of their own organisation (casework/reports.py; the same role guard and scoped session as the
page). Downloads of figures are audited as exports."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.schemas.reports import ReportOut
from api.web.officer.report_money import money_json
from api.web.officer.reports import default_period
from casework.report_figures import Count
from casework.report_money import build_money_report
from casework.reports import Report, Row, build_report
from vetting.actors import Actor

START = "first day (UK date); default: the first of the month eleven months back"
END = "last day (UK date), inclusive; default: today"
VENUE = "one venue; default: every venue the caller's organisation has"


def _count(c: Count) -> dict[str, Any]:
    return c.json()


def _rows(rows: list[Row]) -> list[dict[str, Any]]:
    return [{"key": r.key, "label": r.label, "count": _count(r.count)} for r in rows]


def report_json(report: Report) -> dict[str, Any]:
    return {
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "venue_id": str(report.venue_id) if report.venue_id else None,
        "venue": report.venue_name,
        "suppression_threshold": report.threshold,
        "requests": {
            "total": _count(report.requests_total),
            "by_month": _rows(report.requests_by_month),
            "by_status": _rows(report.requests_by_status),
        },
        "decisions": {
            "total": _count(report.decisions_total),
            "by_outcome": _rows(report.decisions),
            "by_ground": [
                {
                    "code": g.code,
                    "label": g.label,
                    "refusals": _count(g.refusals),
                    "cancellations": _count(g.cancellations),
                }
                for g in report.grounds
            ],
        },
        "time_to_decision": {
            "decided": _count(report.decided),
            "median_working_days": report.median_days,
            "p90_working_days": report.p90_days,
            "by_working_days": _rows(report.days_buckets),
        },
        "referrals": {
            "matches": _count(report.referral_matches),
            "requests_referred": _count(report.cases_referred),
            "by_disposition": _rows(report.referrals),
        },
        "appeals": {"total": _count(report.appeals_total), "by_outcome": _rows(report.appeals)},
        "room_use": {
            "booked_hours": report.booked_hours,
            "open_hours": report.open_hours,
            "share": report.use_share,
            "rooms": [
                {
                    "room_id": str(r.room_id),
                    "room": r.room,
                    "venue": r.venue,
                    "booked_hours": r.booked_hours,
                    "open_hours": round(r.open_hours, 2),
                    "share": r.share,
                }
                for r in report.rooms
            ],
        },
    }


class ReportsController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]

    @get(
        "/",
        operation_id="getReport",
        opt={**roles(*OFFICERS), "audit": ("report", "export", None)},
    )
    async def report(
        self,
        staff: Actor,
        read_session: AsyncSession,
        start: Annotated[dt.date | None, Parameter(description=START)] = None,
        end: Annotated[dt.date | None, Parameter(description=END)] = None,
        venue_id: Annotated[UUID | None, Parameter(description=VENUE)] = None,
    ) -> ReportOut:
        """Requests, decisions by outcome and ground, working days to decision, screening
        referrals, appeals, room use and money (income, outstanding invoices, deposits held, in
        pence) for the period, of the caller's organisation. Counts from 1 to 4 are suppressed
        (`value` null, `suppressed` true); see docs/reports.md and docs/charges.md."""
        first, last = default_period()
        # From the standby when there is one (api/db/replica.py); the audit record goes to the primary.
        built = await build_report(read_session, staff, start or first, end or last, venue_id)
        money = await build_money_report(read_session, staff, built.start, built.end, built.venue_id)
        return ReportOut.model_validate({**report_json(built), "money": money_json(money)})
