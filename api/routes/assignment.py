"""Assigning cases to officers, and the counts of the officer's queue tabs (issue 17)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.schemas.queue import AssignmentIn, AssignmentResultOut, QueueTabOut, QueueTabsOut
from casework.assignment import assign
from casework.queue_tabs import TABS, QueueFilters, assignee_filter, london_today, tab_counts
from casework.workflow import Workflow
from vetting.actors import Actor


class AssignmentController(Controller):
    path = "/api/v1"
    tags = ["applications"]

    @post(
        "/applications/{case_id:uuid}/assignment",
        operation_id="assignApplication",
        opt=roles(*OFFICERS),
        status_code=200,
        summary="Assign a case to an officer, or to nobody",
        description=(
            "Any officer may take a case themselves, or give back their own; assigning it to "
            "another officer, or taking it from one, is for an administrator. The officer must be "
            "an active officer or administrator of the case's council or partner (422 otherwise). "
            "Who assigned it, and when, is kept in the case's history."
        ),
    )
    async def assign(
        self, case_id: UUID, data: AssignmentIn, staff: Actor, workflow: Workflow
    ) -> AssignmentResultOut:
        case = await assign(workflow, staff, case_id, data.assignee_id)
        return AssignmentResultOut(
            id=case.id,
            reference=case.reference,
            assigned_to_id=case.assigned_to_id,
            assigned_to=case.assigned_to_name,
            assigned_at=case.assigned_at.isoformat() if case.assigned_at else None,
        )

    @get("/queue-tabs", operation_id="queueTabs", opt=roles(*OFFICERS))
    async def tabs(
        self,
        db_session: AsyncSession,
        staff: Actor,
        status: str | None = None,
        tier: str | None = None,
        venue_id: UUID | None = None,
        assigned_to: Annotated[str | None, Parameter(max_length=40)] = None,
    ) -> QueueTabsOut:
        filters = QueueFilters(
            venue_id=venue_id,
            statuses=(status,) if status else None,
            tier=tier,
            assigned_to=assignee_filter(assigned_to),
        )
        counts = await tab_counts(db_session, staff.id, london_today(), filters)
        return QueueTabsOut(
            tabs=[QueueTabOut(key=k, label=label, count=counts[k]) for k, label in TABS.items()]
        )
