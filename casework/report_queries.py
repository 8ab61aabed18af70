"""The reports page's queries: each section one grouped query (room use three), never one per
case, so the page costs the same a dozen statements at 200 cases and at 20,000.

Every statement goes through `Where.scope` (casework/report_scope.py), which joins it to its case
or venue and keeps it to the officer's organisation (the session's automatic criteria are off for
these statements: they cost SQLite a list of the organisation's case ids per statement); `Where`
adds the period and, when one is chosen, the venue. Counts come back raw: casework/reports.py
publishes them, suppressing small ones.

When things count (all local dates, Europe/London):
* a request on the day it was made (the case's `created_at`);
* a decision on the day it took effect: an approval or cancellation when made, a refusal when
  made where no second officer is needed, else when countersigned (or declined);
* time to decision from the request's day to its first decision that took effect;
* a screening referral on the day the match was found; an appeal on the day it was lodged;
* a booked date on its own local day, for its full length, when it holds its room.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import and_, case, false, func, or_, select
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncSession

from casework.report_scope import Narrowed, ReportScope
from casework.report_sql import as_date, hours_between, list_not_empty, local_date, utc_bounds
from venues.models import Booking, Closure, Occurrence, Room, Venue
from vetting.lifecycle import APPEAL_OVERTURNS, Outcome
from vetting.models import CaseEvent, Decision, ScreeningMatch, VettingCase


@dataclass(frozen=True)
class Where:
    """The period (local dates, inclusive), the venue (None: every venue in scope), the engine,
    and whose rows every statement is kept to."""

    start: dt.date
    end: dt.date
    venue_id: UUID | None
    dialect: str
    scope: ReportScope

    async def run(self, session: AsyncSession, narrowed: Narrowed) -> Result[Any]:
        return await self.scope.run(session, narrowed)

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return utc_bounds(self.start, self.end)

    def in_period(self, column: Any) -> Any:
        lo, hi = self.bounds
        return and_(column >= lo, column < hi)

    def of_venue(self, case_id: Any) -> list[Any]:
        """The condition that a case (by its id column) is at the chosen venue, if one is."""
        if self.venue_id is None:
            return []
        at_venue = select(Booking.case_id).join(Room, Room.id == Booking.room_id)
        return [case_id.in_(at_venue.where(Room.venue_id == self.venue_id))]

    def local_date(self, column: Any) -> Any:
        # Two years back: a request made long before the period can be decided in it.
        return local_date(column, self.dialect, self.start - dt.timedelta(days=731), self.end)


@dataclass(frozen=True)
class Appeal:
    case_id: UUID
    outcome: str
    lodged: dt.datetime
    decided: dt.datetime


async def appeals(session: AsyncSession, w: Where) -> list[Appeal]:
    """Every appeal at the venue(s), whenever lodged: few rows, read once, used twice (the appeals
    lodged in the period, and which refusals an appeal overturned)."""
    query = select(Decision.case_id, Decision.outcome, Decision.created_at, Decision.decided_at).where(
        Decision.kind == "appeal", *w.of_venue(Decision.case_id)
    )
    rows = await w.run(session, w.scope.by_case(query, Decision.case_id))
    return [Appeal(*row) for row in rows.tuples()]


async def overturned_refusals(session: AsyncSession, w: Where, found: list[Appeal]) -> frozenset[UUID]:
    """The refusals that took effect and were then upheld or varied on appeal.

    A case has at most one appeal, and nothing is decided between a refusal taking effect and its
    appeal, so the refusal an appeal overturned is the case's latest refusal made before the
    appeal was decided. Only the few appealed cases are read (by id, in chunks).
    """
    decided = {a.case_id: a.decided for a in found if a.outcome in APPEAL_OVERTURNS}
    ids = sorted(decided)
    latest: dict[UUID, tuple[dt.datetime, UUID]] = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        query = select(Decision.id, Decision.case_id, Decision.decided_at).where(
            Decision.case_id.in_(chunk),
            Decision.kind == "decision",
            Decision.outcome == Outcome.REFUSE.value,
        )
        rows = await w.run(session, w.scope.by_case(query, Decision.case_id))
        for decision_id, case_id, at in rows.tuples():
            if at < decided[case_id] and (case_id not in latest or latest[case_id][0] < at):
                latest[case_id] = (at, decision_id)
    return frozenset(decision_id for _, decision_id in latest.values())


def _is_one_of(column: Any, ids: frozenset[UUID]) -> Any:
    return column.in_(sorted(ids)) if ids else false()


def _effect_time(d: Any) -> Any:
    refusal_signed = (d.outcome == Outcome.REFUSE.value) & d.countersigned_at.is_not(None)
    return case((refusal_signed, d.countersigned_at), else_=d.decided_at)


async def requests_by_day(session: AsyncSession, w: Where) -> list[tuple[dt.date, str, int]]:
    inner = select(
        w.local_date(VettingCase.created_at).label("day"), VettingCase.status.label("status")
    ).where(w.in_period(VettingCase.created_at), *w.of_venue(VettingCase.id))
    grouped = w.scope.by_case(inner).around(
        lambda s: select(s.c.day, s.c.status, func.count()).group_by(s.c.day, s.c.status)
    )
    rows = await w.run(session, grouped)
    return [(as_date(day), status, n) for day, status, n in rows.tuples()]


async def decisions_by_state(
    session: AsyncSession, w: Where, overturned: frozenset[UUID]
) -> list[tuple[str, str | None, str, str, int]]:
    """(state, ground, policy id, policy version, count) of the decisions that took effect (or
    were proposed or declined) in the period; state is one of casework.reports.DECISION_STATES."""
    d = Decision
    state = case(
        (d.kind == "cancellation", "cancelled"),
        (
            d.outcome == Outcome.APPROVE.value,
            case((list_not_empty(d.conditions, w.dialect), "approved_with_conditions"), else_="approved"),
        ),
        (d.effective.is_(True), "refused"),
        (_is_one_of(d.id, overturned), "refused"),
        (d.countersigned_at.is_not(None), "refusal_not_countersigned"),
        else_="awaiting_countersignature",
    )
    inner = (
        select(
            state.label("state"),
            d.reason_code.label("ground"),
            d.policy_id.label("policy_id"),
            d.policy_version.label("policy_version"),
            _effect_time(d).label("at"),
        )
        .where(d.kind.in_(("decision", "cancellation")), d.outcome != Outcome.REQUEST_INFORMATION.value)
        # A decision takes effect when made or when countersigned: one made after the period, or
        # made and countersigned (if at all) before it, cannot count. Both columns are in the
        # index ix_decision_case_effect, so rows outside the period are not read.
        .where(
            d.decided_at < w.bounds[1],
            or_(d.decided_at >= w.bounds[0], d.countersigned_at >= w.bounds[0]),
            *w.of_venue(d.case_id),
        )
    )

    def group(s: Any) -> Any:
        keys = (s.c.state, s.c.ground, s.c.policy_id, s.c.policy_version)
        return select(*keys, func.count()).where(w.in_period(s.c.at)).group_by(*keys)

    rows = await w.run(session, w.scope.by_case(inner, d.case_id).around(group))
    return [(s, g, p, v, n) for s, g, p, v, n in rows.tuples()]


async def information_requests(session: AsyncSession, w: Where) -> int:
    """Requests for more information made in the period (recorded in the case history only)."""
    query = (
        select(func.count())
        .select_from(CaseEvent)
        .where(
            CaseEvent.action == Outcome.REQUEST_INFORMATION.value,
            w.in_period(CaseEvent.at),
            *w.of_venue(CaseEvent.case_id),
        )
    )
    found = await w.run(session, w.scope.by_case(query, CaseEvent.case_id))
    return int(found.scalar_one())


async def days_to_decision(
    session: AsyncSession, w: Where, overturned: frozenset[UUID]
) -> list[tuple[dt.date, dt.date, int]]:
    """(day asked, day decided, how many) for cases whose first decision took effect in the period."""
    d = Decision
    took_effect = (d.kind == "decision") & or_(
        d.outcome == Outcome.APPROVE.value,
        (d.outcome == Outcome.REFUSE.value) & or_(d.effective.is_(True), _is_one_of(d.id, overturned)),
    )
    lo, hi = w.bounds
    first_at = func.min(_effect_time(d))
    first = (
        select(
            d.case_id.label("case_id"),
            # One value per case: min() lets the grouping follow the case order of the index.
            func.min(VettingCase.created_at).label("asked_at"),
            first_at.label("at"),
        )
        # A decision made after the period cannot be a first decision in it.
        .where(took_effect, d.decided_at < hi, *w.of_venue(d.case_id))
        .group_by(d.case_id)
        .having((first_at >= lo) & (first_at < hi))
    )
    days = (
        w.scope.by_case(first, d.case_id)
        .around(
            lambda f: select(w.local_date(f.c.asked_at).label("asked"), w.local_date(f.c.at).label("decided"))
        )
        .around(lambda s: select(s.c.asked, s.c.decided, func.count()).group_by(s.c.asked, s.c.decided))
    )
    rows = await w.run(session, days)
    return [(as_date(a), as_date(b), n) for a, b, n in rows.tuples()]


async def referrals(session: AsyncSession, w: Where) -> tuple[dict[str, int], int]:
    """Screening matches found in the period by how they stand now, and the cases they concern
    (grouped by case and disposition in SQL: one row per referred case, a few hundred at most)."""
    query = (
        select(ScreeningMatch.case_id, ScreeningMatch.disposition, func.count())
        .where(w.in_period(ScreeningMatch.created_at), *w.of_venue(ScreeningMatch.case_id))
        .group_by(ScreeningMatch.case_id, ScreeningMatch.disposition)
    )
    rows = await w.run(session, w.scope.by_case(query, ScreeningMatch.case_id))
    by_disposition: Counter[str] = Counter()
    cases: set[UUID] = set()
    for case_id, disposition, n in rows.tuples():
        by_disposition[disposition] += n
        cases.add(case_id)
    return dict(by_disposition), len(cases)


@dataclass(frozen=True)
class RoomRow:
    room_id: UUID
    room: str
    venue_id: UUID
    venue: str
    opening_hours: dict[str, Any]
    bank_holidays_region: str | None


async def rooms(session: AsyncSession, w: Where) -> list[RoomRow]:
    query = (
        select(Room.id, Room.name, Venue.id, Venue.name, Room.opening_hours, Venue.bank_holidays_region)
        .join(Venue, Venue.id == Room.venue_id)
        .where(Room.active.is_(True))
        .order_by(Venue.name, Room.name)
    )
    if w.venue_id is not None:
        query = query.where(Venue.id == w.venue_id)
    return [RoomRow(*row) for row in (await w.run(session, w.scope.by_venue(query))).tuples()]


async def closures(session: AsyncSession, w: Where) -> list[tuple[UUID, UUID | None, dt.date, dt.date]]:
    """(venue, room or None for the whole venue, first day, last day) overlapping the period."""
    query = select(Closure.venue_id, Closure.room_id, Closure.start_date, Closure.end_date).where(
        Closure.start_date <= w.end, Closure.end_date >= w.start
    )
    if w.venue_id is not None:
        query = query.where(Closure.venue_id == w.venue_id)
    found = await w.run(session, w.scope.by_venue(query, Closure.venue_id))
    return [(v, r, as_date(a), as_date(b)) for v, r, a, b in found.tuples()]


async def booked_hours(session: AsyncSession, w: Where) -> dict[UUID, float]:
    """Hours of dates that hold their room (approved), per room, on local days in the period."""
    lo = dt.datetime.combine(w.start, dt.time.min)
    hi = dt.datetime.combine(w.end + dt.timedelta(days=1), dt.time.min)
    utc_lo, utc_hi = w.bounds
    query = (
        select(
            Booking.room_id,
            func.sum(hours_between(Occurrence.local_start, Occurrence.local_end, w.dialect)),
        )
        .join(Booking, Booking.id == Occurrence.booking_id)
        .join(Room, Room.id == Booking.room_id)
        .where(
            Occurrence.status == "held",
            Occurrence.local_start >= lo,
            Occurrence.local_start < hi,
            # The same dates by the indexed UTC start (a day's margin covers any offset), so the
            # database reads the period's dates rather than every date of the organisation's.
            Occurrence.start_utc >= utc_lo - dt.timedelta(days=1),
            Occurrence.start_utc < utc_hi + dt.timedelta(days=1),
        )
        .group_by(Booking.room_id)
    )
    if w.venue_id is not None:
        query = query.where(Room.venue_id == w.venue_id)
    found = await w.run(session, w.scope.by_venue(query, Room.venue_id))
    return {room_id: float(hours or 0) for room_id, hours in found.tuples()}


async def venue_name(session: AsyncSession, scope: ReportScope, venue_id: UUID) -> str | None:
    """The venue's name, or None when it does not exist or is not the organisation's."""
    found = await scope.run(session, scope.by_venue(select(Venue.name).where(Venue.id == venue_id)))
    return found.scalar_one_or_none()
