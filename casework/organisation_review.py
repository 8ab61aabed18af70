"""An officer confirms or rejects the possible link between a case and a known organisation.

Confirming files the case under the known organisation and runs the checks again, so that
organisation's clearance and recorded breaches count; rejecting keeps the case on its own
record. Either way the case history says who decided, on what basis and why, and the case's
revision moves on, so a decision drafted before the change is refused (409).
"""

from __future__ import annotations

from uuid import UUID

from casework.checks_context import apply_result, breaches_of, check_context, checks_detail
from casework.deps import CaseDeps, get_case
from vetting.actors import Actor
from vetting.case_screening import matches_for
from vetting.checks import evaluate
from vetting.errors import Conflict
from vetting.history import record
from vetting.lifecycle import CLOSED_STATUSES
from vetting.models import Organisation, VettingCase
from vetting.organisation_links import LINKED, LinkStatus, remove_if_unused, resolve_link
from vetting.policy_store import policy_version
from vetting.registers.records import registry_for_case
from vetting.registry import look_up_numbers


async def resolve_organisation_link(
    deps: CaseDeps, actor: Actor, case_id: UUID, decision: str, note: str | None
) -> VettingCase:
    case = await get_case(deps, case_id)
    if case.status in CLOSED_STATUSES:
        raise Conflict("the case is closed")
    status, replaced = await resolve_link(deps.session, actor, case, decision, note)
    if replaced is not None:
        # The request's own record, no longer needed once filed under the known organisation.
        await remove_if_unused(deps.session, replaced)
    if status == LinkStatus.CONFIRMED:
        await rerun_checks(deps, case, actor)
    case.revision += 1
    await deps.session.flush()
    return case


async def rerun_checks(deps: CaseDeps, case: VettingCase, actor: Actor) -> None:
    """Run the checks again on what the case holds (after an officer linked its organisation
    to a known one, whose clearance and recorded breaches now count)."""
    session = deps.session
    policy = await policy_version(session, case.policy_id, case.policy_version)
    booking = await deps.bookings.booking_for_case(case.id)
    room, venue = await deps.bookings.room_and_venue(booking.room_id)
    occurrences = await deps.bookings.occurrences(booking.id)
    live = [o for o in occurrences if o.status != "cancelled"] or occurrences
    known = None
    if case.organisation_link in LINKED:
        known = await session.get(Organisation, case.organisation_id)
    submitted = case.organisation_submitted
    registry = await registry_for_case(
        session, deps.registry_backend, submitted.get("charity_number"), submitted.get("company_number")
    )
    records = look_up_numbers(registry, submitted.get("charity_number"), submitted.get("company_number"))
    ctx = await check_context(
        session,
        case,
        known,
        room,
        venue,
        [(o.start_utc, o.end_utc) for o in live],
        await matches_for(session, case.id),
        await breaches_of(session, known) if known else [],
        records,
    )
    result = evaluate(policy, ctx)
    apply_result(case, result)
    await record(session, case, actor, "checks_run", checks_detail(result))
