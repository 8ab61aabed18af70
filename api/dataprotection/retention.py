"""Retention periods from the policy, applied by `venue-hire retention purge [--dry-run]`.

Categories (months from the policy's `[retention]` table of each case's own policy):

* `booking_records`: a case that was not refused, and everything under it (booking, dates,
  holds, history, decisions, matches), goes `booking_records` months after its last date.
* `refusals_and_appeals`: a refused case goes `refusals_and_appeals` months after the last
  decision on it (the refusal, its countersignature or the appeal decision).
* `due_diligence_no_adverse`: on a case with no adverse finding (not refused or cancelled, no
  screening match judged possible or confirmed), the due-diligence detail (the names of the
  people screened, answers to questions, the check details, information exchanged and any
  dates of birth asked of the hirer) is
  removed `due_diligence_no_adverse` months after its last date; the booking record remains.
* `cleared_screening_matches`: a match an officer cleared, and the remembered clearance of that
  pair, go `cleared_screening_matches` months after the clearance.

Register data follows its own retention: a live register's kept answer (`register_answer`)
goes `REGISTER_ANSWER_MONTHS` after it was given (the case keeps what the check said, with the
answer's date); the local register copies are replaced whole by each import. The trustees and
persons with significant control a register named on a case go with the due-diligence detail.

Messages about a case go with it (the outbox's foreign key cascades); messages about no case
(staff account notices), once delivered or dead, go `booking_records` months after they were
written. Organisations left without any case (and without a recorded breach still inside the refusals
period) go with their last case. What remains of a purge is aggregate counts (by category,
status and year of the hire) written to the audit log: no names, no references. A second run
finds nothing more to do.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from advanced_alchemy.types.file_object import FileObject
from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from policies import Retention, bundled_policy
from venues.models import Booking, Occurrence
from vetting.actors import Actor
from vetting.document_files import DocumentStore
from vetting.documents import CaseDocument
from vetting.history import record
from vetting.models import (
    Breach,
    CaseEvent,
    Decision,
    Organisation,
    ScreeningClearance,
    ScreeningMatch,
    VettingCase,
)
from vetting.outbox_models import DEAD, SENT, OutboxMessage
from vetting.registers.models import RegisterAnswer

CATEGORIES = (
    "booking_records",
    "refusals_and_appeals",
    "due_diligence_no_adverse",
    "cleared_screening_matches",
)
DUE_DILIGENCE_DONE = "retention_due_diligence_removed"
REMOVED = "[removed under the retention policy]"
RETENTION_ACTOR = Actor(id=None, name="retention", role="system")
# A kept register answer is a convenience (it spares asking the API again), not a record.
REGISTER_ANSWER_MONTHS = 3


@dataclass
class PurgePlan:
    """What a purge removes: ids per category, with the case references for the listing."""

    delete_cases: dict[str, list[tuple[UUID, str]]] = field(
        default_factory=lambda: {"booking_records": [], "refusals_and_appeals": []}
    )
    strip_cases: list[tuple[UUID, str]] = field(default_factory=list)
    cleared_matches: list[tuple[UUID, str]] = field(default_factory=list)
    clearances: list[UUID] = field(default_factory=list)
    organisations: list[UUID] = field(default_factory=list)
    # Messages about no case (staff account notices), delivered or dead: the case's own go with it.
    messages: list[UUID] = field(default_factory=list)
    # Documents of the cases deleted or stripped of their due diligence: rows and stored files.
    documents: list[tuple[UUID, FileObject]] = field(default_factory=list)
    register_answers: list[int] = field(default_factory=list)
    aggregates: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "booking_records": len(self.delete_cases["booking_records"]),
            "refusals_and_appeals": len(self.delete_cases["refusals_and_appeals"]),
            "due_diligence_no_adverse": len(self.strip_cases),
            "cleared_screening_matches": len(self.cleared_matches) + len(self.clearances),
            "organisations": len(self.organisations),
            "messages": len(self.messages),
            "documents": len(self.documents),
            "register_answers": len(self.register_answers),
        }

    def references(self) -> dict[str, list[str]]:
        return {
            "booking_records": sorted(ref for _, ref in self.delete_cases["booking_records"]),
            "refusals_and_appeals": sorted(ref for _, ref in self.delete_cases["refusals_and_appeals"]),
            "due_diligence_no_adverse": sorted(ref for _, ref in self.strip_cases),
            "cleared_screening_matches": sorted({ref for _, ref in self.cleared_matches}),
        }

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())


def _retention(policy_id: str) -> Retention:
    try:
        return bundled_policy(policy_id).retention
    except (KeyError, FileNotFoundError, ValueError):
        return bundled_policy("council-default").retention


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def plan_purge(session: AsyncSession, *, now: dt.datetime | None = None) -> PurgePlan:
    now = now or dt.datetime.now(dt.UTC)
    plan = PurgePlan()
    last_dates: dict[UUID, dt.datetime] = {
        row[0]: row[1]
        for row in await session.execute(
            select(Booking.case_id, func.max(Occurrence.end_utc))
            .join(Occurrence, Occurrence.booking_id == Booking.id)
            .group_by(Booking.case_id)
        )
    }
    last_decided: dict[UUID, dt.datetime] = {
        row[0]: row[1]
        for row in await session.execute(
            select(
                Decision.case_id, func.max(func.coalesce(Decision.countersigned_at, Decision.decided_at))
            ).group_by(Decision.case_id)
        )
    }
    adverse_cases = set(
        (
            await session.execute(
                select(ScreeningMatch.case_id).where(
                    ScreeningMatch.disposition.in_(("possible", "confirmed"))
                )
            )
        ).scalars()
    )
    stripped = set(
        (
            await session.execute(select(CaseEvent.case_id).where(CaseEvent.action == DUE_DILIGENCE_DONE))
        ).scalars()
    )
    deleted: set[UUID] = set()
    by_status: Counter[str] = Counter()
    by_year: Counter[str] = Counter()
    rows = (
        await session.execute(
            select(
                VettingCase.id,
                VettingCase.reference,
                VettingCase.status,
                VettingCase.policy_id,
                VettingCase.first_start,
            )
        )
    ).all()
    for case_id, reference, status, policy_id, first_start in rows:
        retention = _retention(policy_id)
        hire_end = _aware(last_dates.get(case_id) or first_start)
        if status == "refused":
            since = _aware(last_decided.get(case_id) or hire_end)
            if since + relativedelta(months=retention.refusals_and_appeals) <= now:
                plan.delete_cases["refusals_and_appeals"].append((case_id, reference))
                deleted.add(case_id)
        elif hire_end + relativedelta(months=retention.booking_records) <= now:
            plan.delete_cases["booking_records"].append((case_id, reference))
            deleted.add(case_id)
        if case_id in deleted:
            by_status[status] += 1
            by_year[str(hire_end.year)] += 1
            continue
        no_adverse = status not in ("refused", "cancelled") and case_id not in adverse_cases
        if (
            no_adverse
            and case_id not in stripped
            and hire_end + relativedelta(months=retention.due_diligence_no_adverse) <= now
        ):
            plan.strip_cases.append((case_id, reference))
    references = {case_id: reference for case_id, reference, *_ in rows}
    cleared = (
        await session.execute(
            select(
                ScreeningMatch.id, ScreeningMatch.case_id, ScreeningMatch.disposed_at, VettingCase.policy_id
            )
            .join(VettingCase, VettingCase.id == ScreeningMatch.case_id)
            .where(ScreeningMatch.disposition == "cleared")
        )
    ).all()
    for match_id, case_id, disposed_at, policy_id in cleared:
        if case_id in deleted or disposed_at is None:
            continue
        months = _retention(policy_id).cleared_screening_matches
        if _aware(disposed_at) + relativedelta(months=months) <= now:
            plan.cleared_matches.append((match_id, references[case_id]))
    clearance_months = _retention("council-default").cleared_screening_matches
    plan.clearances = list(
        (
            await session.execute(
                select(ScreeningClearance.id).where(
                    ScreeningClearance.created_at <= now - relativedelta(months=clearance_months)
                )
            )
        ).scalars()
    )
    plan.organisations = await _orphaned_organisations(session, deleted, now)
    message_cutoff = now - relativedelta(months=_retention("council-default").booking_records)
    plan.messages = list(
        (
            await session.execute(
                select(OutboxMessage.id).where(
                    OutboxMessage.case_id.is_(None),
                    OutboxMessage.status.in_((SENT, DEAD)),
                    OutboxMessage.created_at <= message_cutoff,
                )
            )
        ).scalars()
    )
    plan.documents = await _documents_of(session, deleted | {case_id for case_id, _ in plan.strip_cases})
    answer_cutoff = now - relativedelta(months=REGISTER_ANSWER_MONTHS)
    plan.register_answers = list(
        (
            await session.execute(
                select(RegisterAnswer.id).where(RegisterAnswer.answered_at <= answer_cutoff)
            )
        ).scalars()
    )
    plan.aggregates = {
        "deleted_cases_by_status": dict(sorted(by_status.items())),
        "deleted_cases_by_hire_year": dict(sorted(by_year.items())),
    }
    return plan


async def _orphaned_organisations(session: AsyncSession, deleted: set[UUID], now: dt.datetime) -> list[UUID]:
    # An organisation stays while a remaining case is filed under it or is linked to it as a
    # possible match (the officer still has to compare the two).
    remaining = Counter(
        org_id
        for case_id, filed, linked in (
            await session.execute(
                select(VettingCase.id, VettingCase.organisation_id, VettingCase.linked_organisation_id)
            )
        ).all()
        if case_id not in deleted
        for org_id in (filed, linked)
        if org_id is not None
    )
    breach_cutoff = (now - relativedelta(months=_retention("council-default").refusals_and_appeals)).date()
    recent_breach = set(
        (
            await session.execute(select(Breach.organisation_id).where(Breach.occurred_on > breach_cutoff))
        ).scalars()
    )
    organisations = (await session.execute(select(Organisation.id))).scalars()
    return [o for o in organisations if remaining[o] == 0 and o not in recent_breach]


async def _documents_of(session: AsyncSession, case_ids: set[UUID]) -> list[tuple[UUID, FileObject]]:
    found: list[tuple[UUID, FileObject]] = []
    for chunk in _chunks(sorted(case_ids)):
        rows = await session.execute(
            select(CaseDocument.id, CaseDocument.file).where(CaseDocument.case_id.in_(chunk))
        )
        found.extend((doc_id, file) for doc_id, file in rows.all())
    return found


async def apply_purge(
    session: AsyncSession,
    plan: PurgePlan,
    *,
    now: dt.datetime | None = None,
    store: DocumentStore | None = None,
) -> dict[str, int]:
    """Carry out a plan in the caller's transaction; returns the counts and audits them.

    Documents' files are deleted from `store` once their rows' deletion has gone through (the
    commit follows at once); without a store, the rows go and the files stay (and are counted)."""
    from api.audit import append

    now = now or dt.datetime.now(dt.UTC)
    counts = plan.counts()
    case_ids = [cid for items in plan.delete_cases.values() for cid, _ in items]
    for chunk in _chunks(case_ids):
        # Booking, dates, holds, history, decisions and matches go by ON DELETE CASCADE.
        await session.execute(delete(VettingCase).where(VettingCase.id.in_(chunk)))
    for chunk in _chunks([mid for mid, _ in plan.cleared_matches]):
        await session.execute(delete(ScreeningMatch).where(ScreeningMatch.id.in_(chunk)))
    for chunk in _chunks(plan.clearances):
        await session.execute(delete(ScreeningClearance).where(ScreeningClearance.id.in_(chunk)))
    for case_id, _ in plan.strip_cases:
        case = await session.get(VettingCase, case_id)
        if case is None:
            continue
        _strip_due_diligence(case)
        await session.flush()
        await record(session, case, RETENTION_ACTOR, DUE_DILIGENCE_DONE, {})
    for chunk in _chunks(plan.organisations):
        await session.execute(delete(Organisation).where(Organisation.id.in_(chunk)))
    for chunk in _chunks(plan.messages):
        await session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(chunk)))
    for chunk in _chunks([doc_id for doc_id, _ in plan.documents]):
        await session.execute(delete(CaseDocument).where(CaseDocument.id.in_(chunk)))
    for start in range(0, len(plan.register_answers), 500):
        chosen = plan.register_answers[start : start + 500]
        await session.execute(delete(RegisterAnswer).where(RegisterAnswer.id.in_(chosen)))
    await session.flush()
    if store is not None:
        for _, file in plan.documents:
            await store.delete(file)
    session.expire_all()
    await append(
        session,
        actor="system:retention",
        action="purge",
        object_type="retention",
        detail={"counts": counts, **plan.aggregates},
        at=now,
    )
    return counts


def _strip_due_diligence(case: VettingCase) -> None:
    case.people = [{"name": REMOVED, "role": p.get("role", "other")} for p in case.people]
    case.register_people = []
    case.answers = {}
    case.checks = [{"check": c.get("check"), "outcome": c.get("outcome")} for c in case.checks]
    if case.information_request:
        case.information_request = REMOVED
    if case.information_response:
        case.information_response = REMOVED
    # Dates of birth asked of the hirer are due-diligence detail: gone, not blanked.
    case.birth_dates = None


def _chunks(items: list[UUID], size: int = 500) -> list[list[UUID]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
