"""The reports page's queries: each section one grouped query (room use two), never one per
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
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, literal, select
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncSession

from casework.report_scope import Narrowed, ReportScope
from casework.report_sql import as_date, hours_between, month_ranges, utc_bounds
from venues.models import Booking, Closure, Occurrence, Room, Venue
from vetting.lifecycle import Outcome
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


async def appeals(session: AsyncSession, w: Where) -> dict[str, int]:
    """The appeals lodged in the period at the venue(s), by outcome so far."""
    query = (
        select(Decision.outcome, func.count())
        .where(Decision.kind == "appeal", w.in_period(Decision.created_at), *w.of_venue(Decision.case_id))
        .group_by(Decision.outcome)
    )
    rows = await w.run(session, w.scope.by_case(query, Decision.case_id))
    return dict(rows.tuples().all())


async def requests_by_month(session: AsyncSession, w: Where) -> list[tuple[str, str, int]]:
    """(month as "2027-03", status, how many) of the requests made in the period.

    One count per month, each a range of the index ix_vetting_case_provider_created (UTC bounds
    of the UK month, casework/report_sql.py), put together with UNION ALL: no row's month is
    worked out (a CASE over twelve bounds per request cost more than the reading)."""
    months = [
        w.scope.by_case(
            select(literal(month).label("month"), VettingCase.status.label("status"), func.count().label("n"))
            .where(VettingCase.created_at >= lo, VettingCase.created_at < hi, *w.of_venue(VettingCase.id))
            .group_by(VettingCase.status)
        )
        for month, lo, hi in month_ranges(w.start, w.end)
    ]
    rows = await w.run(session, Narrowed.union_all(months))
    return [(month, status, n) for month, status, n in rows.tuples()]


async def decisions_by_state(session: AsyncSession, w: Where) -> list[tuple[str, str | None, str, str, int]]:
    """(state, ground, policy id, policy version, count) of the decisions that took effect (or
    were proposed or declined) in the period; state is one of casework.reports.DECISION_STATES,
    stamped on the decision when it happened (casework/decision_effect.py). Each decision keeps
    its case's organisation, so one organisation's decisions of the period are a range of the
    index ix_decision_provider_effect (every decision's, ix_decision_effect_state) and none is
    looked up against its case."""
    d = Decision
    keys = (d.report_state, d.reason_code, d.policy_id, d.policy_version)
    query = (
        select(*keys, func.count())
        .where(w.in_period(d.effect_at), d.report_state.is_not(None), *w.of_venue(d.case_id))
        .group_by(*keys)
    )
    rows = await w.run(session, w.scope.by_own(query, d.provider_id))
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


async def days_to_decision(session: AsyncSession, w: Where) -> list[tuple[int, int]]:
    """(working days, how many) for cases whose first decision took effect in the period: both
    stamped on the case when it happened (casework/decision_effect.py), read from the index
    ix_vetting_case_first_decision."""
    days = VettingCase.decision_working_days
    query = (
        select(days, func.count())
        .where(w.in_period(VettingCase.first_decision_at), *w.of_venue(VettingCase.id))
        .group_by(days)
    )
    rows = await w.run(session, w.scope.by_case(query))
    return [(int(n_days or 0), n) for n_days, n in rows.tuples()]


async def referrals(session: AsyncSession, w: Where) -> tuple[dict[str, int], int]:
    """Screening matches found in the period by how they stand now, and how many cases they
    concern (counted in SQL: the matches of a case are counted once there)."""
    m = ScreeningMatch
    where = (w.in_period(m.created_at), *w.of_venue(m.case_id))
    by_disposition = select(m.disposition, func.count()).where(*where).group_by(m.disposition)
    found = await w.run(session, w.scope.by_case(by_disposition, m.case_id))
    cases = select(func.count(func.distinct(m.case_id))).where(*where)
    concerned = await w.run(session, w.scope.by_case(cases, m.case_id))
    return dict(found.tuples().all()), int(concerned.scalar_one())


@dataclass(frozen=True)
class RoomRow:
    room_id: UUID
    room: str
    venue_id: UUID
    venue: str
    opening_hours: dict[str, Any]
    bank_holidays_region: str | None
    booked_hours: float


def _booked_hours(w: Where) -> Any:
    """Hours of the room's dates that hold it (approved) on local days in the period.

    Each date keeps its booking's room (`Occurrence.room_id`), so a room's held dates of the period
    are one range of the index ix_occurrence_room_held, read once per room: no date is joined to
    its booking (that look-up per date was 40% of the report's time)."""
    lo = dt.datetime.combine(w.start, dt.time.min)
    hi = dt.datetime.combine(w.end + dt.timedelta(days=1), dt.time.min)
    return (
        select(func.sum(hours_between(Occurrence.local_start, Occurrence.local_end, w.dialect)))
        .where(
            Occurrence.room_id == Room.id,
            Occurrence.status == "held",
            Occurrence.local_start >= lo,
            Occurrence.local_start < hi,
        )
        .correlate(Room)
        .scalar_subquery()
    )


async def rooms(session: AsyncSession, w: Where) -> list[RoomRow]:
    """The active rooms in scope (at the venue, if one is chosen), each with its booked hours."""
    query = (
        select(
            Room.id,
            Room.name,
            Venue.id,
            Venue.name,
            Room.opening_hours,
            Venue.bank_holidays_region,
            _booked_hours(w),
        )
        .join(Venue, Venue.id == Room.venue_id)
        .where(Room.active.is_(True))
        .order_by(Venue.name, Room.name)
    )
    if w.venue_id is not None:
        query = query.where(Venue.id == w.venue_id)
    found = (await w.run(session, w.scope.by_venue(query))).tuples()
    return [
        RoomRow(room_id, room, venue_id, venue, hours, region, float(booked or 0))
        for room_id, room, venue_id, venue, hours, region, booked in found
    ]


async def closures(session: AsyncSession, w: Where) -> list[tuple[UUID, UUID | None, dt.date, dt.date]]:
    """(venue, room or None for the whole venue, first day, last day) overlapping the period."""
    query = select(Closure.venue_id, Closure.room_id, Closure.start_date, Closure.end_date).where(
        Closure.start_date <= w.end, Closure.end_date >= w.start
    )
    if w.venue_id is not None:
        query = query.where(Closure.venue_id == w.venue_id)
    found = await w.run(session, w.scope.by_venue(query, Closure.venue_id))
    return [(v, r, as_date(a), as_date(b)) for v, r, a, b in found.tuples()]


async def venue_name(session: AsyncSession, scope: ReportScope, venue_id: UUID) -> str | None:
    """The venue's name, or None when it does not exist or is not the organisation's."""
    found = await scope.run(session, scope.by_venue(select(Venue.name).where(Venue.id == venue_id)))
    return found.scalar_one_or_none()
