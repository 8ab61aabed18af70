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
from venues.models import Booking, Room, Venue
from vetting.case_screening import open_referrals
from vetting.models import VettingCase

TIER_RANK = {"enhanced": 0, "public_or_speakers": 1, "standard": 2}
STATUSES = (
    "under_review",
    "awaiting_information",
    "awaiting_acceptance",
    "confirmed",
    "refused",
    "withdrawn",
    "cancelled",
)


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
        query = (
            select(VettingCase, VettingCase.organisation_name, Room.name, Venue.name)
            .join(Booking, Booking.case_id == VettingCase.id)
            .join(Room, Room.id == Booking.room_id)
            .join(Venue, Venue.id == Room.venue_id)
        )
        if status == "open":
            query = query.where(
                VettingCase.status.in_(("under_review", "awaiting_information", "awaiting_acceptance"))
            )
        elif status in STATUSES:
            query = query.where(VettingCase.status == status)
        if tier:
            query = query.where(VettingCase.tier == tier)
        if venue_id:
            try:
                query = query.where(Venue.id == UUID(venue_id))
            except ValueError:
                venue_id = ""
        rows = (await db_session.execute(query.order_by(VettingCase.first_start).limit(300))).all()
        cases = []
        for case, org_name, room_name, venue_name in rows:
            cases.append(
                {
                    "id": str(case.id),
                    "reference": case.reference,
                    "status": case.status,
                    "tier": case.tier or "",
                    "organisation": org_name,
                    "title": case.event.get("title"),
                    "first_start": case.first_start,
                    "when": f"{case.first_start:%a %-d %b %Y}",
                    "target": f"{case.target_date:%-d %b %Y}" if case.target_date else "",
                    "room": f"{room_name}, {venue_name}",
                    "referrals": await open_referrals(db_session, case.id),
                    "possible_link": case.organisation_link == "possible",
                }
            )
        cases.sort(key=lambda c: (c["first_start"], TIER_RANK.get(c["tier"], 3)))
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
                "tier_options": [
                    ("enhanced", "Enhanced"),
                    ("public_or_speakers", "Public or speakers"),
                    ("standard", "Standard"),
                ],
                "venue_options": [(str(v.id), v.name) for v in venues],
            },
        )
