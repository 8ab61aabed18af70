"""A case's decisions: reading them (the effective one, a refusal waiting for countersignature,
the appeal), writing one under the case's policy version, and the policy's rules on what a
decision may carry (conditions from the catalogue, refusal grounds)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from casework.decision_effect import stamp_made
from policies import Policy
from vetting.actors import Actor
from vetting.errors import Invalid
from vetting.lifecycle import Outcome
from vetting.models import Decision, VettingCase


async def decisions(session: AsyncSession, case_id: UUID) -> list[Decision]:
    rows = await session.execute(
        select(Decision).where(Decision.case_id == case_id).order_by(Decision.decided_at)
    )
    return list(rows.scalars())


async def effective_decision(session: AsyncSession, case_id: UUID) -> Decision | None:
    effective = [
        d for d in await decisions(session, case_id) if d.effective and d.kind in ("decision", "cancellation")
    ]
    return effective[-1] if effective else None


async def pending_refusal(session: AsyncSession, case_id: UUID) -> Decision | None:
    for d in await decisions(session, case_id):
        if (
            d.kind == "decision"
            and d.outcome == Outcome.REFUSE
            and not d.effective
            and d.countersigned_at is None
        ):
            return d
    return None


async def latest_appeal(session: AsyncSession, case_id: UUID) -> Decision | None:
    appeals = [d for d in await decisions(session, case_id) if d.kind == "appeal"]
    return appeals[-1] if appeals else None


async def took_part(session: AsyncSession, case_id: UUID) -> set[UUID]:
    """The officers who took part in the case's decisions: each proposer and each countersigner
    (agreeing or not). None of them may decide its appeal."""
    part: set[UUID] = set()
    for d in await decisions(session, case_id):
        if d.kind == "decision":
            part |= {i for i in (d.officer_id, d.countersigned_by_id) if i is not None}
    return part


def new_decision(
    case: VettingCase, actor: Actor, policy: Policy, now: dt.datetime, **fields: Any
) -> Decision:
    """A decision by `actor` under the case's policy version (kind, outcome, reason... in `fields`)."""
    decision = Decision(
        case_id=case.id,
        provider_id=case.provider_id,
        officer_id=actor.id,
        officer_name=actor.name,
        decided_at=now,
        policy_id=policy.id,
        policy_version=str(policy.version),
        **fields,
    )
    stamp_made(decision)
    return decision


def validate_conditions(policy: Policy, raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    catalogue = {c.code: c for c in policy.conditions}
    out: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for i, item in enumerate(raw):
        code = str(item.get("code") or "")
        entry = catalogue.get(code)
        if entry is None:
            errors[f"conditions.{i}.code"] = f"not in the policy's catalogue: {code!r}"
            continue
        if code in seen:
            errors[f"conditions.{i}.code"] = "listed twice"
            continue
        seen.add(code)
        rationale = (item.get("rationale") or "").strip() or None
        if entry.rationale_required and not rationale:
            errors[f"conditions.{i}.rationale"] = "this condition needs a rationale"
        text = (item.get("text") or "").strip() or entry.text
        out.append({"code": code, "text": text, "rationale": rationale})
    if errors:
        raise Invalid("the conditions are not valid", errors)
    return out


def validate_ground(policy: Policy, code: str | None, reason: str) -> str:
    grounds = {g.code for g in policy.refusal_grounds}
    errors: dict[str, str] = {}
    if not code or code not in grounds:
        errors["reason_code"] = f"a refusal needs one of the policy's grounds: {', '.join(sorted(grounds))}"
    if not reason:
        errors["reason"] = "give the reasons for the refusal"
    if errors:
        raise Invalid("the refusal is not valid", errors)
    assert code is not None
    return code
