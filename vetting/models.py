"""Persistence of applicant organisations, cases, screening, decisions and breaches.

The flagged list's tables are in vetting/flagged_models.py, and importable from here too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from advanced_alchemy.base import BigIntBase, UUIDAuditBase
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vetting.flagged_models import FlaggedEntry as FlaggedEntry
from vetting.flagged_models import FlaggedListVersion as FlaggedListVersion
from vetting.tenancy import Scope, owned_through, plain, scoped_by


class Organisation(UUIDAuditBase):
    """An applicant group; kept across applications for history and clearance reuse."""

    __tablename__ = "organisation"
    # Booking requests find their organisation by charity number, company number or lower(name)
    # within their scope's councils (migrations b7d2e91c4f10 and d22org0001; expression indexes,
    # which autogenerate neither renders nor compares); subject access by lower(name) alone.
    __table_args__ = (
        Index("ix_organisation_name_lower", text("lower(name)")),
        Index("ix_organisation_provider_name_lower", "provider_id", text("lower(name)")),
        Index("ix_organisation_provider_charity_number", "provider_id", "charity_number"),
        Index("ix_organisation_provider_company_number", "provider_id", "company_number"),
    )

    # Each council or partner keeps its own record of a group: clearance and history are not
    # shared between them except through a sharing agreement (vetting/providers.py).
    provider_id: Mapped[UUID] = mapped_column(GUID, nullable=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(40))
    charity_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    company_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)
    website: Mapped[str | None] = mapped_column(String(300), nullable=True)
    last_cleared_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class VettingCase(UUIDAuditBase):
    """One booking request as a case: what was asked, what was checked, where it stands."""

    __tablename__ = "vetting_case"
    # Subject access finds cases under every organisation name they were submitted with
    # (migration e13c0a5e0005; an expression index, which autogenerate does not compare).
    # The reports (migration c17e0000000a): a period's requests of one organisation, read from the
    # index; and the organisation and day of a case found from its id without reading its row
    # (casework/report_scope.py joins every report statement to its case).
    __table_args__ = (
        Index("ix_vetting_case_organisation_name_lower", text("lower(organisation_name)")),
        Index("ix_vetting_case_provider_created", "provider_id", "created_at", "status"),
        Index("ix_vetting_case_id_provider_created", "id", "provider_id", "created_at"),
        # The officer's queue tabs (casework/queue_tabs.py, migration d18a00000001): an
        # organisation's cases by status, due date and who has them, counted from the index; an
        # officer's own cases by status; the API's queue of one status by first date.
        Index("ix_vetting_case_queue", "provider_id", "status", "target_date", "assigned_to_id"),
        Index("ix_vetting_case_assigned_status", "assigned_to_id", "status"),
        Index("ix_vetting_case_status_start", "provider_id", "status", "first_start"),  # d22queue0001
        # The reports' time to decision (migration d19a00000001): an organisation's cases first
        # decided in a period, with their working days, read from the index alone.
        Index("ix_vetting_case_first_decision", "provider_id", "first_decision_at", "decision_working_days"),
        # The queue's "All requests" tab (migration d20r00000001): an organisation's cases put in
        # the queue's order (decide-by date, tier, first date) from the index, not their rows.
        Index(
            "ix_vetting_case_queue_order",
            "provider_id",
            "target_date",
            "policy_id",
            "tier",
            "first_start",
            "reference",
            "id",
        ),
    )

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    # The council or partner that owns the venue: whose officers decide, whose policy applies.
    # Set by submission, never empty; no foreign key in the database (nor on the other provider_id
    # columns of tables that existed before providers): adding one on SQLite rebuilds the table,
    # and dropping the old copy would cascade-delete its children.
    provider_id: Mapped[UUID] = mapped_column(GUID, nullable=True, index=True)
    organisation_id: Mapped[UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    # Never loaded (lazy="raise"): there so that one flush inserts an organisation before its
    # case. Code sets organisation_id.
    organisation: Mapped[Organisation] = relationship(lazy="raise", foreign_keys=[organisation_id])
    # The organisation exactly as this request gave it (design.md principle 6): what is screened,
    # shown to officers and the hirer, and put in feeds. The organisation row above is the record
    # the case is filed under; a later request never changes this snapshot.
    organisation_name: Mapped[str] = mapped_column(String(300))
    organisation_submitted: Mapped[dict[str, Any]] = mapped_column(JsonB)
    # A known organisation this request resembles (same charity or company number, or name):
    # "new" (none found), "possible" (an officer has to confirm or reject), "confirmed",
    # "rejected", "verified" (a register look-up agreed). Clearance from earlier cases is reused
    # only once confirmed or verified.
    organisation_link: Mapped[str] = mapped_column(String(20), default="new")
    organisation_link_basis: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # No foreign key: adding one on SQLite rebuilds vetting_case, whose rows other tables cascade
    # from. Code that deletes an organisation clears this first (retention, link resolution).
    linked_organisation_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    contact: Mapped[dict[str, Any]] = mapped_column(JsonB)
    people: Mapped[list[dict[str, Any]]] = mapped_column(JsonB)
    # Trustees and persons with significant control the registers named at submission, as
    # [kind, role, name, where from], screened with the hirer's names (again after a list change).
    register_people: Mapped[list[Any]] = mapped_column(JsonB, default=list)
    event: Mapped[dict[str, Any]] = mapped_column(JsonB)
    declarations: Mapped[list[str]] = mapped_column(JsonB)
    answers: Mapped[dict[str, Any]] = mapped_column(JsonB)
    policy_id: Mapped[str] = mapped_column(String(80))
    policy_version: Mapped[str] = mapped_column(String(40))
    # The language the request was made in ("en", "cy"; migration d20p00000001): the hirer read
    # the policy's texts of `policy_version` in it, and is written to in it. Staff read English.
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    tier: Mapped[str | None] = mapped_column(String(40), nullable=True)
    target_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    first_start: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    applicant_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True, nullable=True)
    information_request: Mapped[str | None] = mapped_column(Text, nullable=True)
    information_response: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Dates of birth an officer asked the hirer for, one item per person named on this request
    # (casework/birth_dates.py): asked only about a person with a screening match, removed with the
    # due-diligence detail, exported on a subject access request.
    birth_dates: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonB, nullable=True)
    # Raised on every state change so concurrent deciders can detect they lost the race.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # The officer working the case (casework/assignment.py); who assigned it, and when, is kept in
    # the case's history. No foreign key: staff users belong to the api package, and a departed
    # officer's name stays readable on the cases they had.
    assigned_to_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    assigned_to_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    # When the case's first approval or refusal took effect, and the working days from the request
    # to that day: stamped once when it happens (casework/decision_effect.py) for the reports.
    first_decision_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    decision_working_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # What the request asked of the venue's rate card (migration d19c00000001): the extras chosen
    # ({"extras": [...]}) and the concession claimed, which an officer verifies as a check.
    charges: Mapped[dict[str, Any] | None] = mapped_column(JsonB, nullable=True)


class CaseEvent(BigIntBase):
    """Append-only history of a case: state changes, check results, dispositions, decisions."""

    __tablename__ = "case_event"
    # The reports count one action's rows in a period from this index alone (migration d22event0001).
    __table_args__ = (Index("ix_case_event_action_at", "action", "at", "case_id"),)

    case_id: Mapped[UUID] = mapped_column(ForeignKey("vetting_case.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    actor_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    policy_id: Mapped[str] = mapped_column(String(80))
    policy_version: Mapped[str] = mapped_column(String(40))


class Decision(UUIDAuditBase):
    """An officer's decision on a case (or on its appeal, or a cancellation)."""

    __tablename__ = "decision"
    # The reports' time to decision reads each case's decisions from this index alone (migration
    # c17e0000000a): every column it needs, in case order, so it groups without sorting.
    __table_args__ = (
        Index(
            "ix_decision_case_effect",
            "case_id",
            "kind",
            "outcome",
            "decided_at",
            "countersigned_at",
            "effective",
            "id",
        ),
        # The queue's refusals waiting for a countersignature and pending appeals (migration
        # d18a00000001): the few such decisions found by kind and outcome, not by scanning.
        Index(
            "ix_decision_queue", "kind", "outcome", "countersigned_at", "effective", "case_id", "officer_id"
        ),
        # The reports' decisions by outcome and ground (migration d19a00000001): the period's
        # decisions as a range of this index, every column the count needs in it.
        Index(
            "ix_decision_effect_state",
            "effect_at",
            "report_state",
            "reason_code",
            "policy_id",
            "policy_version",
            "case_id",
        ),
        # The same for one organisation's decisions (migration d20r00000001): a range of this
        # index, with no decision looked up against its case.
        Index(
            "ix_decision_provider_effect",
            "provider_id",
            "effect_at",
            "report_state",
            "reason_code",
            "policy_id",
            "policy_version",
            "case_id",
        ),
    )

    case_id: Mapped[UUID] = mapped_column(ForeignKey("vetting_case.id", ondelete="CASCADE"), index=True)
    # The case's organisation, copied when the decision is written (a case never changes
    # organisation), so the reports keep decisions to one organisation without joining each to its
    # case. Filled by `_provider_of_case` below when the code that adds it does not say; nullable
    # only because SQLite cannot add a NOT NULL column to a table without rebuilding it.
    provider_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    kind: Mapped[str] = mapped_column(String(20), default="decision")  # decision, appeal, cancellation
    outcome: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    reason_code: Mapped[str | None] = mapped_column(String(60), nullable=True)
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    options_considered: Mapped[str | None] = mapped_column(Text, nullable=True)
    officer_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    officer_name: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    policy_id: Mapped[str] = mapped_column(String(80))
    policy_version: Mapped[str] = mapped_column(String(40))
    countersigned_by_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    countersigned_by_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    countersigned_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    effective: Mapped[bool] = mapped_column(Boolean, default=True)
    # When it counts in the reports and as what (casework/decision_effect.py): stamped when made
    # and again when a refusal is countersigned or declined; None for appeals and requests for
    # more information, which the decision tables do not count.
    effect_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    report_state: Mapped[str | None] = mapped_column(String(40), nullable=True)


@event.listens_for(Decision, "before_insert")
def _provider_of_case(_mapper: Any, connection: Any, target: Decision) -> None:
    """A decision added without its organisation gets its case's (the case is there: the
    decision refers to it), in the same transaction."""
    if target.provider_id is None:
        case = select(VettingCase.provider_id).where(VettingCase.id == target.case_id)
        target.provider_id = connection.scalar(case)


class ScreeningMatch(UUIDAuditBase):
    """A possible match between a name on a case and a flagged entry, and the officer's disposition."""

    __tablename__ = "screening_match"
    __table_args__ = (
        Index("ix_screening_match_case_entry", "case_id", "entry_id"),
        # The queue's "referrals to resolve" (migration d18a00000001): the open matches' cases.
        Index("ix_screening_match_open", "disposition", "case_id"),
    )

    case_id: Mapped[UUID] = mapped_column(ForeignKey("vetting_case.id", ondelete="CASCADE"), index=True)
    case: Mapped[VettingCase] = relationship(lazy="raise")  # flush order only, as above
    subject_kind: Mapped[str] = mapped_column(String(20))  # organisation or person
    subject_role: Mapped[str] = mapped_column(String(40))
    query_name: Mapped[str] = mapped_column(String(300))
    entry_id: Mapped[UUID] = mapped_column(ForeignKey("flagged_entry.id", ondelete="RESTRICT"))
    entry_hash: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    matched_name: Mapped[str] = mapped_column(String(300))
    explanation: Mapped[str] = mapped_column(Text)
    list_version: Mapped[int] = mapped_column(Integer)
    disposition: Mapped[str] = mapped_column(String(20), default="open")  # open, cleared, possible, confirmed
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    disposed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    disposed_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class ScreeningClearance(UUIDAuditBase):
    """Memory of "not the same": the pair is not referred again until the entry or the name changes."""

    __tablename__ = "screening_clearance"
    __table_args__ = (
        UniqueConstraint(
            "provider_id", "name_key", "entry_id", "entry_hash", name="uq_screening_clearance_pair"
        ),
    )

    # Whose officer decided it: one council's "not the same" is not another's.
    provider_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    name_key: Mapped[str] = mapped_column(String(300))
    entry_id: Mapped[UUID] = mapped_column(ForeignKey("flagged_entry.id", ondelete="CASCADE"))
    entry_hash: Mapped[str] = mapped_column(String(64))
    cleared_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class Breach(UUIDAuditBase):
    """An objective breach of the conditions of hire that an officer recorded against an organisation."""

    __tablename__ = "breach"

    organisation_id: Mapped[UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = mapped_column(String(200))


class PolicySnapshot(UUIDAuditBase):
    """The exact text of each policy version a case was checked against, so old versions stay readable."""

    __tablename__ = "policy_snapshot"
    __table_args__ = (UniqueConstraint("policy_id", "version", name="uq_policy_snapshot_version"),)

    policy_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))


def of_scoped_case(case_id: Any, s: Scope) -> Any:
    """Rows whose case (``case_id``, a column of theirs) belongs to the scope (tenancy.owned_through)."""
    case = plain(VettingCase).alias("scope_case")
    return owned_through(case_id, case.c.id, case.c.provider_id, s)


scoped_by(Organisation, lambda s: Organisation.provider_id.in_(s.ids))
scoped_by(VettingCase, lambda s: VettingCase.provider_id.in_(s.ids))
scoped_by(CaseEvent, lambda s: of_scoped_case(CaseEvent.case_id, s))
scoped_by(Decision, lambda s: of_scoped_case(Decision.case_id, s))
scoped_by(ScreeningClearance, lambda s: ScreeningClearance.provider_id.in_(s.ids))
scoped_by(ScreeningMatch, lambda s: of_scoped_case(ScreeningMatch.case_id, s))
_organisation = plain(Organisation)
scoped_by(
    Breach,
    lambda s: Breach.organisation_id.in_(
        select(_organisation.c.id).where(_organisation.c.provider_id.in_(s.ids))
    ),
)
