"""The lead council's oversight of its partnership: counts and outcomes of every partner's cases.

For the Prevent partnership board: is each partner's policy applied consistently? The report
holds numbers only, per partner: cases by status, decisions by outcome, appeals, referral rate
and the median number of days to a decision, for cases submitted in a date range. It never holds a
name, a reference, an id of a case or any free text.

Small numbers are suppressed: a count from 1 to 4 is shown as "fewer than 5" (``None`` with
`suppressed`), and rates and medians are given only for a partner with at least 5 cases in the
range, so a count cannot single out a group or a person in a small partner's area. (The threshold
follows the usual practice for published statistics about people; zero is shown as zero.)

Reading other organisations' cases is the point of this report, so it is the one place here that
reads across organisations (`_partner_cases`, with ``ALL_PROVIDERS``); the API and page that
show it are audited, and only the lead council's officers and administrators reach it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.actors import Actor
from vetting.errors import Invalid, NotFound
from vetting.lifecycle import AppealOutcome, CaseStatus
from vetting.models import Decision, ScreeningMatch, VettingCase
from vetting.providers import Partnership, PartnershipMember, Provider
from vetting.tenancy import ALL_PROVIDERS

THRESHOLD = 5
"""Counts below this (and above zero) are suppressed; rates and medians need this many cases."""
MAX_RANGE_DAYS = 3 * 366

OUTCOMES = (
    "approved",
    "approved_with_conditions",
    "refused",
    "information_requested",
    "withdrawn",
    "cancelled",
    "appeals_upheld",
    "appeals_varied",
    "appeals_dismissed",
)


@dataclass(frozen=True)
class Count:
    """A count as published: the number, or None when it is suppressed (1 to THRESHOLD - 1)."""

    value: int | None

    @classmethod
    def of(cls, n: int) -> Count:
        return cls(None if 0 < n < THRESHOLD else n)

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def json(self) -> dict[str, Any]:
        return {"value": self.value, "suppressed": self.suppressed}


@dataclass
class PartnerFigures:
    provider_id: UUID
    name: str
    kind: str
    is_lead: bool
    cases: Count
    by_status: dict[str, Count] = field(default_factory=dict)
    outcomes: dict[str, Count] = field(default_factory=dict)
    referral_rate: float | None = None  # share of cases with a screening referral, 0..1
    median_days_to_decision: float | None = None


@dataclass
class OversightReport:
    partnership_id: UUID
    partnership: str
    start: dt.date
    end: dt.date
    threshold: int
    partners: list[PartnerFigures]


async def partnerships_led_by(session: AsyncSession, actor: Actor) -> list[Partnership]:
    """The partnerships whose lead council `actor` works for (officers and administrators)."""
    if not actor.is_officer or actor.provider_id is None:
        return []
    rows = await session.execute(
        select(Partnership)
        .where(Partnership.lead_provider_id == actor.provider_id)
        .order_by(Partnership.name)
    )
    return list(rows.scalars())


def check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise Invalid("the range ends before it starts", {"end": "must not be before start"})
    if (end - start).days > MAX_RANGE_DAYS:
        raise Invalid("the range is too long", {"end": "at most three years after start"})


async def oversight_report(
    session: AsyncSession, actor: Actor, partnership_id: UUID, start: dt.date, end: dt.date
) -> OversightReport:
    """The report for cases submitted from `start` to `end` (inclusive, UTC dates).

    Anyone but an officer or administrator of the partnership's lead council is told there is no
    such partnership (NotFound), as for anything of another organisation's.
    """
    check_range(start, end)
    partnership = next((p for p in await partnerships_led_by(session, actor) if p.id == partnership_id), None)
    if partnership is None:
        raise NotFound("no such partnership")
    member_rows = await session.execute(
        select(Provider)
        .join(PartnershipMember, PartnershipMember.provider_id == Provider.id)
        .where(PartnershipMember.partnership_id == partnership.id)
    )
    members = {p.id: p for p in member_rows.scalars()}
    lead = await session.get(Provider, partnership.lead_provider_id)
    if lead is not None:
        members.setdefault(lead.id, lead)
    cases, decisions = await _partner_cases(session, tuple(members), start, end)
    partners = [
        _figures(p, p.id == partnership.lead_provider_id, cases.get(p.id, []), decisions)
        for p in members.values()
    ]
    partners.sort(key=lambda f: (not f.is_lead, f.name))
    return OversightReport(partnership.id, partnership.name, start, end, THRESHOLD, partners)


@dataclass(frozen=True)
class _Case:
    id: UUID
    status: str
    created_at: dt.datetime
    referred: bool


@dataclass(frozen=True)
class _Decision:
    case_id: UUID
    kind: str
    outcome: str
    with_conditions: bool
    decided_at: dt.datetime
    effective: bool
    countersigned: bool

    @property
    def took_effect(self) -> bool:
        """Approved, or refused and countersigned (a refusal an appeal overturned still counts)."""
        return self.kind == "decision" and (
            self.outcome == "approve" or (self.outcome == "refuse" and (self.effective or self.countersigned))
        )


async def _partner_cases(
    session: AsyncSession, provider_ids: tuple[UUID, ...], start: dt.date, end: dt.date
) -> tuple[dict[UUID, list[_Case]], dict[UUID, list[_Decision]]]:
    """The partners' cases and decisions in the range, as bare facts (no text, no names).

    Deliberately across organisations (ALL_PROVIDERS): the lead council's oversight of its
    partners is what issue 24 asks for; the caller checked the actor leads this partnership, and
    the route showing the result is audited. Only the partnership's members are read.
    """
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    across = {ALL_PROVIDERS: True}
    referred = exists().where(ScreeningMatch.case_id == VettingCase.id)
    rows = await session.execute(
        select(VettingCase.id, VettingCase.provider_id, VettingCase.status, VettingCase.created_at, referred)
        .where(
            VettingCase.provider_id.in_(provider_ids),
            VettingCase.created_at >= lo,
            VettingCase.created_at < hi,
        )
        .execution_options(**across)
    )
    cases: dict[UUID, list[_Case]] = {}
    for case_id, provider_id, status, created_at, was_referred in rows:
        cases.setdefault(provider_id, []).append(_Case(case_id, status, created_at, bool(was_referred)))
    ids = [c.id for group in cases.values() for c in group]
    decisions: dict[UUID, list[_Decision]] = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        found = await session.execute(
            select(
                Decision.case_id,
                Decision.kind,
                Decision.outcome,
                Decision.conditions,
                Decision.decided_at,
                Decision.effective,
                Decision.countersigned_at,
            )
            .where(Decision.case_id.in_(chunk))
            .execution_options(**across)
        )
        for case_id, kind, outcome, conditions, decided_at, effective, countersigned_at in found:
            decisions.setdefault(case_id, []).append(
                _Decision(
                    case_id,
                    kind,
                    outcome,
                    bool(conditions),
                    decided_at,
                    bool(effective),
                    countersigned_at is not None,
                )
            )
    return cases, decisions


def _figures(
    provider: Provider, is_lead: bool, cases: list[_Case], decisions: dict[UUID, list[_Decision]]
) -> PartnerFigures:
    statuses = Counter(c.status for c in cases)
    outcomes: Counter[str] = Counter()
    days: list[float] = []
    for case in cases:
        mine = sorted(decisions.get(case.id, []), key=lambda d: d.decided_at)
        # Days to the first decision that took effect; the outcome is the one in effect now.
        first_final = next((d for d in mine if d.took_effect), None)
        if first_final is not None:
            days.append((first_final.decided_at - case.created_at).total_seconds() / 86400)
        current = next(
            (d for d in reversed(mine) if d.took_effect and d.effective),
            None,
        )
        if current is not None:
            if current.outcome == "refuse":
                outcomes["refused"] += 1
            else:
                outcomes["approved_with_conditions" if current.with_conditions else "approved"] += 1
        if any(d.kind == "decision" and d.outcome == "request_information" for d in mine):
            outcomes["information_requested"] += 1
        for d in mine:
            if d.kind == "appeal" and d.outcome == AppealOutcome.REAPPROVED:
                outcomes["appeals_upheld"] += 1  # upheld and approved again: still upheld
            elif d.kind == "appeal" and d.outcome in (
                AppealOutcome.UPHELD,
                AppealOutcome.VARIED,
                AppealOutcome.DISMISSED,
            ):
                outcomes[f"appeals_{d.outcome}"] += 1
    outcomes["withdrawn"] = statuses[CaseStatus.WITHDRAWN]
    outcomes["cancelled"] = statuses[CaseStatus.CANCELLED]
    enough = len(cases) >= THRESHOLD
    return PartnerFigures(
        provider_id=provider.id,
        name=provider.name,
        kind=provider.kind,
        is_lead=is_lead,
        cases=Count.of(len(cases)),
        by_status={s.value: Count.of(statuses[s]) for s in CaseStatus},
        outcomes={name: Count.of(outcomes[name]) for name in OUTCOMES},
        referral_rate=round(sum(c.referred for c in cases) / len(cases), 3) if enough else None,
        median_days_to_decision=round(statistics.median(days), 1)
        if enough and len(days) >= THRESHOLD
        else None,
    )


def report_json(report: OversightReport) -> dict[str, Any]:
    return {
        "partnership_id": str(report.partnership_id),
        "partnership": report.partnership,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "suppression_threshold": report.threshold,
        "partners": [
            {
                "organisation_id": str(p.provider_id),
                "organisation": p.name,
                "kind": p.kind,
                "lead": p.is_lead,
                "cases": p.cases.json(),
                "by_status": {k: v.json() for k, v in p.by_status.items()},
                "outcomes": {k: v.json() for k, v in p.outcomes.items()},
                "referral_rate": p.referral_rate,
                "median_days_to_decision": p.median_days_to_decision,
            }
            for p in report.partners
        ],
    }
