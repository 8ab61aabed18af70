"""The officer's landing page: work queues as tabs with counts (casework/queue_tabs.py), filters
(venue, status, tier, who has the case), a sort, and taking a case from the list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.web.common import (
    STAFF_STATUS_LABELS,
    WEB_EXCEPTION_HANDLERS,
    AnyRequest,
    Invalid,
    csrf_guard,
    page,
    redirect,
)
from api.web.officer.page_helpers import form_text
from api.web.readable import long_date
from casework.assignment import assign, assignable_officers, is_senior
from casework.queue_tabs import (
    SORTS,
    TABS,
    UNASSIGNED,
    QueueFilters,
    assignee_filter,
    london_today,
    queue_tab,
)
from casework.workflow import Workflow
from venues.models import Venue
from vetting.actors import Actor
from vetting.lifecycle import NEEDS_ACTION_STATUSES, CaseStatus

STATUSES = tuple(CaseStatus)


# The bundled policies' tier titles, for the filter and the table (policy ids are never shown).
TIER_LABELS = {"enhanced": "Enhanced", "public_or_speakers": "Public or speakers", "standard": "Standard"}
FILTER_KEYS = ("status", "tier", "venue", "assigned", "sort")
# A tab lists its first hundred cases in its order; the count above it says how many there are.
PAGE_SIZE = 100


def _statuses(status: str) -> tuple[str, ...] | None:
    if status == "open":
        return NEEDS_ACTION_STATUSES
    if status in STATUSES:
        return (status,)
    return None


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def _query(tab: str, filters: dict[str, str]) -> str:
    return urlencode({"tab": tab, **{k: v for k, v in filters.items() if v}})


class OfficerQueueController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/", opt={**roles(*OFFICERS), "audit": ("case_list", "view", None)}, name="officer_queue")
    async def queue(self, request: AnyRequest, db_session: AsyncSession, staff: Actor) -> Template:
        params = request.query_params
        raw = {k: (params.get(k) or "")[:40] for k in FILTER_KEYS}
        # An old link with only a status filter (before the tabs) lists every case.
        tab = params.get("tab") or ("all" if raw["status"] else "new")
        if tab not in TABS:
            tab = "new"
        # The scoped session lists only the caller's venues: a filter naming any other is dropped
        # (never echoed back into the tab links).
        venues = list((await db_session.execute(select(Venue).order_by(Venue.name))).scalars())
        venue_uuid = _uuid(raw["venue"])
        if venue_uuid not in {v.id for v in venues}:
            venue_uuid = None
        raw["venue"] = str(venue_uuid) if venue_uuid else ""
        officers = await assignable_officers(db_session, staff.provider_id)
        assigned = assignee_filter(raw["assigned"])
        if isinstance(assigned, UUID) and assigned not in {i for i, _ in officers}:
            assigned = None
        raw["assigned"] = str(assigned) if assigned else ""
        sort = raw["sort"] if raw["sort"] in SORTS else "due"
        raw["sort"] = sort if sort != "due" else ""
        filters = QueueFilters(
            venue_id=venue_uuid,
            statuses=_statuses(raw["status"]),
            tier=raw["tier"] or None,
            assigned_to=assigned,
        )
        today = london_today()
        result = await queue_tab(db_session, tab, staff.id, today, filters, sort=sort, limit=PAGE_SIZE)
        cases = [
            {
                "id": str(row.case.id),
                "reference": row.case.reference,
                "status": row.case.status,
                "tier": row.case.tier or "",
                "organisation": row.case.organisation_name,
                "title": row.case.title,
                "when": long_date(row.case.first_start),
                "target": long_date(row.case.target_date),
                "overdue": row.overdue,
                "room": f"{row.room_name}, {row.venue_name}",
                "referrals": row.open_referrals,
                "assigned_to": row.case.assigned_to_name,
                "mine": row.case.assigned_to_id is not None and row.case.assigned_to_id == staff.id,
                "possible_link": row.case.organisation_link == "possible",
            }
            for row in result.rows
        ]
        tabs = [
            {"key": key, "label": label, "count": result.counts[key], "href": f"/officer/?{_query(key, raw)}",
             "current": key == tab}
            for key, label in TABS.items()
        ]  # fmt: skip
        return page(
            request,
            "officer_queue.html",
            {
                "cases": cases,
                "tab": tab,
                "tab_label": TABS[tab],
                "tab_count": result.counts[tab],
                # Only an administrator may take a case another officer has (casework/assignment.py).
                "senior": is_senior(staff),
                "tabs": tabs,
                "filters": raw,
                "return_query": _query(tab, raw),
                "done": params.get("done"),
                "status_options": [("open", "Open (needs action)")]
                + [(st, STAFF_STATUS_LABELS[st]) for st in STATUSES],
                "tier_options": list(TIER_LABELS.items()),
                "tier_labels": TIER_LABELS,
                "venue_options": [(str(v.id), v.name) for v in venues],
                "assigned_options": [(UNASSIGNED, "Nobody")] + [(str(i), n) for i, n in officers],
                "sort_options": [(k if k != "due" else "", label) for k, label in SORTS.items()],
            },
        )

    @post(
        "/cases/{case_id:uuid}/assignment",
        opt={**roles(*OFFICERS), "audit": ("case", "assign", "case_id")},
        name="officer_assign",
    )
    async def assignment(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow
    ) -> Redirect:
        """Take a case (assignee "me"), give it back ("none"), or, for an administrator, give it
        to another officer (their id). Back to the queue tab or the case page it came from."""
        form = await request.form()
        chosen = form_text(form, "assignee")
        assignee: UUID | None
        if chosen == "me":
            assignee = staff.id
        elif chosen in ("", UNASSIGNED):
            assignee = None
        else:
            assignee = _uuid(chosen)
            if assignee is None:
                raise Invalid("choose an officer", {"assignee": "choose an officer from the list"})
        await assign(workflow, staff, case_id, assignee)
        if form_text(form, "back") == "case":
            return redirect(f"/officer/cases/{case_id}?done=assigned")
        tab = form_text(form, "tab")
        query: dict[str, Any] = {"tab": tab if tab in TABS else "mine", "done": "assigned"}
        for key in FILTER_KEYS:
            value = form_text(form, key)[:40]
            if value:
                query[key] = value
        return redirect(f"/officer/?{urlencode(query)}")
