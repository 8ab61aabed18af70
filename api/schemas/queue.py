"""The officer's work queues and case assignment (issue 17): request bodies and answers."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from api.schemas.common import In, Out


class AssignmentIn(In):
    """Who should work the case: an officer's id, or null to leave it with nobody."""

    assignee_id: UUID | None = Field(
        description="an active officer or administrator of the case's council or partner; null: nobody"
    )


class AssignmentResultOut(Out):
    id: UUID
    reference: str
    assigned_to_id: UUID | None
    assigned_to: str | None
    assigned_at: str | None = Field(description="ISO date-time")


class QueueTabOut(Out):
    key: str
    label: str
    count: int


class QueueTabsOut(Out):
    """How many cases each of the officer's queue tabs holds (under the filters given)."""

    tabs: list[QueueTabOut]
