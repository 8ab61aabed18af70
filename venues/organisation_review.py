"""An officer confirms or rejects the possible link between a case and a known organisation.

Confirming files the case under the known organisation and runs the checks again, so that
organisation's clearance and recorded breaches count; rejecting keeps the case on its own
record. Either way the case history says who decided, on what basis and why, and the case's
revision moves on, so a decision drafted before the change is refused (409).
"""

from __future__ import annotations

from uuid import UUID

from venues.applications import Workflow
from vetting.actors import Actor
from vetting.errors import Conflict
from vetting.lifecycle import CLOSED_STATUSES
from vetting.models import VettingCase
from vetting.organisation_links import LinkStatus, remove_if_unused, resolve_link


async def resolve_organisation_link(
    workflow: Workflow, actor: Actor, case_id: UUID, decision: str, note: str | None
) -> VettingCase:
    case = await workflow.get_case(case_id)
    if case.status in CLOSED_STATUSES:
        raise Conflict("the case is closed")
    status, replaced = await resolve_link(workflow.session, actor, case, decision, note)
    if replaced is not None:
        # The request's own record, no longer needed once filed under the known organisation.
        await remove_if_unused(workflow.session, replaced)
    if status == LinkStatus.CONFIRMED:
        await workflow.rerun_checks(case, actor)
    case.revision += 1
    await workflow.session.flush()
    return case
