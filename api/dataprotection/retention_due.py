"""Which rows a retention purge has to look at, chosen by the database (api/dataprotection/retention.py).

The purge used to read every case, every date's end and every decision into Python and decide
there, so its cost grew with all the years of data kept rather than with what had expired. Here
the cases to look at are a pool that index ranges give, and the query returns a *superset* of what
is due: the rows near the cut-off are then judged in Python by exactly the rule the purge always
used (`relativedelta` months per case's own policy), so the plan is the same as before.

Why a superset and not the exact rule in SQL: the periods are per policy and in calendar months
(31 Jan + 1 month is 28 Feb), which SQL dialects spell differently. The cut-off used here is the
shortest period of any policy, moved `SLACK` later, which is never earlier than the exact one.

How the indexes serve it: a case whose last date ended by the cut-off has a date that *started*
by then (`ix_occurrence_start_held` on start_utc), or no dates and a first start by then
(`ix_vetting_case_first_start`); once purges run, what lies before a cut-off is what has just
expired. A refused case goes by its last decision, so refused cases are found by status
(`ix_vetting_case_status`); they are few. The due-diligence category reaches back past cases
already stripped (kept until their booking-records period ends), so the pool holds them too and
they are left out by their history's mark: that part still grows with the years kept, not with
what is new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, and_, func, or_, select, text, union
from sqlalchemy.ext.asyncio import AsyncSession

from policies import Retention, bundled_policy_ids
from venues.models import Booking, Occurrence
from vetting.models import CaseEvent, Decision, ScreeningMatch, VettingCase

# Calendar-month arithmetic moves a date by at most three days against its inverse (a month
# end clamped to 28 February); a week's margin keeps the superset a superset.
SLACK = dt.timedelta(days=7)


def loosest_cutoff(
    now: dt.datetime, months: Callable[[Retention], int], retention: Callable[[str], Retention]
) -> dt.datetime:
    """The latest cut-off any policy could have for a period: the shortest period, plus SLACK."""
    shortest = min(months(retention(pid)) for pid in [*bundled_policy_ids(), "council-default"])
    return now - relativedelta(months=shortest) + SLACK


def started_by(cutoff: dt.datetime) -> tuple[Select[Any], Select[Any]]:
    """Cases with a date that started by `cutoff`, and cases with a first start by then: between
    them every case whose hire (last date's end, or first start when there are no dates) ended by
    `cutoff`, and some still running. Two index ranges, to be joined by UNION (an OR of the two
    would make PostgreSQL read every case)."""
    return (
        select(Booking.case_id)
        .join(Occurrence, Occurrence.booking_id == Booking.id)
        .where(Occurrence.start_utc <= cutoff),
        select(VettingCase.id.label("case_id")).where(VettingCase.first_start <= cutoff),
    )


ADVERSE = ("possible", "confirmed")


def _refused_by(cutoff: dt.datetime) -> Select[Any]:
    """Refused cases (found by status) whose last decision, or hire's end when there is none, was
    by `cutoff`. Correlated subqueries here: they run for refused cases only, and the hire's end
    only for one with no decision (COALESCE stops at the first value); leaving every refused case
    in the pool instead made its facts' grouped reads cost the daily run 5x (PostgreSQL, 1 year)."""
    last_decided = (
        select(func.max(func.coalesce(Decision.countersigned_at, Decision.decided_at)))
        .where(Decision.case_id == VettingCase.id)
        .correlate(VettingCase)
        .scalar_subquery()
    )
    last_end = (
        select(func.max(Occurrence.end_utc))
        .join(Booking, Booking.id == Occurrence.booking_id)
        .where(Booking.case_id == VettingCase.id)
        .correlate(VettingCase)
        .scalar_subquery()
    )
    return select(VettingCase.id.label("case_id")).where(
        VettingCase.status == "refused",
        func.coalesce(last_decided, last_end, VettingCase.first_start) <= cutoff,
    )


def candidate_query(
    *,
    delete_cutoff: dt.datetime,
    refusal_cutoff: dt.datetime,
    strip_cutoff: dt.datetime,
    strip_action: str,
) -> Select[Any]:
    """Rows (id, reference, status, policy_id, first_start, last_end, last_decided, adverse,
    stripped, organisation_id, linked_organisation_id) of every case that may be due, each once.

    A pool of cases comes from index ranges (what started by the later cut-off, and the refused
    cases due by their last decision); each pool case's facts are then read for the pool as a
    set, one grouped query per fact joined to it, and the categories are judged on those. The
    facts used to be subqueries run once per candidate row and the categories each scanned the
    dates again, which made the plan slower than reading every table whole once thousands of
    cases were due at once (issue 22)."""
    pool = union(
        *started_by(max(delete_cutoff, strip_cutoff)),
        _refused_by(refusal_cutoff),
    ).cte("pool")
    in_pool = select(pool.c.case_id)
    last_end = (
        select(Booking.case_id, func.max(Occurrence.end_utc).label("at"))
        .join(Occurrence, Occurrence.booking_id == Booking.id)
        .where(Booking.case_id.in_(in_pool))
        .group_by(Booking.case_id)
        .subquery("last_end")
    )
    last_decided = (
        select(
            Decision.case_id,
            func.max(func.coalesce(Decision.countersigned_at, Decision.decided_at)).label("at"),
        )
        .where(Decision.case_id.in_(in_pool))
        .group_by(Decision.case_id)
        .subquery("last_decided")
    )
    # The open or confirmed matches are few whatever the years kept (a range of
    # ix_screening_match_open). The stripped marks are read for the pool's cases only: case_event
    # has no index on action, and reading it whole made SQLite's daily run 1.7x slower (1 year).
    adverse = (
        select(ScreeningMatch.case_id)
        .where(ScreeningMatch.disposition.in_(ADVERSE))
        .group_by(ScreeningMatch.case_id)
        .subquery("adverse")
    )
    stripped = (
        select(CaseEvent.case_id)
        .where(CaseEvent.case_id.in_(in_pool), CaseEvent.action == strip_action)
        .group_by(CaseEvent.case_id)
        .subquery("stripped")
    )
    hire_end = func.coalesce(last_end.c.at, VettingCase.first_start)
    # The OR is over the pool's rows only, not over the whole table.
    due = or_(
        # Booking records: a case not refused whose hire ended by the cut-off.
        and_(VettingCase.status != "refused", hire_end <= delete_cutoff),
        # Refusals: by the last decision, or the hire's end when there is none.
        and_(
            VettingCase.status == "refused",
            func.coalesce(last_decided.c.at, hire_end) <= refusal_cutoff,
        ),
        # Due diligence of a case with nothing adverse, not yet removed.
        and_(
            VettingCase.status.not_in(("refused", "cancelled")),
            hire_end <= strip_cutoff,
            adverse.c.case_id.is_(None),
            stripped.c.case_id.is_(None),
        ),
    )
    return (
        select(
            VettingCase.id,
            VettingCase.reference,
            VettingCase.status,
            VettingCase.policy_id,
            VettingCase.first_start,
            last_end.c.at,
            last_decided.c.at,
            adverse.c.case_id.is_not(None),
            stripped.c.case_id.is_not(None),
            VettingCase.organisation_id,
            VettingCase.linked_organisation_id,
        )
        .select_from(pool)
        .join(VettingCase, VettingCase.id == pool.c.case_id)
        .outerjoin(last_end, last_end.c.case_id == VettingCase.id)
        .outerjoin(last_decided, last_decided.c.case_id == VettingCase.id)
        .outerjoin(adverse, adverse.c.case_id == VettingCase.id)
        .outerjoin(stripped, stripped.c.case_id == VettingCase.id)
        .where(due)
    )


async def candidate_cases(session: AsyncSession, **cutoffs: Any) -> list[Any]:
    """The rows of `candidate_query(**cutoffs)`."""
    if session.get_bind().dialect.name == "postgresql":
        # The planner's cost for this query (its estimates of the UNION's arms are loose) is over
        # jit_above_cost once years of cases are due, and compiling it took 2.7 s of a 2.75 s run
        # whose execution was 80 ms (EXPLAIN ANALYZE, bench/retention_scale.py). For the rest of
        # the purge's transaction only.
        await session.execute(text("SET LOCAL jit = off"))
    # Ordered here, not by ORDER BY: SQLite served that ORDER BY by reading every case in
    # first_start order and probing the pool with each (the daily run 1.7x slower at 1 year).
    rows = list((await session.execute(candidate_query(**cutoffs))).all())
    rows.sort(key=lambda row: (row.first_start, row.id))
    return rows


# Beyond this many organisations one read of every case's two organisation columns is quicker
# than probing the indexes 500 organisations at a time (1,000 ms against about 100 ms for
# 9,000 organisations over 12,000 cases, PostgreSQL; bench/retention_scale.py).
PROBE_LIMIT = 2000


async def cases_filed_under(
    session: AsyncSession, organisations: list[UUID]
) -> list[tuple[UUID, UUID | None, UUID | None]]:
    """(case, organisation, linked organisation) of every case filed under or linked to these
    (and, when there are more than PROBE_LIMIT of them, of every other case too)."""
    columns = (VettingCase.id, VettingCase.organisation_id, VettingCase.linked_organisation_id)
    if len(organisations) > PROBE_LIMIT:
        return [(a, b, c) for a, b, c in (await session.execute(select(*columns))).all()]
    found: list[tuple[UUID, UUID | None, UUID | None]] = []
    for start in range(0, len(organisations), 500):
        chunk = organisations[start : start + 500]
        rows = await session.execute(
            select(*columns).where(
                or_(VettingCase.organisation_id.in_(chunk), VettingCase.linked_organisation_id.in_(chunk))
            )
        )
        found.extend((a, b, c) for a, b, c in rows.all())
    return found
