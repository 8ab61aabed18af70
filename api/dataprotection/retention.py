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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from advanced_alchemy.types.file_object import FileObject
from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.dataprotection.retention_due import candidate_cases, cases_filed_under, loosest_cutoff
from policies import Retention, bundled_policy
from vetting.actors import Actor
from vetting.document_files import DocumentStore
from vetting.documents import CaseDocument
from vetting.history import record
from vetting.models import (
    Breach,
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
T = TypeVar("T")


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
    """What is past its period at `now`. The database picks the rows that may be due
    (api/dataprotection/retention_due.py); each is judged here by its own policy's periods."""
    now = now or dt.datetime.now(dt.UTC)
    plan = PurgePlan()
    rows = await candidate_cases(
        session,
        delete_cutoff=loosest_cutoff(now, lambda r: r.booking_records, _retention),
        refusal_cutoff=loosest_cutoff(now, lambda r: r.refusals_and_appeals, _retention),
        strip_cutoff=loosest_cutoff(now, lambda r: r.due_diligence_no_adverse, _retention),
        strip_action=DUE_DILIGENCE_DONE,
    )
    deleted: set[UUID] = set()
    touched_organisations: set[UUID] = set()
    by_status: Counter[str] = Counter()
    by_year: Counter[str] = Counter()
    for (
        case_id, reference, status, policy_id, first_start, last_end, last_decided,
        is_adverse, is_stripped, organisation_id, linked_id,
    ) in rows:  # fmt: skip
        retention = _retention(policy_id)
        hire_end = _aware(last_end or first_start)
        if status == "refused":
            since = _aware(last_decided or hire_end)
            if since + relativedelta(months=retention.refusals_and_appeals) <= now:
                plan.delete_cases["refusals_and_appeals"].append((case_id, reference))
                deleted.add(case_id)
        elif hire_end + relativedelta(months=retention.booking_records) <= now:
            plan.delete_cases["booking_records"].append((case_id, reference))
            deleted.add(case_id)
        if case_id in deleted:
            by_status[status] += 1
            by_year[str(hire_end.year)] += 1
            touched_organisations.update(o for o in (organisation_id, linked_id) if o is not None)
            continue
        no_adverse = status not in ("refused", "cancelled") and not is_adverse
        if (
            no_adverse
            and not is_stripped
            and hire_end + relativedelta(months=retention.due_diligence_no_adverse) <= now
        ):
            plan.strip_cases.append((case_id, reference))
    cleared = (
        await session.execute(
            select(
                ScreeningMatch.id,
                ScreeningMatch.case_id,
                ScreeningMatch.disposed_at,
                VettingCase.policy_id,
                VettingCase.reference,
            )
            .join(VettingCase, VettingCase.id == ScreeningMatch.case_id)
            .where(
                ScreeningMatch.disposition == "cleared",
                ScreeningMatch.disposed_at
                <= loosest_cutoff(now, lambda r: r.cleared_screening_matches, _retention),
            )
        )
    ).all()
    for match_id, case_id, disposed_at, policy_id, reference in cleared:
        if case_id in deleted or disposed_at is None:
            continue
        months = _retention(policy_id).cleared_screening_matches
        if _aware(disposed_at) + relativedelta(months=months) <= now:
            plan.cleared_matches.append((match_id, reference))
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
    plan.organisations = await _orphaned_organisations(session, deleted, touched_organisations, now)
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


async def _orphaned_organisations(
    session: AsyncSession, deleted: set[UUID], touched: set[UUID], now: dt.datetime
) -> list[UUID]:
    # An organisation stays while a remaining case is filed under it or is linked to it as a
    # possible match (the officer still has to compare the two). Only two kinds can be left
    # without one: those the deleted cases name, and those no case names at all.
    remaining = Counter(
        org_id
        for case_id, filed, linked in await cases_filed_under(session, list(touched))
        if case_id not in deleted
        for org_id in (filed, linked)
        if org_id is not None
    )
    # NOT IN a list the database builds once (a hashed subplan on PostgreSQL, an ephemeral index
    # on SQLite): NOT EXISTS probed per organisation took SQLite 19.5 s for 9,000 organisations.
    unnamed = (
        await session.execute(
            select(Organisation.id).where(
                Organisation.id.not_in(select(VettingCase.organisation_id)),
                Organisation.id.not_in(
                    select(VettingCase.linked_organisation_id).where(
                        VettingCase.linked_organisation_id.is_not(None)
                    )
                ),
            )
        )
    ).scalars()
    breach_cutoff = (now - relativedelta(months=_retention("council-default").refusals_and_appeals)).date()
    recent_breach = set(
        (
            await session.execute(select(Breach.organisation_id).where(Breach.occurred_on > breach_cutoff))
        ).scalars()
    )
    # Not sorted: the ids read from asyncpg compare with uuid.UUID slowly (0.4 s for 9,000).
    return [o for o in touched | set(unnamed) if remaining[o] == 0 and o not in recent_breach]


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
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Carry out a plan in the caller's transaction; returns the counts and audits them.

    Rows go in batches of `BATCH` through Core statements; `progress(what, done, total)` is
    told after each batch of cases.

    Documents' files are deleted from `store` once their rows' deletion has gone through (the
    commit follows at once); without a store, the rows go and the files stay (and are counted)."""
    from api.audit import append

    now = now or dt.datetime.now(dt.UTC)
    counts = plan.counts()
    case_ids = [cid for items in plan.delete_cases.values() for cid, _ in items]
    tell = progress or (lambda _what, _done, _total: None)
    for done, chunk in _batches(case_ids):
        # Booking, dates, holds, history, decisions and matches go by ON DELETE CASCADE.
        await session.execute(delete(VettingCase).where(VettingCase.id.in_(chunk)))
        tell("cases deleted", done, len(case_ids))
    for _, chunk in _batches([mid for mid, _ in plan.cleared_matches]):
        await session.execute(delete(ScreeningMatch).where(ScreeningMatch.id.in_(chunk)))
    for _, chunk in _batches(plan.clearances):
        await session.execute(delete(ScreeningClearance).where(ScreeningClearance.id.in_(chunk)))
    strip_ids = [case_id for case_id, _ in plan.strip_cases]
    for done, chunk in _batches(strip_ids):
        # A batch of cases read, changed and written (with their history) in one flush.
        for case in (await session.execute(select(VettingCase).where(VettingCase.id.in_(chunk)))).scalars():
            _strip_due_diligence(case)
            await record(session, case, RETENTION_ACTOR, DUE_DILIGENCE_DONE, {})
        await session.flush()
        tell("due diligence removed", done, len(strip_ids))
    for _, chunk in _batches(plan.organisations):
        await session.execute(delete(Organisation).where(Organisation.id.in_(chunk)))
    for _, chunk in _batches(plan.messages):
        await session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(chunk)))
    for _, chunk in _batches([doc_id for doc_id, _ in plan.documents]):
        await session.execute(delete(CaseDocument).where(CaseDocument.id.in_(chunk)))
    for _, chosen in _batches(plan.register_answers):
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


BATCH = 500


def _chunks(items: list[UUID], size: int = BATCH) -> list[list[UUID]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _batches(items: Sequence[T]) -> Iterator[tuple[int, list[T]]]:
    """Successive slices of BATCH items, each with how many items are done once it is."""
    for start in range(0, len(items), BATCH):
        chunk = list(items[start : start + BATCH])
        yield start + len(chunk), chunk
