"""The officer's queue of cases, with its filters (status, tier, venue)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.web.common import (
    STAFF_STATUS_LABELS,
    WEB_EXCEPTION_HANDLERS,
    AnyRequest,
    csrf_guard,
    page,
)
from api.web.readable import long_date
from casework.queue import officer_queue
from venues.models import Venue
from vetting.lifecycle import NEEDS_ACTION_STATUSES, CaseStatus

STATUSES = tuple(CaseStatus)


# The bundled policies' tier titles, for the filter and the table (policy ids are never shown).
TIER_LABELS = {"enhanced": "Enhanced", "public_or_speakers": "Public or speakers", "standard": "Standard"}


class OfficerQueueController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/", opt={**roles(*OFFICERS), "audit": ("case_list", "view", None)}, name="officer_queue")
    async def queue(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        status = request.query_params.get("status") or "open"
        tier = request.query_params.get("tier") or ""
        venue_id = request.query_params.get("venue") or ""
        statuses: tuple[str, ...] | None = None
        if status == "open":
            statuses = NEEDS_ACTION_STATUSES
        elif status in STATUSES:
            statuses = (status,)
        venue_uuid = None
        if venue_id:
            try:
                venue_uuid = UUID(venue_id)
            except ValueError:
                venue_id = ""
        rows = await officer_queue(db_session, statuses=statuses, tier=tier, venue_id=venue_uuid, limit=300)
        cases = [
            {
                "id": str(row.case.id),
                "reference": row.case.reference,
                "status": row.case.status,
                "tier": row.case.tier or "",
                "organisation": row.case.organisation_name,
                "title": row.case.event.get("title"),
                "first_start": row.case.first_start,
                "when": long_date(row.case.first_start),
                "target": long_date(row.case.target_date),
                "room": f"{row.room_name}, {row.venue_name}",
                "referrals": row.open_referrals,
                "possible_link": row.case.organisation_link == "possible",
            }
            for row in rows
        ]
        venues = list((await db_session.execute(select(Venue).order_by(Venue.name))).scalars())
        return page(
            request,
            "officer_queue.html",
            {
                "cases": cases,
                "venues": venues,
                "filters": {"status": status, "tier": tier, "venue": venue_id},
                "status_options": [("open", "Open (needs action)"), ("all", "All")]
                + [(st, STAFF_STATUS_LABELS[st]) for st in STATUSES],
                "tier_options": list(TIER_LABELS.items()),
                "tier_labels": TIER_LABELS,
                "venue_options": [(str(v.id), v.name) for v in venues],
            },
        )
