"""A hirer's booking request becomes a case: plan the dates, file the organisation, screen every
name, run the checks, then save case, booking, dates and matches together and tell the hirer.

Screening and the checks run before anything about the case is written, so the case is inserted
once, complete, and the request costs a handful of statements (bench/loadtest.py).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from casework import alert_triggers, messages
from casework.charge_terms import charges_at_submit
from casework.checks_context import apply_result, breaches_of, check_context, checks_detail
from casework.deps import CaseDeps, utcnow
from casework.input import ApplicationRequest
from policies import Policy
from venues.booking import PlannedSeries
from vetting.actors import HIRER, SYSTEM
from vetting.case_screening import explain_register_people, screen_names, subjects
from vetting.checks import evaluate
from vetting.errors import Invalid
from vetting.history import CASE_EVENTS, event_rows
from vetting.lifecycle import CaseStatus
from vetting.models import Organisation, VettingCase
from vetting.new_rows import insert_new
from vetting.organisation_links import LINKED, Link, LinkStatus, find_known, register_agrees, snapshot
from vetting.policy_store import current_policy
from vetting.registers.records import register_people, registry_for_case
from vetting.registry import RegistryRecord, look_up_numbers
from vetting.sharing_scope import scope_for_provider
from vetting.status_links import new_link
from vetting.tenancy import scoped
from vetting.tokens import new_token, token_hash

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Answers the checks read that are not questions of the policy.
BUILT_IN_ANSWERS = frozenset({"insurance_cover_gbp", "uses_council_insurance_scheme"})


@dataclass
class Submitted:
    case: VettingCase
    applicant_token: str | None
    replayed: bool = False


def new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"VH-{body[:4]}-{body[4:]}"


def validate_against_policy(policy: Policy, request: ApplicationRequest) -> None:
    errors: dict[str, str] = {}
    unknown = sorted(set(request.declarations) - {d.id for d in policy.declarations})
    if unknown:
        errors["declarations"] = f"unknown declarations: {', '.join(unknown)}"
    stray = sorted(set(request.answers) - {q.id for q in policy.questions} - BUILT_IN_ANSWERS)
    if stray:
        errors["answers"] = f"unknown questions: {', '.join(stray)}"
    if errors:
        raise Invalid("the request does not fit the venue's policy", errors)


async def file_organisation(
    deps: CaseDeps, submitted: dict[str, Any], records: Sequence[RegistryRecord], provider_id: UUID
) -> tuple[Organisation, Link]:
    """The organisation row the case is filed under, and its link to one already on file.

    Nothing stored is changed: a request that resembles a known organisation gets a record of
    its own and a *possible* link, unless a register look-up agrees that they are the same."""
    known = await find_known(deps.session, submitted)
    if known is not None and register_agrees(records, submitted, known.organisation):
        return known.organisation, Link(LinkStatus.VERIFIED, known.basis, known.organisation.id)
    # The snapshot's fields are exactly the table's columns.
    own = Organisation(id=uuid4(), provider_id=provider_id, **submitted)
    if known is None:
        return own, Link(LinkStatus.NEW, None, None)
    return own, Link(LinkStatus.POSSIBLE, known.basis, known.organisation.id)


def _new_case(
    request: ApplicationRequest,
    policy: Policy,
    organisation: Organisation,
    submitted: dict[str, Any],
    link: Link,
    first_start: dt.datetime,
    token: str,
    idempotency_key: str | None,
) -> VettingCase:
    return VettingCase(
        id=uuid4(),
        created_at=utcnow(),
        reference=new_reference(),
        status=CaseStatus.UNDER_REVIEW.value,
        provider_id=organisation.provider_id,
        organisation_id=organisation.id,
        organisation_name=submitted["name"],
        organisation_submitted=submitted,
        organisation_link=link.status,
        organisation_link_basis=link.basis,
        linked_organisation_id=link.known_id,
        contact=request.contact.model_dump(mode="json"),
        people=[p.model_dump(mode="json") for p in request.people],
        event=request.event.model_dump(mode="json"),
        declarations=sorted(set(request.declarations)),
        answers=dict(request.answers),
        policy_id=policy.id,
        policy_version=str(policy.version),
        language=request.language,
        first_start=first_start,
        checks=[],
        applicant_token_hash=token_hash(token),
        idempotency_key=idempotency_key,
        revision=1,
    )


async def submit(
    deps: CaseDeps,
    request: ApplicationRequest,
    *,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Submitted:
    now = now or utcnow()
    rrule = request.recurrence.rrule if request.recurrence else None
    # Any room may be asked for, whoever is signed in; then the request is filed, screened and
    # checked as the venue's owner sees things (its own records, its flagged list).
    with scoped(deps.session, None):
        plan = await deps.bookings.plan(request.room_id, request.start, request.end, rrule, now=now)
    with scoped(deps.session, await scope_for_provider(deps.session, plan.venue.provider_id)):
        return await _submit_planned(deps, request, plan, idempotency_key, now)


async def _submit_planned(
    deps: CaseDeps,
    request: ApplicationRequest,
    plan: PlannedSeries,
    idempotency_key: str | None,
    now: dt.datetime,
) -> Submitted:
    session = deps.session
    provider_id = plan.venue.provider_id
    policy = await current_policy(session, plan.venue.policy_id)
    validate_against_policy(policy, request)
    charges = charges_at_submit(request, plan)
    submitted = snapshot(request.organisation.model_dump())
    registry = await registry_for_case(
        session, deps.registry_backend, submitted["charity_number"], submitted["company_number"]
    )
    records = look_up_numbers(registry, submitted["charity_number"], submitted["company_number"])
    organisation, link = await file_organisation(deps, submitted, records, provider_id)
    known_before = link.status in LINKED
    token = new_token()
    case = _new_case(
        request, policy, organisation, submitted, link, plan.occurrences[0].start_utc, token, idempotency_key
    )
    case.charges = charges
    # Every name as this request typed it, whatever is on file for the organisation.
    # Trustees and persons with significant control on the registers are screened like the
    # people the hirer names, and said to come from the register.
    people, sources = await register_people(
        session, deps.registry_backend, submitted["charity_number"], submitted["company_number"]
    )
    case.register_people = [[kind, role, name, sources.get(role, "")] for kind, role, name in people]
    screened = await screen_names(session, case.id, subjects(case), policy)
    explain_register_people(case, screened.rows)
    ctx = await check_context(
        session,
        case,
        organisation if known_before else None,
        plan.room,
        plan.venue,
        [(o.start_utc, o.end_utc) for o in plan.occurrences],
        screened.rows,
        await breaches_of(session, organisation) if known_before else [],
        records,
    )
    result = evaluate(policy, ctx)
    apply_result(case, result)
    booking, dates = deps.bookings.new_booking(case.id, plan, now=now)
    history = event_rows(
        case,
        [
            (HIRER, "submitted", {"occurrences": len(plan.occurrences), "room_id": str(plan.room.id)}),
            *(
                [(SYSTEM, f"organisation_link_{link.status}", link.detail())]
                if link.known_id is not None
                else []
            ),
            (SYSTEM, "screened", screened.detail()),
            (SYSTEM, "checks_run", checks_detail(result)),
        ],
    )
    # The new rows, parents first, and the history without the unit of work (vetting/new_rows.py:
    # one statement on PostgreSQL); the first private link is the one the "Request sent" page and
    # the first mail show.
    await insert_new(
        session,
        [
            *([organisation] if link.status in (LinkStatus.NEW, LinkStatus.POSSIBLE) else []),
            case,
            new_link(case.id, now, token)[1],
            booking,
            *dates,
            *screened.rows,
        ],
        rows=[(CASE_EVENTS, history)],
    )
    assert case.target_date is not None  # the checks always set a target date
    await messages.mail_hirer(
        deps,
        case,
        messages.submitted(
            case.reference,
            plan.room.name,
            plan.venue.name,
            case.target_date,
            f"{await messages.base_url_for(deps, case.provider_id)}/status/{token}",
            messages.dates_text(plan.occurrences, case.language),
            case.language,
        ),
    )
    await alert_triggers.new_request(
        deps, case, venue_id=plan.venue.id, venue=plan.venue.name, room=plan.room.name, policy=policy
    )
    if screened.rows:
        await alert_triggers.referral(deps, case)
    return Submitted(case, token)
