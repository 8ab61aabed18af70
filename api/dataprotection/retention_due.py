"""Which rows a retention purge has to look at, chosen by the database (api/dataprotection/retention.py).

The purge used to read every case, every date's end and every decision into Python and decide
there, so its cost grew with all the years of data kept rather than with what had expired. Here
each category is a query whose WHERE clause an index serves, and that returns a *superset* of what
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
already stripped (kept until their booking-records period ends) and leaves them out by an
anti-join on their history: that part still grows with the years kept, not with what is new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, text, union
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


def _dates_of_case() -> Any:
    return (
        select(Occurrence.id)
        .join(Booking, Booking.id == Occurrence.booking_id)
        .where(Booking.case_id == VettingCase.id)
        .correlate(VettingCase)
    )


def ended_by(cutoff: dt.datetime) -> ColumnElement[bool]:
    """Cases whose hire (last date's end, or first start when there are no dates) ended by `cutoff`.

    The cases to look at come from two index ranges joined by UNION (an OR of the two would
    make PostgreSQL read every case): a date that started by then, or a first start by then."""
    started = union(
        select(Booking.case_id)
        .join(Occurrence, Occurrence.booking_id == Booking.id)
        .where(Occurrence.start_utc <= cutoff),
        select(VettingCase.id.label("case_id")).where(VettingCase.first_start <= cutoff),
    )
    return and_(
        VettingCase.id.in_(started),
        ~exists(_dates_of_case().where(Occurrence.end_utc > cutoff)),
    )


def _last_end() -> Any:
    return (
        select(func.max(Occurrence.end_utc))
        .join(Booking, Booking.id == Occurrence.booking_id)
        .where(Booking.case_id == VettingCase.id)
        .correlate(VettingCase)
        .scalar_subquery()
    )


def _last_decided() -> Any:
    return (
        select(func.max(func.coalesce(Decision.countersigned_at, Decision.decided_at)))
        .where(Decision.case_id == VettingCase.id)
        .correlate(VettingCase)
        .scalar_subquery()
    )


def adverse() -> ColumnElement[bool]:
    return exists(
        select(ScreeningMatch.id).where(
            ScreeningMatch.case_id == VettingCase.id,
            ScreeningMatch.disposition.in_(("possible", "confirmed")),
        )
    )


def stripped(action: str) -> ColumnElement[bool]:
    return exists(select(CaseEvent.id).where(CaseEvent.case_id == VettingCase.id, CaseEvent.action == action))


def candidate_query(
    *,
    delete_cutoff: dt.datetime,
    refusal_cutoff: dt.datetime,
    strip_cutoff: dt.datetime,
    strip_action: str,
) -> Select[Any]:
    """Rows (id, reference, status, policy_id, first_start, last_end, last_decided, adverse,
    stripped, organisation_id, linked_organisation_id) of every case that may be due, each once."""
    last_end = _last_end()
    last_decided = _last_decided()
    # Each category is its own query (an OR of them would be one scan of every case), and the
    # rows are read for the UNION of their ids.
    due = union(
        # Booking records: a case not refused whose hire ended by the cut-off.
        select(VettingCase.id).where(VettingCase.status != "refused", ended_by(delete_cutoff)),
        # Refusals: by the last decision, or the hire's end when there is none.
        select(VettingCase.id).where(
            VettingCase.status == "refused",
            func.coalesce(last_decided, last_end, VettingCase.first_start) <= refusal_cutoff,
        ),
        # Due diligence of a case with nothing adverse, not yet removed.
        select(VettingCase.id).where(
            VettingCase.status.not_in(("refused", "cancelled")),
            ended_by(strip_cutoff),
            ~adverse(),
            ~stripped(strip_action),
        ),
    )
    return (
        select(
            VettingCase.id,
            VettingCase.reference,
            VettingCase.status,
            VettingCase.policy_id,
            VettingCase.first_start,
            last_end,
            last_decided,
            adverse(),
            stripped(strip_action),
            VettingCase.organisation_id,
            VettingCase.linked_organisation_id,
        )
        .where(VettingCase.id.in_(due))
        .order_by(VettingCase.first_start, VettingCase.id)
    )


async def candidate_cases(session: AsyncSession, **cutoffs: Any) -> list[Any]:
    """The rows of `candidate_query(**cutoffs)`."""
    if session.get_bind().dialect.name == "postgresql":
        # The planner's cost for this query (its estimates of the UNION's arms are loose) is over
        # jit_above_cost once years of cases are due, and compiling it took 2.7 s of a 2.75 s run
        # whose execution was 80 ms (EXPLAIN ANALYZE, bench/retention_scale.py). For the rest of
        # the purge's transaction only.
        await session.execute(text("SET LOCAL jit = off"))
    return list((await session.execute(candidate_query(**cutoffs))).all())


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
