"""Append-only case history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.actors import Actor
from vetting.models import CaseEvent, VettingCase


def _event(
    case: VettingCase, actor: Actor, action: str, detail: dict[str, Any] | None, at: dt.datetime
) -> dict[str, Any]:
    return {
        "case_id": case.id,
        "at": at,
        "actor_id": actor.id,
        "actor_name": actor.name,
        "action": action,
        "detail": detail or {},
        "policy_id": case.policy_id,
        "policy_version": case.policy_version,
    }


async def record(
    session: AsyncSession, case: VettingCase, actor: Actor, action: str, detail: dict[str, Any] | None = None
) -> CaseEvent:
    event = CaseEvent(**_event(case, actor, action, detail, dt.datetime.now(dt.UTC)))
    # No flush here: events go in with the transaction's next flush, in the order they were added.
    session.add(event)
    return event


CASE_EVENTS = cast(Table, CaseEvent.__table__)
# On the table: the ORM-enabled INSERT of the entity cost about twice as much CPU per call.
_INSERT_EVENTS = insert(CASE_EVENTS)

Events = Sequence[tuple[Actor, str, dict[str, Any]]]


def event_rows(case: VettingCase, events: Events) -> list[dict[str, Any]]:
    """The history's rows for several events at once, in this order, for an INSERT on the table
    (`record_all`, or with a booking request's other new rows: vetting/new_rows.py)."""
    at = dt.datetime.now(dt.UTC)
    return [_event(case, actor, action, detail, at) for actor, action, detail in events]


async def record_all(session: AsyncSession, case: VettingCase, events: Events) -> None:
    """Several events at once, in this order, in one INSERT (after anything pending is flushed)."""
    rows = event_rows(case, events)
    # What is pending (the case, a decision, a date) goes in first, as an ORM INSERT would flush it.
    await session.flush()
    await session.execute(_INSERT_EVENTS, rows)


async def history(session: AsyncSession, case_id: Any) -> list[CaseEvent]:
    rows = await session.execute(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id))
    return list(rows.scalars())
