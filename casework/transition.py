"""The one way a case changes status: `next_status` on the lifecycle table, then an UPDATE guarded
on the case's revision and status, so of two concurrent callers only one wins (the other gets 409),
and the change lands in the case history; money follows (`casework.charging`: an invoice on
confirmation, a credit note on cancellation)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from casework.charging import after_transition
from vetting.actors import Actor
from vetting.errors import Conflict
from vetting.history import record
from vetting.lifecycle import CaseStatus, next_status
from vetting.models import VettingCase


async def transition(
    session: AsyncSession,
    case: VettingCase,
    action: str,
    actor: Actor,
    detail: dict[str, Any] | None = None,
    *,
    expected_revision: int | None = None,
) -> CaseStatus:
    before = case.status
    new_status = next_status(case.status, action)
    revision = case.revision if expected_revision is None else expected_revision
    result = await session.execute(
        update(VettingCase)
        .where(VettingCase.id == case.id, VettingCase.revision == revision, VettingCase.status == case.status)
        .values(status=new_status.value, revision=revision + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE has rowcount
        raise Conflict("the case has already moved on; reload it")
    await session.refresh(case)
    await record(session, case, actor, action, detail)
    await after_transition(session, case, before, new_status, action)
    return new_status


async def bump_revision(session: AsyncSession, case: VettingCase, expected: int) -> None:
    """Move the revision on without a status change (a refusal waiting for its countersignature),
    so a concurrent decision on the same case loses."""
    await session.execute(
        update(VettingCase)
        .where(VettingCase.id == case.id, VettingCase.revision == expected)
        .values(revision=expected + 1)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(case)
    if case.revision != expected + 1:
        raise Conflict("the case has already moved on; reload it")
