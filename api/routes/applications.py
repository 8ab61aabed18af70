"""Booking requests, officers' cases and decisions, and the hirer's private status link."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, PUBLIC, STAFF, resolve_actor, roles
from api.db.engine import generic_plans
from api.idempotency import MAX_KEY_LENGTH, REPLAYED_HEADER, IdempotencyStore, Replay, body_hash, scope_hash
from api.schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealLodgedOut,
    ApplicantActionOut,
    ApplicantStatusOut,
    ApplicationCreatedOut,
    BirthDateRequestIn,
    CancelIn,
    CaseOut,
    CaseSummaryOut,
    CountersignIn,
    DateChangeIn,
    DecisionIn,
    InformationIn,
    MoveIn,
    OccurrenceCancelledOut,
    OccurrenceMovedOut,
    OrganisationLinkIn,
    OrganisationLinkOut,
    QueueItemOut,
)
from casework.date_changes import reason_text
from casework.input import ApplicationRequest
from casework.organisation_review import resolve_organisation_link
from casework.queue_tabs import QueueFilters, QueueSort, QueueTab, assignee_filter, london_today, tab_rows
from casework.workflow import DecisionInput, Submitted, Workflow
from vetting.actors import Actor
from vetting.errors import Invalid
from vetting.models import VettingCase


class ApplicationController(Controller):
    path = "/api/v1/applications"
    tags = ["applications"]

    @post("/", operation_id="createApplication", opt=roles(PUBLIC), status_code=201)
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: ApplicationRequest,
        workflow: Workflow,
        db_session: AsyncSession,
        idempotency_key: Annotated[
            str | None, Parameter(header="Idempotency-Key", min_length=1, max_length=MAX_KEY_LENGTH)
        ] = None,
    ) -> Response[ApplicationCreatedOut]:
        await generic_plans(db_session)
        if not idempotency_key:
            return _created_response(_created(await workflow.submit(data)), 201)
        # The key's rules (scope, body, replay, expiry) live in api/idempotency.py.
        actor = await resolve_actor(request)
        digest = body_hash(data.model_dump(mode="json"))
        scope = scope_hash(actor.id if actor is not None else None, digest)
        store = IdempotencyStore(db_session, request.app.state.settings.resolved_secret_key())
        claimed = await store.claim(scope, idempotency_key, digest)
        if isinstance(claimed, Replay):
            return _created_response(claimed.body, claimed.status_code, {REPLAYED_HEADER: "true"})
        try:
            body = _created(await workflow.submit(data))
            # The answer is committed with the case: one transaction for claim, work and answer.
            await store.finish(claimed, 201, body)
            await db_session.commit()
        except Exception:
            await store.release(claimed)
            raise
        return _created_response(body, 201)

    @get(
        "/",
        operation_id="listApplications",
        opt=roles(*OFFICERS),
        description=(
            "The officer's queue: one tab's cases (`tab`, default every case) under the filters, "
            "sorted by first date (`sort=start`, the default), decide-by date (`due`) or tier (`tier`). "
            "`assigned_to` is an officer's id, or `none` for cases nobody has."
        ),
    )
    async def queue(
        self,
        db_session: AsyncSession,
        staff: Actor,
        status: str | None = None,
        tier: str | None = None,
        venue_id: UUID | None = None,
        tab: QueueTab = "all",
        assigned_to: Annotated[str | None, Parameter(max_length=40)] = None,
        sort: QueueSort = "start",
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    ) -> list[QueueItemOut]:
        filters = QueueFilters(
            venue_id=venue_id,
            statuses=(status,) if status else None,
            tier=tier,
            assigned_to=assignee_filter(assigned_to),
        )
        rows = await tab_rows(db_session, tab, staff.id, london_today(), filters, sort=sort, limit=limit)
        return [
            QueueItemOut(
                id=row.case.id,
                reference=row.case.reference,
                status=row.case.status,
                tier=row.case.tier,
                organisation=row.case.organisation_name,
                organisation_link=row.case.organisation_link,
                event_title=row.case.title,
                first_start=row.case.first_start.isoformat(),
                target_date=row.case.target_date.isoformat() if row.case.target_date else None,
                room=row.room_name,
                venue=row.venue_name,
                venue_id=row.venue_id,
                open_referrals=row.open_referrals,
                assigned_to_id=row.case.assigned_to_id,
                assigned_to=row.case.assigned_to_name,
            )
            for row in rows
        ]

    @get("/{case_id:uuid}", operation_id="getApplication", opt=roles(*OFFICERS))
    async def get_case(self, case_id: UUID, staff: Actor, workflow: Workflow) -> CaseOut:
        return CaseOut.model_validate(await workflow.case_view(staff, case_id))

    @post(
        "/{case_id:uuid}/decision",
        operation_id="decideApplication",
        opt=roles(*STAFF),
        status_code=200,
        description=(
            "Officers decide any case of their organisation. A venue manager decides only where the "
            "venue's policy delegates the case's tier to its managers, at their own venues, with "
            "screening clear (casework/delegation.py), as on the manager's case page: another "
            "venue's case is 404, a tier not delegated 403, an open screening match 409. A "
            "manager approving over checks still in review gives `checks_in_review_reason`."
        ),
    )
    async def decide(
        self, case_id: UUID, data: DecisionIn, staff: Actor, workflow: Workflow
    ) -> CaseSummaryOut:
        # Officers' API clients approve over checks in review with the decision's own reason (the
        # note of issue 17 item 2); a manager says why, as the manager's form asks.
        in_review_reason = data.checks_in_review_reason
        if staff.is_officer:
            in_review_reason = in_review_reason or data.reason
        case = await workflow.decide(
            staff,
            case_id,
            DecisionInput(
                outcome=data.outcome,
                reason=data.reason,
                reason_code=data.reason_code,
                conditions=[c.model_dump() for c in data.conditions],
                options_considered=data.options_considered,
                expected_revision=data.revision,
                # An API client's approval is its explicit act; it still needs a reason.
                checks_in_review_confirmed=True,
                checks_in_review_reason=in_review_reason,
            ),
        )
        return _case_summary(case)

    @post(
        "/{case_id:uuid}/birth-date-request",
        operation_id="askDatesOfBirth",
        opt=roles(*OFFICERS),
        status_code=200,
        summary="Ask the hirer for the date of birth of people with a screening match",
        description=(
            "A request for information with one date-of-birth field per person, open while screening "
            "referrals are. The answer is kept on the case for that person and shown beside their "
            "matches; a match whose year of birth differs by more than the policy's margin is shown as "
            "likely a different person, never cleared. 422 for a person without a match on the case."
        ),
    )
    async def ask_birth_dates(
        self, case_id: UUID, data: BirthDateRequestIn, staff: Actor, workflow: Workflow
    ) -> CaseSummaryOut:
        case = await workflow.ask_birth_dates(
            staff, case_id, data.people, data.note, expected_revision=data.revision
        )
        return _case_summary(case)

    @post(
        "/{case_id:uuid}/organisation-link",
        operation_id="resolveOrganisationLink",
        opt=roles(*OFFICERS),
        status_code=200,
        summary="Confirm or reject that a request's organisation is one already on file",
        description=(
            "A request quoting the charity number, company number or name of a known organisation is "
            "linked to it only as a possible match. Confirming files the case under the known "
            "organisation and runs the checks again (its clearance and recorded breaches now count); "
            "rejecting keeps the case on its own record. 409 when there is no open possible link."
        ),
    )
    async def resolve_organisation_link(
        self, case_id: UUID, data: OrganisationLinkIn, staff: Actor, workflow: Workflow
    ) -> OrganisationLinkOut:
        case = await resolve_organisation_link(workflow, staff, case_id, data.decision, data.note)
        return OrganisationLinkOut(
            id=case.id,
            reference=case.reference,
            status=case.status,
            organisation_link=case.organisation_link,
            revision=case.revision,
        )

    @post(
        "/{case_id:uuid}/countersign",
        operation_id="countersignRefusal",
        # A manager countersigns a refusal of a delegated case of their venue, as on their page.
        opt=roles(*STAFF),
        status_code=200,
    )
    async def countersign(
        self, case_id: UUID, data: CountersignIn, staff: Actor, workflow: Workflow
    ) -> CaseSummaryOut:
        case = await workflow.countersign(staff, case_id, agree=data.agree, note=data.note)
        return _case_summary(case)

    @post("/{case_id:uuid}/cancel", operation_id="cancelBooking", opt=roles(*OFFICERS), status_code=200)
    async def cancel(self, case_id: UUID, data: CancelIn, staff: Actor, workflow: Workflow) -> CaseSummaryOut:
        case = await workflow.cancel(staff, case_id, data.reason_code, data.reason)
        return _case_summary(case)

    @post(
        "/{case_id:uuid}/appeal-decision", operation_id="decideAppeal", opt=roles(*OFFICERS), status_code=200
    )
    async def decide_appeal(
        self, case_id: UUID, data: AppealDecisionIn, staff: Actor, workflow: Workflow
    ) -> CaseSummaryOut:
        case = await workflow.decide_appeal(
            staff, case_id, data.outcome, data.reason, [c.model_dump() for c in data.conditions]
        )
        return _case_summary(case)

    @post(
        "/{case_id:uuid}/occurrences/{occurrence_id:uuid}/cancel",
        operation_id="cancelOccurrence",
        opt=roles(*OFFICERS),
        status_code=200,
        description="Cancel one date, with the council's reason: recorded, and told to the hirer.",
    )
    async def cancel_occurrence(
        self, case_id: UUID, occurrence_id: UUID, data: DateChangeIn, staff: Actor, workflow: Workflow
    ) -> OccurrenceCancelledOut:
        reason = reason_text(data.reason, data.details)
        await workflow.cancel_date(staff, case_id, occurrence_id, reason=reason)
        return OccurrenceCancelledOut(id=occurrence_id, status="cancelled")

    @post(
        "/{case_id:uuid}/occurrences/{occurrence_id:uuid}/cancel-rest",
        operation_id="cancelRestOfSeries",
        opt=roles(*OFFICERS),
        status_code=200,
        description=(
            "Cancel this date and every later one still booked or asked for, with the council's "
            "reason; earlier dates stay (409 when none would, or none is left to cancel)."
        ),
    )
    async def cancel_rest(
        self, case_id: UUID, occurrence_id: UUID, data: DateChangeIn, staff: Actor, workflow: Workflow
    ) -> OccurrenceCancelledOut:
        reason = reason_text(data.reason, data.details)
        await workflow.cancel_rest(staff, case_id, occurrence_id, reason=reason)
        return OccurrenceCancelledOut(id=occurrence_id, status="cancelled")

    @post(
        "/{case_id:uuid}/occurrences/{occurrence_id:uuid}/move",
        operation_id="moveOccurrence",
        opt=roles(*OFFICERS),
        status_code=200,
        description="Move one date, with the council's reason: recorded, and told to the hirer.",
    )
    async def move_occurrence(
        self, case_id: UUID, occurrence_id: UUID, data: MoveIn, staff: Actor, workflow: Workflow
    ) -> OccurrenceMovedOut:
        if data.start.tzinfo is None or data.end.tzinfo is None:
            raise Invalid("times need a time zone offset", {"start": "include an offset such as +00:00"})
        reason = reason_text(data.reason, data.details)
        await workflow.move_date(staff, case_id, occurrence_id, data.start, data.end, reason=reason)
        return OccurrenceMovedOut(id=occurrence_id, start=data.start.isoformat(), end=data.end.isoformat())


def _created(submitted: Submitted) -> dict[str, Any]:
    """The answer to a new booking request: what the hirer needs to follow it."""
    case = submitted.case
    return {
        "id": str(case.id),
        "reference": case.reference,
        "status": case.status,
        "applicant_token": submitted.applicant_token,
        "target_date": case.target_date.isoformat() if case.target_date else None,
    }


def _created_response(
    body: dict[str, Any], status_code: int, headers: dict[str, str] | None = None
) -> Response[ApplicationCreatedOut]:
    """The created (or replayed) answer, checked against its published model."""
    return Response(ApplicationCreatedOut.model_validate(body), status_code=status_code, headers=headers)


def _case_summary(case: VettingCase) -> CaseSummaryOut:
    """What an officer's action answers with: the case and where it now stands."""
    return CaseSummaryOut(id=case.id, reference=case.reference, status=case.status)


Token = Annotated[str, Parameter(min_length=20, max_length=100)]


class ApplicantController(Controller):
    """The hirer's private link: the token is the only credential, so every answer is 404 without it."""

    path = "/api/v1/applicant"
    tags = ["applicant"]

    @get("/{token:str}", operation_id="applicantStatus", opt=roles(PUBLIC))
    async def status(self, token: Token, workflow: Workflow) -> ApplicantStatusOut:
        return ApplicantStatusOut.model_validate(await workflow.applicant_view(token))

    @post(
        "/{token:str}/accept-conditions", operation_id="acceptConditions", opt=roles(PUBLIC), status_code=200
    )
    async def accept(self, token: Token, workflow: Workflow) -> ApplicantActionOut:
        case = await workflow.accept_conditions(token)
        return ApplicantActionOut(reference=case.reference, status=case.status)

    @post("/{token:str}/withdraw", operation_id="withdrawApplication", opt=roles(PUBLIC), status_code=200)
    async def withdraw(self, token: Token, workflow: Workflow) -> ApplicantActionOut:
        case = await workflow.withdraw(token)
        return ApplicantActionOut(reference=case.reference, status=case.status)

    @post("/{token:str}/information", operation_id="provideInformation", opt=roles(PUBLIC), status_code=200)
    async def information(self, token: Token, data: InformationIn, workflow: Workflow) -> ApplicantActionOut:
        case = await workflow.provide_information(
            token, data.response, {d.name: d.date_of_birth for d in data.dates_of_birth}
        )
        return ApplicantActionOut(reference=case.reference, status=case.status)

    @post("/{token:str}/appeal", operation_id="appealRefusal", opt=roles(PUBLIC), status_code=200)
    async def appeal(self, token: Token, data: AppealIn, workflow: Workflow) -> AppealLodgedOut:
        case = await workflow.appeal(token, data.grounds)
        return AppealLodgedOut(reference=case.reference, status=case.status, appeal="pending")
