"""The reports page's read model: for a period and a venue (or every venue of the officer's
organisation), requests, decisions by outcome and ground, time to decision in working days,
screening referrals, appeals and room use. Only published figures leave this module: counts
about people and groups go through the suppression rule of casework/report_figures.py.

The queries (casework/report_queries.py) are kept to the organisations of the caller's scoped
session (casework/report_scope.py), so the report is of the officer's own organisation; a service
administrator's unscoped session sees the service.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from casework import report_queries as q
from casework.oversight import check_range
from casework.report_figures import (
    THRESHOLD,
    Count,
    bucket_of,
    expand_counts,
    median,
    nearest_rank,
    open_minutes,
    publish,
    share,
    suppress_breakdown,
)
from casework.report_scope import ReportScope
from venues.closures import uk_bank_holiday_closures
from venues.opening_hours import OpeningHours, OpeningHoursError
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid, NotFound
from vetting.lifecycle import CaseStatus
from vetting.policy_store import policy_version

STATUS_LABELS = {
    CaseStatus.UNDER_REVIEW: "Being reviewed",
    CaseStatus.AWAITING_INFORMATION: "Waiting for information",
    CaseStatus.AWAITING_ACCEPTANCE: "Waiting for the hirer to accept conditions",
    CaseStatus.CONFIRMED: "Confirmed",
    CaseStatus.REFUSED: "Refused",
    CaseStatus.WITHDRAWN: "Withdrawn",
    CaseStatus.CANCELLED: "Cancelled",
}
DECISION_STATES = {
    "approved": "Approved",
    "approved_with_conditions": "Approved with conditions",
    "refused": "Refused",
    "cancelled": "Cancelled by the council",
    "information_requested": "More information asked for",
    "refusal_not_countersigned": "Refusal proposed, second officer did not agree",
    "awaiting_countersignature": "Refusal proposed, waiting for a second officer",
}
DISPOSITIONS = {
    "open": "Not yet resolved",
    "cleared": "Cleared: not the same",
    "possible": "Possible match",
    "confirmed": "Confirmed match",
}
APPEAL_OUTCOMES = {
    "pending": "Waiting for a decision",
    "reapproved": "Upheld: approved again",
    "upheld": "Upheld: reviewed again",
    "varied": "Varied: approved with conditions",
    "dismissed": "Dismissed",
}
DAY_BUCKETS = (5, 10, 20)
ZERO = Count(0)
EARLIEST, LATEST = (
    dt.date(2000, 1, 1),
    dt.date(2099, 12, 31),
)  # what the date arithmetic covers  # frozen: one instance serves every default
DAY_BUCKET_LABELS = (
    "0 to 5 working days",
    "6 to 10 working days",
    "11 to 20 working days",
    "Over 20 working days",
)


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: a stable key, the words the page shows, the published count."""

    key: str
    label: str
    count: Count


@dataclass(frozen=True)
class GroundRow:
    code: str
    label: str
    short: str
    refusals: Count
    cancellations: Count


@dataclass(frozen=True)
class RoomUse:
    room_id: UUID
    room: str
    venue: str
    booked_hours: float
    open_hours: float

    @property
    def share(self) -> float | None:
        return share(self.booked_hours, self.open_hours)


@dataclass
class Report:
    start: dt.date
    end: dt.date
    venue_id: UUID | None
    venue_name: str | None
    threshold: int = THRESHOLD
    requests_total: Count = ZERO
    requests_by_month: list[Row] = field(default_factory=list)
    requests_by_status: list[Row] = field(default_factory=list)
    decisions_total: Count = ZERO
    decisions: list[Row] = field(default_factory=list)
    grounds: list[GroundRow] = field(default_factory=list)
    decided: Count = ZERO
    median_days: float | None = None
    p90_days: int | None = None
    days_buckets: list[Row] = field(default_factory=list)
    referral_matches: Count = ZERO
    cases_referred: Count = ZERO
    referrals: list[Row] = field(default_factory=list)
    appeals_total: Count = ZERO
    appeals: list[Row] = field(default_factory=list)
    rooms: list[RoomUse] = field(default_factory=list)

    @property
    def booked_hours(self) -> float:
        return round(sum(r.booked_hours for r in self.rooms), 2)

    @property
    def open_hours(self) -> float:
        return round(sum(r.open_hours for r in self.rooms), 2)

    @property
    def use_share(self) -> float | None:
        return share(self.booked_hours, self.open_hours)


def _rows(counts: dict[str, int], labels: dict[str, str], threshold: int) -> list[Row]:
    published = suppress_breakdown({k: counts.get(k, 0) for k in labels}, threshold=threshold)
    return [Row(k, labels[k], published[k]) for k in labels]


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def short_label(text: str) -> str:
    """A ground's wording cut to its first clause, for a chart's axis (the table has it whole)."""
    head = text.split(", ")[0].split(" (")[0].rstrip(".")
    return textwrap.shorten(head, width=60, placeholder="…")


async def build_report(
    session: AsyncSession,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    venue_id: UUID | None = None,
    *,
    threshold: int = THRESHOLD,
) -> Report:
    """The report for local dates `start` to `end` inclusive; `session` is the caller's scoped one.
    (`threshold` is the suppression threshold; only tests lower it, to check the raw figures.)

    Officers and administrators only. A venue the caller cannot see is refused as unknown
    (`Invalid`), exactly as one that does not exist.
    """
    if not actor.is_officer:
        raise Forbidden("only officers and administrators see reports")
    for key, day in (("start", start), ("end", end)):
        if not EARLIEST <= day <= LATEST:
            raise Invalid(
                "the period is out of range", {key: f"Choose a date from {EARLIEST.year} to {LATEST.year}"}
            )
    check_range(start, end)
    name = None
    scope = ReportScope.of(session)
    if venue_id is not None:
        name = await q.venue_name(session, scope, venue_id)
        if name is None:
            raise Invalid("no such venue", {"venue": "Choose a venue from the list"})
    w = q.Where(start, end, venue_id, session.get_bind().dialect.name, scope)
    report = Report(start, end, venue_id, name, threshold)
    await _requests(session, w, report)
    await _decisions(session, w, report)
    await _timing(session, w, report)
    matches, referred_cases = await q.referrals(session, w)
    report.referral_matches = publish(sum(matches.values()), threshold)
    report.cases_referred = publish(referred_cases, threshold)
    report.referrals = _rows(matches, DISPOSITIONS, threshold)
    lodged = await q.appeals(session, w)
    report.appeals_total = publish(sum(lodged.values()), threshold)
    report.appeals = _rows(lodged, APPEAL_OUTCOMES, threshold)
    report.rooms = await _room_use(session, w)
    return report


async def _requests(session: AsyncSession, w: q.Where, report: Report) -> None:
    by_month: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    for month, status, n in await q.requests_by_month(session, w):
        by_month[month] += n
        by_status[status] += n
    t = report.threshold
    report.requests_total = publish(sum(by_status.values()), t)
    months = {f"{m:%Y-%m}": f"{m:%B %Y}" for m in _months(w.start, w.end)}
    report.requests_by_month = _rows(dict(by_month), months, t)
    statuses = {s.value: label for s, label in STATUS_LABELS.items()}
    report.requests_by_status = _rows(dict(by_status), statuses, t)


async def _decisions(session: AsyncSession, w: q.Where, report: Report) -> None:
    states: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    cancellations: Counter[str] = Counter()
    policies: set[tuple[str, str]] = set()
    for state, ground, policy_id, version, n in await q.decisions_by_state(session, w):
        states[state] += n
        if ground and state in ("refused", "cancelled"):
            (refusals if state == "refused" else cancellations)[ground] += n
            policies.add((policy_id, version))
    states["information_requested"] = await q.information_requests(session, w)
    t = report.threshold
    report.decisions_total = publish(sum(states.values()), t)
    report.decisions = _rows(dict(states), DECISION_STATES, t)
    # Each ground in the words of the policy that allowed it (one read per policy version used).
    wording: dict[str, str] = {}
    for policy_id, version in sorted(policies):
        try:
            policy = await policy_version(session, policy_id, version)
        except (LookupError, OSError, ValueError, NotFound):
            continue  # a policy no longer bundled: its codes are shown in plain words below
        wording.update({g.code: g.text for g in policy.refusal_grounds if g.code not in wording})
    codes = sorted(set(refusals) | set(cancellations), key=lambda c: (-(refusals[c] + cancellations[c]), c))
    hidden_refusals = suppress_breakdown({c: refusals[c] for c in codes}, threshold=t)
    hidden_cancellations = suppress_breakdown({c: cancellations[c] for c in codes}, threshold=t)
    report.grounds = [
        GroundRow(
            code,
            wording.get(code, code.replace("_", " ").capitalize()),
            short_label(wording.get(code, code.replace("_", " ").capitalize())),
            hidden_refusals[code],
            hidden_cancellations[code],
        )
        for code in codes
    ]


async def _timing(session: AsyncSession, w: q.Where, report: Report) -> None:
    pairs = await q.days_to_decision(session, w)
    t = report.threshold
    report.decided = publish(sum(n for _, n in pairs), t)
    buckets: Counter[str] = Counter()
    for d, n in pairs:
        buckets[str(bucket_of(d, DAY_BUCKETS))] += n
    days = expand_counts(pairs)
    if days and len(days) >= max(t, 1):
        report.median_days = median(days)
        report.p90_days = nearest_rank(days, 0.9)
    labels = {str(i): label for i, label in enumerate(DAY_BUCKET_LABELS)}
    report.days_buckets = _rows(dict(buckets), labels, t)


async def _room_use(session: AsyncSession, w: q.Where) -> list[RoomUse]:
    rooms = await q.rooms(session, w)
    closures = await q.closures(session, w)
    holidays: dict[str, list[dt.date]] = {}
    # Rooms of a venue mostly share their hours: each distinct week is parsed once per report.
    weeks: dict[str, list[int]] = {}
    out: list[RoomUse] = []
    for room in rooms:
        key = json.dumps(room.opening_hours, sort_keys=True)
        if key not in weeks:
            try:
                hours = OpeningHours.parse(room.opening_hours)
            except OpeningHoursError:
                hours = OpeningHours.parse({})
            weeks[key] = [sum(r.end - r.start for r in day) for day in hours.days]
        per_weekday = weeks[key]
        closed: list[dt.date] = []
        for venue_id, room_id, first, last in closures:
            if venue_id == room.venue_id and room_id in (None, room.room_id):
                day = max(first, w.start)
                while day <= min(last, w.end):
                    closed.append(day)
                    day += dt.timedelta(days=1)
        region = room.bank_holidays_region
        if region:
            if region not in holidays:
                holidays[region] = [c.start_date for c in uk_bank_holiday_closures(w.start, w.end, region)]
            closed += holidays[region]
        minutes = open_minutes(per_weekday, w.start, w.end, closed)
        out.append(RoomUse(room.room_id, room.room, room.venue, round(room.booked_hours, 2), minutes / 60))
    return out
