"""The booking workflow: request, checks and screening, decisions, acceptance, appeals.

Ties a vetting case (vetting) to its booking (venues). Every status change goes through
`vetting.lifecycle.next_status` and a guarded UPDATE on the case's revision, so two officers
deciding at once cannot both win, and every change lands in the case history.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from policies import Policy
from venues.application_input import ApplicationRequest
from venues.booking import BookingService
from venues.models import Booking, Occurrence, Room, Venue
from vetting.actors import HIRER, SYSTEM, Actor
from vetting.case_screening import matches_for, open_referrals, screen_names, subjects
from vetting.checks import CheckContext, evaluate
from vetting.checks.context import (
    Breach as BreachInfo,
)
from vetting.checks.context import (
    ContactInfo,
    EventInfo,
    InsuranceInfo,
    OrganisationInfo,
    PersonInfo,
    RoomOption,
    ScreeningMatchState,
)
from vetting.checks.evaluate import Evaluation
from vetting.errors import Conflict, Forbidden, Invalid, NotFound
from vetting.history import history, record, record_all
from vetting.lifecycle import CLOSED_STATUSES, HOLDING_STATUSES, OPEN_STATUSES, next_status
from vetting.models import Breach, Decision, Organisation, ScreeningMatch, VettingCase
from vetting.notify import Mail, Mailer, NullMailer, send_after_commit
from vetting.organisation_links import (
    LINKED,
    Link,
    LinkStatus,
    find_known,
    link_view,
    register_agrees,
    snapshot,
)
from vetting.policy_store import current_policy, policy_version
from vetting.registry import RegistryRecord, look_up_numbers, registry_for
from vetting.tokens import new_token, token_hash
from vetting.workdays import add_working_days, working_days_between

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"VH-{body[:4]}-{body[4:]}"


@dataclass
class Submitted:
    case: VettingCase
    applicant_token: str | None
    replayed: bool = False


@dataclass
class DecisionInput:
    outcome: str  # approve, refuse, request_information
    reason: str
    reason_code: str | None = None
    conditions: list[dict[str, Any]] = field(default_factory=list)
    options_considered: str | None = None
    # The case revision the officer was looking at; a decision on a case that has changed since
    # (another officer asked for information, the hirer answered) is refused with 409.
    expected_revision: int | None = None


@dataclass
class Workflow:
    session: AsyncSession
    mailer: Mailer = field(default_factory=NullMailer)
    registry_backend: str = "null"
    horizon_months: int = 12
    base_url: str = "http://127.0.0.1:8000"

    @property
    def bookings(self) -> BookingService:
        return BookingService(self.session, horizon_months=self.horizon_months)

    # ------------------------------------------------------------------ request

    async def submit(
        self,
        request: ApplicationRequest,
        *,
        idempotency_key: str | None = None,
        now: dt.datetime | None = None,
    ) -> Submitted:
        now = now or utcnow()
        rrule = request.recurrence.rrule if request.recurrence else None
        plan = await self.bookings.plan(request.room_id, request.start, request.end, rrule, now=now)
        policy = await current_policy(self.session, plan.venue.policy_id)
        self._validate_against_policy(policy, request)
        submitted = snapshot(request.organisation.model_dump())
        records = look_up_numbers(
            registry_for(self.registry_backend), submitted["charity_number"], submitted["company_number"]
        )
        organisation, link = await self._organisation(submitted, records)
        known_before = link.status in LINKED
        token = new_token()
        # Screening and the checks run before anything about the case is written, so the case is
        # inserted once, complete, and the request costs a handful of statements (bench/loadtest.py).
        case = VettingCase(
            id=uuid4(),
            created_at=utcnow(),
            reference=new_reference(),
            status="under_review",
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
            first_start=plan.occurrences[0].start_utc,
            checks=[],
            applicant_token_hash=token_hash(token),
            idempotency_key=idempotency_key,
            revision=1,
        )
        # Every name as this request typed it, whatever is on file for the organisation.
        screened = await screen_names(self.session, case.id, subjects(case), policy)
        breaches = await self._breaches(organisation) if known_before else []
        ctx = await self._context(
            case,
            organisation if known_before else None,
            plan.room,
            plan.venue,
            [(o.start_utc, o.end_utc) for o in plan.occurrences],
            screened.rows,
            breaches,
            records,
        )
        result = evaluate(policy, ctx)
        case.checks = [r.as_dict() for r in result.results]
        case.tier = result.tier
        case.target_date = result.target_decision_date
        if link.status in (LinkStatus.NEW, LinkStatus.POSSIBLE):
            self.session.add(organisation)
        self.session.add(case)
        await self.bookings.create(case.id, plan, now=now, flush=False)
        self.session.add_all(screened.rows)
        new_matches = screened.rows
        # One flush, ordered by the models' relationships, puts in the organisation, case, booking,
        # dates and matches just before the history's INSERT.
        await record_all(
            self.session,
            case,
            [
                (HIRER, "submitted", {"occurrences": len(plan.occurrences), "room_id": str(plan.room.id)}),
                *(
                    [(SYSTEM, f"organisation_link_{link.status}", link.detail())]
                    if link.known_id is not None
                    else []
                ),
                (SYSTEM, "screened", screened.detail()),
                (SYSTEM, "checks_run", _checks_detail(result)),
            ],
        )
        send_after_commit(
            self.session,
            self.mailer,
            Mail(
                to=request.contact.email,
                subject=f"We have your booking request {case.reference}",
                body=(
                    f"Thank you. Your request {case.reference} for {plan.room.name}, {plan.venue.name} "
                    "is with the "
                    f"council. We aim to decide by {case.target_date:%A %d %B %Y}.\n\n"
                    f"Follow it here: {self.base_url}/status/{token}\n"
                ),
            ),
        )
        if new_matches:
            await self._notify_officers_of_referral(case)
        return Submitted(case, token)

    def _validate_against_policy(self, policy: Policy, request: ApplicationRequest) -> None:
        known_declarations = {d.id for d in policy.declarations}
        unknown = sorted(set(request.declarations) - known_declarations)
        errors: dict[str, str] = {}
        if unknown:
            errors["declarations"] = f"unknown declarations: {', '.join(unknown)}"
        known_questions = {q.id for q in policy.questions}
        stray = sorted(
            set(request.answers) - known_questions - {"insurance_cover_gbp", "uses_council_insurance_scheme"}
        )
        if stray:
            errors["answers"] = f"unknown questions: {', '.join(stray)}"
        if errors:
            raise Invalid("the request does not fit the venue's policy", errors)

    async def _organisation(
        self, submitted: dict[str, Any], records: Sequence[RegistryRecord]
    ) -> tuple[Organisation, Link]:
        """The organisation row the case is filed under, and its link to one already on file.

        Nothing stored is changed: a request that resembles a known organisation gets a record of
        its own and a *possible* link, unless a register look-up agrees that they are the same."""
        known = await find_known(self.session, submitted)
        if known is not None and register_agrees(records, submitted, known.organisation):
            return known.organisation, Link(LinkStatus.VERIFIED, known.basis, known.organisation.id)
        # The snapshot's fields are exactly the table's columns.
        own = Organisation(id=uuid4(), **submitted)
        if known is None:
            return own, Link(LinkStatus.NEW, None, None)
        return own, Link(LinkStatus.POSSIBLE, known.basis, known.organisation.id)

    async def rerun_checks(self, case: VettingCase, actor: Actor) -> None:
        """Run the checks again on what the case holds (after an officer linked its organisation
        to a known one, whose clearance and recorded breaches now count)."""
        policy = await policy_version(self.session, case.policy_id, case.policy_version)
        booking = await self.bookings.booking_for_case(case.id)
        room, venue = await self.bookings.room_and_venue(booking.room_id)
        occurrences = await self.bookings.occurrences(booking.id)
        live = [o for o in occurrences if o.status != "cancelled"] or occurrences
        known = None
        if case.organisation_link in LINKED:
            known = await self.session.get(Organisation, case.organisation_id)
        submitted = case.organisation_submitted
        registry = registry_for(self.registry_backend)
        records = look_up_numbers(registry, submitted.get("charity_number"), submitted.get("company_number"))
        ctx = await self._context(
            case,
            known,
            room,
            venue,
            [(o.start_utc, o.end_utc) for o in live],
            await matches_for(self.session, case.id),
            await self._breaches(known) if known else [],
            records,
        )
        result = evaluate(policy, ctx)
        case.checks = [r.as_dict() for r in result.results]
        case.tier = result.tier
        case.target_date = result.target_decision_date
        await record(self.session, case, actor, "checks_run", _checks_detail(result))

    async def _breaches(self, organisation: Organisation) -> list[Breach]:
        rows = await self.session.execute(select(Breach).where(Breach.organisation_id == organisation.id))
        return list(rows.scalars())

    async def _context(
        self,
        case: VettingCase,
        known: Organisation | None,
        room: Room,
        venue: Venue,
        spans: Sequence[tuple[dt.datetime, dt.datetime]],
        matches: Sequence[ScreeningMatch],
        breaches: Sequence[Breach],
        records: Sequence[RegistryRecord],
    ) -> CheckContext:
        """What the checks read: the organisation as submitted; clearance only from a known
        organisation the case is linked to (``known``)."""
        start, end = spans[0]
        attendance = int(case.event.get("expected_attendance", 0))
        alternatives: list[RoomOption] = []
        if attendance > room.capacity:
            rows = await self.session.execute(
                select(Room).where(
                    Room.venue_id == venue.id, Room.capacity >= attendance, Room.active.is_(True)
                )
            )
            alternatives = [
                RoomOption(room_id=str(r.id), name=r.name, capacity=r.capacity) for r in rows.scalars()
            ]
        insurance = None
        cover = case.answers.get("insurance_cover_gbp")
        scheme = bool(case.answers.get("uses_council_insurance_scheme"))
        if cover is not None or scheme:
            insurance = InsuranceInfo(cover_gbp=cover, uses_council_scheme=scheme)
        return CheckContext(
            organisation=OrganisationInfo.model_validate(case.organisation_submitted),
            contact=ContactInfo(**case.contact),
            people=tuple(PersonInfo(**p) for p in case.people),
            event=EventInfo(**case.event),
            start=start,
            end=end,
            occurrence_count=len(spans),
            submitted_at=case.created_at,
            declarations=frozenset(case.declarations),
            answers=dict(case.answers),
            room_id=str(room.id),
            room_capacity=room.capacity,
            alternative_rooms=tuple(alternatives),
            insurance=insurance,
            registry_records=tuple(records),
            screening=tuple(
                ScreeningMatchState(
                    entry_id=str(m.entry_id),
                    score=m.score,
                    query_name=m.query_name,
                    matched_name=m.matched_name,
                    explanation=m.explanation,
                    disposition=None if m.disposition == "open" else m.disposition,
                )
                for m in sorted(matches, key=lambda m: -m.score)
            ),
            breaches=tuple(
                BreachInfo(occurred_on=b.occurred_on, code=b.code, serious=b.serious, note=b.description)
                for b in breaches
            ),
            last_cleared_on=known.last_cleared_at.date() if known and known.last_cleared_at else None,
            timezone=venue.timezone,
        )

    async def _notify_officers_of_referral(self, case: VettingCase) -> None:
        from sqlalchemy import text

        rows = await self.session.execute(
            text("SELECT email FROM app_user WHERE role IN ('officer', 'admin') AND active = :active"),
            {"active": True},
        )
        for (email,) in rows:
            send_after_commit(
                self.session,
                self.mailer,
                Mail(
                    to=email,
                    subject=f"Screening referral on {case.reference}",
                    body=f"A name on request {case.reference} resembles an entry on the flagged list. "
                    f"Review it: {self.base_url}/officer/cases/{case.id}\n",
                ),
            )

    # ------------------------------------------------------------------ reading

    async def get_case(self, case_id: UUID) -> VettingCase:
        case = await self.session.get(VettingCase, case_id)
        if case is None:
            raise NotFound("no such application")
        return case

    async def case_by_token(self, token: str) -> VettingCase:
        case = (
            await self.session.execute(
                select(VettingCase).where(VettingCase.applicant_token_hash == token_hash(token))
            )
        ).scalar_one_or_none()
        if case is None:
            raise NotFound("no such application")
        return case

    async def case_view(self, actor: Actor, case_id: UUID) -> dict[str, Any]:
        if not actor.is_officer:
            raise Forbidden("only officers see whole cases")
        case = await self.get_case(case_id)
        booking = await self.bookings.booking_for_case(case.id)
        room, venue = await self.bookings.room_and_venue(booking.room_id)
        occs = await self.bookings.occurrences(booking.id)
        await record(self.session, case, actor, "viewed")
        decisions = await self._decisions(case.id)
        return {
            "id": str(case.id),
            "reference": case.reference,
            "status": case.status,
            "revision": case.revision,
            "policy": {"id": case.policy_id, "version": case.policy_version},
            "tier": case.tier,
            "target_date": case.target_date.isoformat() if case.target_date else None,
            "request": {
                # As this request gave it; the record it is filed under may say otherwise.
                "organisation": {"id": str(case.organisation_id), **case.organisation_submitted},
                "contact": case.contact,
                "people": case.people,
                "event": case.event,
                "declarations": case.declarations,
                "answers": case.answers,
                "room": {"id": str(room.id), "name": room.name, "capacity": room.capacity},
                "venue": {"id": str(venue.id), "name": venue.name},
                "rrule": booking.rrule,
            },
            "organisation_link": await link_view(self.session, case),
            "information_request": case.information_request,
            "information_response": case.information_response,
            "occurrences": [_occurrence_json(o) for o in occs],
            "checks": case.checks,
            "screening": [
                {
                    "id": str(m.id),
                    "subject_kind": m.subject_kind,
                    "subject_role": m.subject_role,
                    "query_name": m.query_name,
                    "entry_id": str(m.entry_id),
                    "matched_name": m.matched_name,
                    "score": m.score,
                    "explanation": m.explanation,
                    "list_version": m.list_version,
                    "disposition": m.disposition,
                    "note": m.note,
                    "disposed_by": m.disposed_by,
                }
                for m in await matches_for(self.session, case.id)
            ],
            "competing_requests": await self.bookings.competing(booking)
            if case.status in OPEN_STATUSES
            else [],
            "decisions": [_decision_json(d) for d in decisions],
            "history": [
                {
                    "at": e.at.isoformat(),
                    "actor": e.actor_name,
                    "action": e.action,
                    "detail": e.detail,
                    "policy_version": e.policy_version,
                }
                for e in await history(self.session, case.id)
            ],
        }

    async def applicant_view(self, token: str) -> dict[str, Any]:
        """What the hirer sees: never screening detail, never other hirers."""
        case = await self.case_by_token(token)
        booking = await self.bookings.booking_for_case(case.id)
        room, venue = await self.bookings.room_and_venue(booking.room_id)
        decision = await self._effective_decision(case.id)
        pending_refusal = await self._pending_refusal(case.id)
        appeal = await self._appeal(case.id)
        policy = await policy_version(self.session, case.policy_id, case.policy_version)
        return {
            "reference": case.reference,
            "status": case.status,
            "organisation": case.organisation_name,
            "event": {"title": case.event.get("title")},
            "room": room.name,
            "venue": venue.name,
            "target_date": case.target_date.isoformat() if case.target_date else None,
            "occurrences": [
                {
                    "start": o.local_start.isoformat(timespec="minutes"),
                    "end": o.local_end.isoformat(timespec="minutes"),
                    "status": o.status if o.status in ("held", "cancelled") else "requested",
                }
                for o in await self.bookings.occurrences(booking.id)
            ],
            "information_request": case.information_request
            if case.status == "awaiting_information"
            else None,
            "conditions": (decision.conditions if decision and decision.outcome == "approve" else []),
            "decision": (
                {
                    "outcome": decision.outcome,
                    "reason": decision.reason,
                    "reason_code": decision.reason_code,
                    "decided_at": decision.decided_at.isoformat(),
                    "appeal_until": (
                        add_working_days(
                            decision.decided_at.date(), policy.appeal_window_working_days
                        ).isoformat()
                        if decision.outcome == "refuse"
                        else None
                    ),
                }
                if decision and not pending_refusal
                else None
            ),
            "appeal": {
                "status": appeal.outcome,
                "reason": appeal.reason if appeal.outcome != "pending" else None,
            }
            if appeal
            else None,
        }

    async def _decisions(self, case_id: UUID) -> list[Decision]:
        rows = await self.session.execute(
            select(Decision).where(Decision.case_id == case_id).order_by(Decision.decided_at)
        )
        return list(rows.scalars())

    async def _effective_decision(self, case_id: UUID) -> Decision | None:
        effective = [
            d
            for d in await self._decisions(case_id)
            if d.effective and d.kind in ("decision", "cancellation")
        ]
        return effective[-1] if effective else None

    async def _pending_refusal(self, case_id: UUID) -> Decision | None:
        for d in await self._decisions(case_id):
            if (
                d.kind == "decision"
                and d.outcome == "refuse"
                and not d.effective
                and d.countersigned_at is None
            ):
                return d
        return None

    async def _appeal(self, case_id: UUID) -> Decision | None:
        appeals = [d for d in await self._decisions(case_id) if d.kind == "appeal"]
        return appeals[-1] if appeals else None

    # ------------------------------------------------------------------ state changes

    async def _transition(
        self,
        case: VettingCase,
        action: str,
        actor: Actor,
        detail: dict[str, Any] | None = None,
        *,
        expected_revision: int | None = None,
    ) -> str:
        """Guarded status change: only one of several concurrent callers can win."""
        new_status = next_status(case.status, action)
        revision = case.revision if expected_revision is None else expected_revision
        result = await self.session.execute(
            update(VettingCase)
            .where(
                VettingCase.id == case.id, VettingCase.revision == revision, VettingCase.status == case.status
            )
            .values(status=new_status, revision=revision + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE has rowcount
            raise Conflict("the case has already moved on; reload it")
        await self.session.refresh(case)
        await record(self.session, case, actor, action, detail)
        return new_status

    async def decide(
        self, actor: Actor, case_id: UUID, data: DecisionInput, *, now: dt.datetime | None = None
    ) -> VettingCase:
        if not actor.is_officer:
            raise Forbidden("only officers decide")
        now = now or utcnow()
        case = await self.get_case(case_id)
        expected = case.revision
        if data.expected_revision is not None and data.expected_revision != expected:
            raise Conflict("the case has changed since you opened it; reload it")
        if case.status not in OPEN_STATUSES:
            raise Conflict(f"the case is {case.status.replace('_', ' ')}; it cannot be decided again")
        if await self._pending_refusal(case.id):
            raise Conflict("a refusal on this case is waiting for a second officer's countersignature")
        if await open_referrals(self.session, case.id):
            raise Conflict("resolve the open screening referrals before deciding")
        policy = await policy_version(self.session, case.policy_id, case.policy_version)
        reason = (data.reason or "").strip()
        if data.outcome == "request_information":
            if not reason:
                raise Invalid("say what information is needed", {"reason": "is required"})
            await self._transition(
                case, "request_information", actor, {"requested": reason}, expected_revision=expected
            )
            case.information_request = reason
            case.information_response = None
            await self.session.flush()
            await self._mail_hirer(
                case,
                f"More information needed for {case.reference}",
                f"The council needs more information before deciding:\n\n{reason}\n",
            )
            return case
        if data.outcome == "approve":
            conditions = self._validate_conditions(policy, data.conditions)
            action = "approve_with_conditions" if conditions else "approve"
            decision = self._decision(
                case,
                actor,
                policy,
                now,
                kind="decision",
                outcome="approve",
                reason=reason or "Approved",
                reason_code=None,
                conditions=conditions,
                options_considered=data.options_considered,
                effective=True,
            )
            await self._transition(
                case,
                action,
                actor,
                {"conditions": [c["code"] for c in conditions]},
                expected_revision=expected,
            )
            self.session.add(decision)
            booking = await self.bookings.booking_for_case(case.id)
            await self.bookings.hold(booking, now=now)
            organisation = await self.session.get(Organisation, case.organisation_id)
            assert organisation is not None
            organisation.last_cleared_at = now
            await self.session.flush()
            body = "Your booking is approved."
            if conditions:
                body += " It has conditions you need to accept before it is confirmed:\n\n" + "\n".join(
                    f"- {c['text']}" for c in conditions
                )
            await self._mail_hirer(case, f"Decision on {case.reference}", body + "\n")
            return case
        if data.outcome == "refuse":
            ground = self._validate_ground(policy, data.reason_code, reason)
            decision = self._decision(
                case,
                actor,
                policy,
                now,
                kind="decision",
                outcome="refuse",
                reason=reason,
                reason_code=ground,
                conditions=[],
                options_considered=data.options_considered,
                effective=not policy.countersign_refusals,
            )
            if not (data.options_considered or "").strip():
                raise Invalid(
                    "record the less restrictive options considered (for example conditions)",
                    {"options_considered": "is required for a refusal"},
                )
            self.session.add(decision)
            if policy.countersign_refusals:
                # Bump the revision so a concurrent decision on the same case loses.
                await self.session.execute(
                    update(VettingCase)
                    .where(VettingCase.id == case.id, VettingCase.revision == expected)
                    .values(revision=expected + 1)
                    .execution_options(synchronize_session=False)
                )
                await self.session.refresh(case)
                if case.revision != expected + 1:
                    raise Conflict("the case has already moved on; reload it")
                await record(self.session, case, actor, "refusal_proposed", {"reason_code": ground})
                return case
            await self._finish_refusal(case, actor, decision, now)
            return case
        raise Invalid("unknown outcome", {"outcome": "must be approve, refuse or request_information"})

    async def countersign(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        agree: bool,
        note: str | None = None,
        now: dt.datetime | None = None,
    ) -> VettingCase:
        if not actor.is_officer:
            raise Forbidden("only officers countersign")
        now = now or utcnow()
        case = await self.get_case(case_id)
        pending = await self._pending_refusal(case.id)
        if pending is None:
            raise Conflict("there is no refusal waiting for a countersignature")
        if pending.officer_id is not None and pending.officer_id == actor.id:
            raise Forbidden("a second, different officer must countersign a refusal")
        pending.countersigned_by_id = actor.id
        pending.countersigned_by_name = actor.name
        pending.countersigned_at = now
        if not agree:
            await record(self.session, case, actor, "refusal_not_countersigned", {"note": note or ""})
            await self.session.flush()
            return case
        pending.effective = True
        await self._finish_refusal(case, actor, pending, now)
        return case

    async def _finish_refusal(
        self, case: VettingCase, actor: Actor, decision: Decision, now: dt.datetime
    ) -> None:
        await self._transition(case, "refuse", actor, {"reason_code": decision.reason_code})
        booking = await self.bookings.booking_for_case(case.id)
        await self.bookings.release(booking, now=now)
        await self._mail_hirer(
            case,
            f"Decision on {case.reference}",
            f"Your request has been refused.\n\nReason: {decision.reason}\n\n"
            "You may appeal through your status page.\n",
        )

    def _validate_conditions(self, policy: Policy, raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
        catalogue = {c.code: c for c in policy.conditions}
        out: list[dict[str, Any]] = []
        errors: dict[str, str] = {}
        seen: set[str] = set()
        for i, item in enumerate(raw):
            code = str(item.get("code") or "")
            entry = catalogue.get(code)
            if entry is None:
                errors[f"conditions.{i}.code"] = f"not in the policy's catalogue: {code!r}"
                continue
            if code in seen:
                errors[f"conditions.{i}.code"] = "listed twice"
                continue
            seen.add(code)
            rationale = (item.get("rationale") or "").strip() or None
            if entry.rationale_required and not rationale:
                errors[f"conditions.{i}.rationale"] = "this condition needs a rationale"
            text = (item.get("text") or "").strip() or entry.text
            out.append({"code": code, "text": text, "rationale": rationale})
        if errors:
            raise Invalid("the conditions are not valid", errors)
        return out

    def _validate_ground(self, policy: Policy, code: str | None, reason: str) -> str:
        grounds = {g.code for g in policy.refusal_grounds}
        errors: dict[str, str] = {}
        if not code or code not in grounds:
            errors["reason_code"] = (
                f"a refusal needs one of the policy's grounds: {', '.join(sorted(grounds))}"
            )
        if not reason:
            errors["reason"] = "give the reasons for the refusal"
        if errors:
            raise Invalid("the refusal is not valid", errors)
        assert code is not None
        return code

    async def provide_information(self, token: str, response: str) -> VettingCase:
        case = await self.case_by_token(token)
        text = (response or "").strip()
        if not text:
            raise Invalid("write your answer", {"response": "is required"})
        if len(text) > 5000:
            raise Invalid("the answer is too long", {"response": "at most 5000 characters"})
        await self._transition(case, "provide_information", HIRER, {})
        case.information_response = text
        await self.session.flush()
        return case

    async def accept_conditions(self, token: str, *, now: dt.datetime | None = None) -> VettingCase:
        case = await self.case_by_token(token)
        await self._transition(case, "accept_conditions", HIRER, {})
        booking = await self.bookings.booking_for_case(case.id)
        booking.sequence += 1
        booking.changed_at = now or utcnow()
        await self.session.flush()
        return case

    async def withdraw(self, token: str, *, now: dt.datetime | None = None) -> VettingCase:
        case = await self.case_by_token(token)
        await self._transition(case, "withdraw", HIRER, {})
        booking = await self.bookings.booking_for_case(case.id)
        await self.bookings.release(booking, status="cancelled", now=now)
        return case

    async def cancel(
        self,
        actor: Actor,
        case_id: UUID,
        reason_code: str | None,
        reason: str,
        *,
        now: dt.datetime | None = None,
    ) -> VettingCase:
        """The council cancels a booking: the same reason rules as a refusal."""
        if not actor.is_officer:
            raise Forbidden("only officers cancel bookings")
        now = now or utcnow()
        case = await self.get_case(case_id)
        policy = await policy_version(self.session, case.policy_id, case.policy_version)
        ground = self._validate_ground(policy, reason_code, (reason or "").strip())
        await self._transition(case, "cancel", actor, {"reason_code": ground})
        self.session.add(
            self._decision(
                case,
                actor,
                policy,
                now,
                kind="cancellation",
                outcome="cancel",
                reason=reason.strip(),
                reason_code=ground,
                conditions=[],
                effective=True,
            )
        )
        booking = await self.bookings.booking_for_case(case.id)
        await self.bookings.release(booking, status="cancelled", now=now)
        await self._mail_hirer(
            case,
            f"Booking {case.reference} cancelled",
            f"The council cancelled the booking.\n\nReason: {reason}\n",
        )
        return case

    async def appeal(self, token: str, grounds: str, *, now: dt.datetime | None = None) -> VettingCase:
        now = now or utcnow()
        case = await self.case_by_token(token)
        if case.status != "refused":
            raise Conflict("only a refusal can be appealed")
        if await self._appeal(case.id):
            raise Conflict("this refusal has already been appealed")
        decision = await self._effective_decision(case.id)
        assert decision is not None
        policy = await policy_version(self.session, case.policy_id, case.policy_version)
        deadline = add_working_days(decision.decided_at.date(), policy.appeal_window_working_days)
        if now.date() > deadline:
            raise Conflict(f"the appeal window closed on {deadline:%d %B %Y}")
        text = (grounds or "").strip()
        if not text:
            raise Invalid("give the grounds of your appeal", {"grounds": "is required"})
        self.session.add(
            Decision(
                case_id=case.id,
                kind="appeal",
                outcome="pending",
                reason=text,
                reason_code=None,
                conditions=[],
                officer_id=None,
                officer_name="",
                decided_at=now,
                policy_id=policy.id,
                policy_version=str(policy.version),
                effective=False,
            )
        )
        await record(self.session, case, HIRER, "appealed", {})
        await self.session.flush()
        await self._notify_officers_of_referral(case)
        return case

    async def decide_appeal(
        self,
        actor: Actor,
        case_id: UUID,
        outcome: str,
        reason: str,
        conditions: list[dict[str, Any]] | None = None,
        *,
        now: dt.datetime | None = None,
    ) -> VettingCase:
        if not actor.is_officer:
            raise Forbidden("only officers decide appeals")
        now = now or utcnow()
        case = await self.get_case(case_id)
        appeal = await self._appeal(case.id)
        if appeal is None or appeal.outcome != "pending":
            raise Conflict("there is no appeal waiting for a decision")
        original = await self._effective_decision(case.id)
        deciders = {d.officer_id for d in await self._decisions(case.id) if d.kind == "decision"}
        deciders |= {d.countersigned_by_id for d in await self._decisions(case.id) if d.kind == "decision"}
        if actor.id in deciders:
            raise Forbidden("an appeal must be decided by an officer who took no part in the decision")
        if outcome not in ("upheld", "varied", "dismissed"):
            raise Invalid("unknown appeal outcome", {"outcome": "must be upheld, varied or dismissed"})
        text = (reason or "").strip()
        if not text:
            raise Invalid("give reasons", {"reason": "is required"})
        policy = await policy_version(self.session, case.policy_id, case.policy_version)
        appeal.outcome = outcome
        appeal.officer_id, appeal.officer_name, appeal.decided_at = actor.id, actor.name, now
        appeal.effective = True
        appeal.reason = appeal.reason + "\n\nDecision: " + text
        if outcome == "upheld":
            if original is not None:
                original.effective = False
            await self._transition(case, "appeal_upheld", actor, {"reason": text})
            booking = await self._reopen_released(case)
        elif outcome == "varied":
            checked = self._validate_conditions(policy, conditions or [])
            if original is not None:
                original.effective = False
            await self._transition(case, "appeal_varied", actor, {"conditions": [c["code"] for c in checked]})
            self.session.add(
                self._decision(
                    case,
                    actor,
                    policy,
                    now,
                    kind="decision",
                    outcome="approve",
                    reason=text,
                    conditions=checked,
                    effective=True,
                )
            )
            booking = await self._reopen_released(case)
            await self.session.flush()
            await self.bookings.hold(booking, now=now)
        else:
            await record(self.session, case, actor, "appeal_dismissed", {"reason": text})
        await self.session.flush()
        await self._mail_hirer(
            case, f"Appeal decision on {case.reference}", f"Your appeal was {outcome}.\n\n{text}\n"
        )
        return case

    def _decision(
        self, case: VettingCase, actor: Actor, policy: Policy, now: dt.datetime, **fields: Any
    ) -> Decision:
        """A decision by `actor` under the case's policy version (kind, outcome, reason... in `fields`)."""
        return Decision(
            case_id=case.id,
            officer_id=actor.id,
            officer_name=actor.name,
            decided_at=now,
            policy_id=policy.id,
            policy_version=str(policy.version),
            **fields,
        )

    async def _reopen_released(self, case: VettingCase) -> Booking:
        """Dates given up by a refusal ask for their slots again (appeal upheld or varied)."""
        booking = await self.bookings.booking_for_case(case.id)
        for occ in await self.bookings.occurrences(booking.id):
            if occ.status == "released":
                occ.status = "requested"
        return booking

    async def _mail_hirer(self, case: VettingCase, subject: str, body: str) -> None:
        email = case.contact.get("email")
        if email:
            send_after_commit(self.session, self.mailer, Mail(to=str(email), subject=subject, body=body))


def _checks_detail(result: Evaluation) -> dict[str, Any]:
    """The history event's detail for a run of the checks."""
    return {
        "tier": result.tier,
        "triggers": list(result.triggers),
        "outcomes": {r.check: r.outcome for r in result.results},
        "target_date": result.target_decision_date.isoformat(),
        "fast_track": result.fast_track,
    }


def _occurrence_json(o: Occurrence) -> dict[str, Any]:
    return {
        "id": str(o.id),
        "seq": o.seq,
        "start": o.start_utc.isoformat(),
        "end": o.end_utc.isoformat(),
        "local_start": o.local_start.isoformat(timespec="minutes"),
        "local_end": o.local_end.isoformat(timespec="minutes"),
        "status": o.status,
        "moved_from": o.original_start_utc.isoformat() if o.original_start_utc else None,
    }


def _decision_json(d: Decision) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "outcome": d.outcome,
        "reason": d.reason,
        "reason_code": d.reason_code,
        "conditions": d.conditions,
        "options_considered": d.options_considered,
        "officer": d.officer_name,
        "decided_at": d.decided_at.isoformat(),
        "policy_version": d.policy_version,
        "countersigned_by": d.countersigned_by_name,
        "effective": d.effective,
    }


__all__ = [
    "CLOSED_STATUSES",
    "HOLDING_STATUSES",
    "Booking",
    "DecisionInput",
    "Submitted",
    "Workflow",
    "working_days_between",
]
