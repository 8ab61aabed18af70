"""The baseline for bench/retention_scale.py: the candidate query as it was before issue 22's
"six years on" fix, with the per-case facts (last end of dates, last decision, adverse marks,
stripped mark) as subqueries correlated to each candidate row. Kept only to be timed against
api/dataprotection/retention_due.py in the same run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select, text, union
from sqlalchemy.ext.asyncio import AsyncSession

from venues.models import Booking, Occurrence
from vetting.models import CaseEvent, Decision, ScreeningMatch, VettingCase


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


def correlated_candidate_query(
    *, delete_cutoff: dt.datetime, refusal_cutoff: dt.datetime, strip_cutoff: dt.datetime, strip_action: str
) -> Select[Any]:
    last_end = _last_end()
    last_decided = _last_decided()
    due = union(
        select(VettingCase.id).where(VettingCase.status != "refused", ended_by(delete_cutoff)),
        select(VettingCase.id).where(
            VettingCase.status == "refused",
            func.coalesce(last_decided, last_end, VettingCase.first_start) <= refusal_cutoff,
        ),
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


async def correlated_candidate_cases(session: AsyncSession, **cutoffs: Any) -> list[Any]:
    """What api.dataprotection.retention_due.candidate_cases returned before, the same way."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL jit = off"))
    return list((await session.execute(correlated_candidate_query(**cutoffs))).all())
