"""The officer's work queues as tabs (issue 17): what needs them, each tab one statement.

Tabs (`TABS`): new (being reviewed, nobody has it), assigned to me, awaiting information,
referrals to resolve (open screening matches), awaiting my countersignature (a refusal proposed by
another officer), appeals I may decide (a pending appeal on a case in whose decisions I took no
part: the rule of casework/appeals.py::decide_appeal), decisions due soon or overdue (the case's
decide-by date within `DUE_SOON_WORKING_DAYS` working days, or past), and every case.

Each tab is a condition on the case row (EXISTS subqueries for decisions and matches), so the
counts of every tab are one statement and a tab's rows another (the room, venue and open
referrals of each row in the same statement): the number of statements never grows with the
number of cases. The caller's session is scoped to its organisation (vetting/tenancy.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, exists, func, not_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from casework.report_scope import ReportScope
from policies import bundled_policy
from policies.loader import bundled_policy_ids
from venues.models import Booking, Room, Venue
from vetting.case_screening import OPEN
from vetting.lifecycle import NEEDS_ACTION_STATUSES, OPEN_STATUSES, AppealOutcome, CaseStatus, Outcome
from vetting.models import Decision, ScreeningMatch, VettingCase
from vetting.tenancy import ALL_PROVIDERS
from vetting.workdays import add_working_days

DUE_SOON_WORKING_DAYS = 3
"""A decision is "due soon" when its decide-by date is at most this many working days away."""

TABS: dict[str, str] = {
    "new": "New",
    "mine": "Assigned to me",
    "information": "Awaiting information",
    "referrals": "Referrals to resolve",
    "countersign": "Awaiting my countersignature",
    "appeals": "Appeals I may decide",
    "due": "Due soon or overdue",
    "all": "All requests",
}
SORTS = {"due": "Decide-by date, then highest tier", "tier": "Highest tier, then decide-by date",
         "start": "First date, then highest tier"}  # fmt: skip
UNASSIGNED = "none"
QueueTab = Literal["new", "mine", "information", "referrals", "countersign", "appeals", "due", "all"]
QueueSort = Literal["due", "tier", "start"]
LONDON = ZoneInfo("Europe/London")


def london_today(now: dt.datetime | None = None) -> dt.date:
    """The date in England: what "due" and "overdue" are counted from."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(LONDON).date()


def assignee_filter(value: str | None) -> UUID | str | None:
    """The "assigned to" filter from a query string: an officer's id, "none", or anything (None)."""
    if not value:
        return None
    if value == UNASSIGNED:
        return UNASSIGNED
    try:
        return UUID(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class QueueFilters:
    venue_id: UUID | None = None
    statuses: tuple[str, ...] | None = None  # None: any status the tab holds
    tier: str | None = None
    # An officer's id, UNASSIGNED for cases nobody has, or None for any.
    assigned_to: UUID | str | None = None


@dataclass(frozen=True)
class CaseLine:
    """What a queue shows of a case: read as columns, not as the whole case (its JSON documents)."""

    id: UUID
    reference: str
    status: str
    tier: str | None
    organisation_name: str
    organisation_link: str
    title: str | None
    first_start: dt.datetime
    target_date: dt.date | None
    assigned_to_id: UUID | None
    assigned_to_name: str | None


LINE_COLUMNS = (
    VettingCase.id,
    VettingCase.reference,
    VettingCase.status,
    VettingCase.tier,
    VettingCase.organisation_name,
    VettingCase.organisation_link,
    VettingCase.event["title"].as_string(),
    VettingCase.first_start,
    VettingCase.target_date,
    VettingCase.assigned_to_id,
    VettingCase.assigned_to_name,
)


@dataclass(frozen=True)
class TabRow:
    case: CaseLine
    room_name: str
    venue_name: str
    venue_id: UUID
    open_referrals: int
    overdue: bool


@dataclass
class TabPage:
    tab: str
    counts: dict[str, int]
    rows: list[TabRow] = field(default_factory=list)


def _pending_refusal_by_other(me: UUID | None) -> ColumnElement[bool]:
    """A refusal proposed by someone else waits for a countersignature (decision_records.py's
    `pending_refusal`). Uncorrelated: the few such decisions are found once, from their index."""
    proposer: ColumnElement[bool] = Decision.officer_id.is_(None)
    if me is not None:
        proposer = or_(proposer, Decision.officer_id != me)
    return VettingCase.id.in_(
        select(Decision.case_id).where(
            Decision.kind == "decision",
            Decision.outcome == Outcome.REFUSE.value,
            Decision.countersigned_at.is_(None),
            Decision.effective.is_(False),
            proposer,
        )
    )


def _appeal_i_may_decide(me: UUID | None) -> ColumnElement[bool]:
    """A pending appeal on a case in whose decisions `me` took no part, as proposer or
    countersigner (the rule of appeals.py's `decide_appeal`)."""
    pending = VettingCase.id.in_(
        select(Decision.case_id).where(
            Decision.kind == "appeal", Decision.outcome == AppealOutcome.PENDING.value
        )
    )
    if me is None:
        return pending
    took_part = exists().where(
        Decision.case_id == VettingCase.id,
        Decision.kind == "decision",
        or_(Decision.officer_id == me, Decision.countersigned_by_id == me),
    )
    return and_(pending, not_(took_part))


def tab_condition(tab: str, me: UUID | None, today: dt.date) -> ColumnElement[bool]:
    """Which cases a tab holds, for officer `me` on `today`."""
    open_ = VettingCase.status.in_(OPEN_STATUSES)
    if tab == "new":
        return and_(VettingCase.status == CaseStatus.UNDER_REVIEW.value, VettingCase.assigned_to_id.is_(None))
    if tab == "mine":
        mine = VettingCase.assigned_to_id == me if me is not None else VettingCase.assigned_to_id.is_(None)
        return and_(mine, VettingCase.status.in_(NEEDS_ACTION_STATUSES))
    if tab == "information":
        return VettingCase.status == CaseStatus.AWAITING_INFORMATION.value
    if tab == "referrals":
        referral = select(ScreeningMatch.case_id).where(ScreeningMatch.disposition == OPEN)
        return and_(open_, VettingCase.id.in_(referral))
    if tab == "countersign":
        return and_(open_, _pending_refusal_by_other(me))
    if tab == "appeals":
        return and_(VettingCase.status == CaseStatus.REFUSED.value, _appeal_i_may_decide(me))
    if tab == "due":
        soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
        return and_(open_, VettingCase.target_date.is_not(None), VettingCase.target_date <= soon)
    if tab == "all":
        # No condition (not "id IS NOT NULL", which led SQLite to count every organisation's
        # cases through the id index rather than this one's through its own).
        return true()
    raise KeyError(tab)


def _filtered(filters: QueueFilters) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if filters.statuses is not None:
        out.append(VettingCase.status.in_(filters.statuses))
    if filters.tier:
        out.append(VettingCase.tier == filters.tier)
    if filters.assigned_to == UNASSIGNED:
        out.append(VettingCase.assigned_to_id.is_(None))
    elif isinstance(filters.assigned_to, UUID):
        out.append(VettingCase.assigned_to_id == filters.assigned_to)
    if filters.venue_id is not None:
        out.append(
            VettingCase.id.in_(
                select(Booking.case_id)
                .join(Room, Room.id == Booking.room_id)
                .where(Room.venue_id == filters.venue_id)
            )
        )
    return out


@lru_cache(maxsize=1)
def _tier_ranks() -> tuple[tuple[str, str, int], ...]:
    """(policy, tier, rank) for every bundled policy: 0 for a policy's highest tier."""
    out = []
    for policy_id in bundled_policy_ids():
        tiers = [t.id for t in bundled_policy(policy_id).tiers]
        out += [(policy_id, tier, len(tiers) - 1 - i) for i, tier in enumerate(tiers)]
    return tuple(out)


def tier_order() -> ColumnElement[int]:
    """The highest tier of the case's policy first; tiers no bundled policy knows come last."""
    ranks = _tier_ranks()
    whens = [(and_(VettingCase.policy_id == p, VettingCase.tier == t), r) for p, t, r in ranks]
    return case(*whens, else_=max((r for *_, r in ranks), default=0) + 1)


def _order(sort: str) -> list[Any]:
    due: list[Any] = [VettingCase.target_date.is_(None), VettingCase.target_date]
    if sort == "tier":
        return [tier_order(), *due, VettingCase.first_start, VettingCase.reference]
    if sort == "start":
        return [VettingCase.first_start, tier_order(), VettingCase.reference]
    return [*due, tier_order(), VettingCase.first_start, VettingCase.reference]


async def tab_counts(
    session: AsyncSession, me: UUID | None, today: dt.date, filters: QueueFilters = QueueFilters()
) -> dict[str, int]:
    """How many cases each tab holds, in one statement: a count per tab as its own subquery, so
    each is planned on its own index rather than every case tested against every tab."""
    scope = ReportScope.of(session)
    columns = [
        scope.by_case(
            select(func.count())
            .select_from(VettingCase)
            .where(tab_condition(t, me, today), *_filtered(filters))
        ).statement.scalar_subquery()
        for t in TABS
    ]
    values = (await session.execute(select(*columns).execution_options(**{ALL_PROVIDERS: True}))).one()
    return {t: int(v) for t, v in zip(TABS, values, strict=True)}


async def tab_rows(
    session: AsyncSession,
    tab: str,
    me: UUID | None,
    today: dt.date,
    filters: QueueFilters = QueueFilters(),
    *,
    sort: str = "due",
    limit: int = 100,
) -> list[TabRow]:
    """One tab's cases, with room, venue and open referrals, in one statement.

    The tab's page of case ids is chosen first (from the case rows alone), and only those are
    joined to their room and venue and have their referrals counted: a tab of thousands of cases
    costs a sort of their ids, not thousands of joins."""
    scope = ReportScope.of(session)
    chosen = (
        scope.by_case(select(VettingCase.id).where(tab_condition(tab, me, today), *_filtered(filters)))
        .statement.order_by(*_order(sort))
        .limit(limit)
        .subquery("chosen")
    )
    referrals = (
        select(func.count())
        .where(ScreeningMatch.case_id == VettingCase.id, ScreeningMatch.disposition == OPEN)
        .correlate(VettingCase)
        .scalar_subquery()
    )
    query = (
        select(*LINE_COLUMNS, Room.name, Venue.name, Venue.id, referrals)
        .join(chosen, chosen.c.id == VettingCase.id)
        .join(Booking, Booking.case_id == VettingCase.id)
        .join(Room, Room.id == Booking.room_id)
        .join(Venue, Venue.id == Room.venue_id)
        .order_by(*_order(sort))
    )
    rows = (await scope.run(session, scope.by_case(query))).tuples().all()
    width = len(LINE_COLUMNS)
    out = []
    for row in rows:
        line = CaseLine(*row[:width])
        room, venue, venue_id, open_referrals = row[width:]
        overdue = line.status in OPEN_STATUSES and line.target_date is not None and line.target_date < today
        out.append(TabRow(line, room, venue, venue_id, int(open_referrals or 0), overdue))
    return out


async def queue_tab(
    session: AsyncSession,
    tab: str,
    me: UUID | None,
    today: dt.date,
    filters: QueueFilters = QueueFilters(),
    *,
    sort: str = "due",
    limit: int = 100,
) -> TabPage:
    """The counts of every tab and the rows of one: two statements whatever the number of cases."""
    if tab not in TABS:
        tab = "new"
    counts = await tab_counts(session, me, today, filters)
    return TabPage(tab, counts, await tab_rows(session, tab, me, today, filters, sort=sort, limit=limit))


def statuses_of(values: Sequence[str]) -> tuple[str, ...]:
    known = {s.value for s in CaseStatus}
    return tuple(v for v in values if v in known)
