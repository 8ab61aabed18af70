"""`/officer/reports`: the reports page (charts drawn on the server as SVG, a table beside each),
and `/officer/reports/download`: one of its tables as CSV. Officers and administrators; the
figures are of their own organisation (the request's scoped session)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from litestar import Controller, Response, get
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, page
from api.web.officer.report_money import PREFIX, money_csv, money_table_named, money_tables
from api.web.officer.report_tables import hidden_text, table_named, tables, to_csv
from casework.report_money import build_money_report
from casework.reports import Report, build_report
from venues.models import Venue
from vetting.actors import Actor
from vetting.errors import Invalid


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Twelve months: from the first day of the month eleven months back to today."""
    today = today or dt.datetime.now(dt.UTC).date()
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1), today


@dataclass
class Filters:
    start: dt.date
    end: dt.date
    venue_id: UUID | None
    raw: dict[str, str]
    errors: dict[str, str]


def read_filters(request: AnyRequest) -> Filters:
    """The GET form's values; a value that cannot be read is a field error, never a 500."""
    first, last = default_period()
    params = request.query_params
    raw = {k: (params.get(k) or "").strip() for k in ("start", "end", "venue")}
    errors: dict[str, str] = {}

    def date(key: str, fallback: dt.date, example: str) -> dt.date:
        if not raw[key]:
            return fallback
        try:
            return dt.date.fromisoformat(raw[key])
        except ValueError:
            errors[key] = f"Enter a real date, like {example}"
            return fallback

    start = date("start", first, "2027-01-31")
    end = date("end", last, "2027-12-31")
    venue_id = None
    if raw["venue"]:
        try:
            venue_id = UUID(raw["venue"])
        except ValueError:
            errors["venue"] = "Choose a venue from the list"
    return Filters(start, end, venue_id, raw, errors)


async def report_for(db_session: AsyncSession, staff: Actor, filters: Filters) -> Report | None:
    if filters.errors:
        return None
    try:
        return await build_report(db_session, staff, filters.start, filters.end, filters.venue_id)
    except Invalid as exc:
        range_message = "The period must end after it starts and last at most three years"
        filters.errors.update(
            {k: v if v.startswith("Choose") else range_message for k, v in exc.errors.items()}
        )
        return None


class OfficerReportsController(Controller):
    path = "/officer/reports"
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/", opt=roles(*OFFICERS), name="officer_reports")
    async def reports(self, request: AnyRequest, staff: Actor, read_session: AsyncSession) -> Template:
        # Reports read the standby when there is one (api/db/replica.py).
        filters = read_filters(request)
        report = await report_for(read_session, staff, filters)
        money = (
            await build_money_report(read_session, staff, filters.start, filters.end, filters.venue_id)
            if report
            else None
        )
        listed = await read_session.execute(select(Venue.id, Venue.name).order_by(Venue.name))
        venues = listed.tuples().all()
        query = f"start={filters.start}&end={filters.end}" + (
            f"&venue={filters.venue_id}" if filters.venue_id else ""
        )
        return page(
            request,
            "officer_reports.html",
            {
                "report": report,
                "tables": tables(report) if report else [],
                "money_tables": money_tables(money) if money else [],
                "hidden": hidden_text(report.threshold if report else 5),
                "values": {
                    "start": filters.raw["start"] or filters.start.isoformat(),
                    "end": filters.raw["end"] or filters.end.isoformat(),
                    "venue": filters.raw["venue"],
                },
                "venue_options": [(str(v_id), name) for v_id, name in venues],
                "query": query,
                "api_query": query.replace("&venue=", "&venue_id="),
                "errors": filters.errors,
                "wide": True,
            },
            status_code=400 if filters.errors else 200,
        )

    @get(
        "/download",
        opt={**roles(*OFFICERS), "audit": ("report", "export", None)},
        name="officer_reports_download",
    )
    async def download(self, request: AnyRequest, staff: Actor, read_session: AsyncSession) -> Response[str]:
        filters = read_filters(request)
        report = await report_for(read_session, staff, filters)
        key = (request.query_params.get("table") or "").strip()
        if report is not None and key.startswith(PREFIX):
            money = await build_money_report(read_session, staff, report.start, report.end, report.venue_id)
            found = money_table_named(money, key)
            body = money_csv(found) if found else None
        else:
            table = table_named(report, key) if report else None
            body = to_csv(table, report.threshold) if report and table else None
        if report is None or body is None:
            problem = "; ".join(filters.errors.values()) or "Choose one of the report's tables to download"
            return Response(
                problem + ".\n",
                status_code=400,
                media_type="text/plain; charset=utf-8",
                headers={"Cache-Control": "no-store"},
            )
        suffix = f"-{report.venue_id}" if report.venue_id else ""
        name = f"{key}-{report.start}-to-{report.end}{suffix}.csv"
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )
