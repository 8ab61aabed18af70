"""The same-run baseline of bench/reports.py: the report's headline figures worked out the naive
way, a query per case for its decisions, history, matches, booking and dates, then Python.

It is also the check: bench/reports.py stops with an error when the real report's figures (with
no suppression) differ from these.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from casework.report_sql import LONDON, utc_bounds
from casework.reports import Report
from venues.models import Booking, Occurrence
from vetting.models import CaseEvent, Decision, ScreeningMatch, VettingCase
from vetting.workdays import working_days_between


def _local(at: dt.datetime) -> dt.date:
    return at.astimezone(LONDON).date()


def _effect(d: Decision) -> dt.datetime:
    return d.countersigned_at if d.outcome == "refuse" and d.countersigned_at else d.decided_at


def _state(d: Decision, decisions: list[Decision]) -> str:
    if d.kind == "cancellation":
        return "cancelled"
    if d.outcome == "approve":
        return "approved_with_conditions" if d.conditions else "approved"
    if d.effective:
        return "refused"
    for appeal in decisions:
        if appeal.kind == "appeal" and appeal.outcome in ("upheld", "varied"):
            between = [
                r
                for r in decisions
                if r.kind == "decision"
                and r.outcome == "refuse"
                and d.decided_at < r.decided_at < appeal.decided_at
            ]
            if not between:
                return "refused"
    return "refusal_not_countersigned" if d.countersigned_at else "awaiting_countersignature"


async def naive_figures(session: AsyncSession, start: dt.date, end: dt.date) -> dict[str, Any]:
    lo, hi = utc_bounds(start, end)
    hi_local = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
    lo_local = dt.datetime.combine(start, dt.time.min)
    cases = (await session.execute(select(VettingCase))).scalars().all()
    requests = 0
    states: Counter[str] = Counter()
    days: list[int] = []
    matches: Counter[str] = Counter()
    referred = 0
    appeals: Counter[str] = Counter()
    booked = 0.0
    for case in cases:
        if lo <= case.created_at < hi:
            requests += 1
        decisions = list(
            (
                await session.execute(
                    select(Decision).where(Decision.case_id == case.id).order_by(Decision.decided_at)
                )
            )
            .scalars()
            .all()
        )
        first: dt.datetime | None = None
        for d in decisions:
            if d.kind == "appeal":
                if lo <= d.created_at < hi:
                    appeals[d.outcome] += 1
                continue
            if d.outcome == "request_information":
                continue
            state = _state(d, decisions)
            if lo <= _effect(d) < hi:
                states[state] += 1
            if d.kind == "decision" and state in ("approved", "approved_with_conditions", "refused"):
                first = _effect(d) if first is None else min(first, _effect(d))
        if first is not None and lo <= first < hi:
            days.append(max(0, working_days_between(_local(case.created_at), _local(first))))
        events = (
            await session.execute(
                select(CaseEvent).where(
                    CaseEvent.case_id == case.id, CaseEvent.action == "request_information"
                )
            )
        ).scalars()
        states["information_requested"] += sum(1 for e in events if lo <= e.at < hi)
        found = [
            m
            for m in (
                await session.execute(select(ScreeningMatch).where(ScreeningMatch.case_id == case.id))
            ).scalars()
            if lo <= m.created_at < hi
        ]
        for m in found:
            matches[m.disposition] += 1
        referred += bool(found)
        booking = (await session.execute(select(Booking).where(Booking.case_id == case.id))).scalar_one()
        for occ in (
            await session.execute(select(Occurrence).where(Occurrence.booking_id == booking.id))
        ).scalars():
            if occ.status == "held" and lo_local <= occ.local_start < hi_local:
                booked += (occ.local_end - occ.local_start).total_seconds() / 3600
    days.sort()
    return {
        "requests": requests,
        "decisions": dict(sorted((k, v) for k, v in states.items() if v)),
        "decided": len(days),
        "median": float(statistics.median(days)) if days else None,
        "p90": days[max(1, -(-9 * len(days) // 10)) - 1] if days else None,
        "matches": dict(sorted((k, v) for k, v in matches.items() if v)),
        "referred": referred,
        "appeals": dict(sorted((k, v) for k, v in appeals.items() if v)),
        "booked": round(booked, 2),
    }


def report_figures(report: Report) -> dict[str, Any]:
    """The same figures from the real report (built with no suppression)."""

    def counts(rows: Any) -> dict[str, int]:
        return dict(sorted((r.key, r.count.value) for r in rows if r.count.value))

    return {
        "requests": report.requests_total.value,
        "decisions": counts(report.decisions),
        "decided": report.decided.value,
        "median": report.median_days,
        "p90": report.p90_days,
        "matches": counts(report.referrals),
        "referred": report.cases_referred.value,
        "appeals": counts(report.appeals),
        "booked": report.booked_hours,
    }
