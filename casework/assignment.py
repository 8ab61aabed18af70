"""Assigning a case to the officer who will work it, and taking it back.

Who may assign (issue 17): any officer may take a case themselves (and give back their own);
assigning a case to someone else, or taking it from someone else, is for a senior officer, which
in this service is an administrator (role ``admin``) of the case's council or partner, or a
service administrator. No new flag on staff users: the councils we asked already make their team
leaders administrators, and one less setting cannot drift out of step with the staff list.

The officer assigned must be an active officer or administrator of the case's own council or
partner. The case row keeps who has it and since when (for the queue); the history keeps who
assigned it to whom, and when, every time.

Staff users belong to the api package, which casework must not import: plain SQL over app_user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import Boolean, String, bindparam, column, text
from sqlalchemy.ext.asyncio import AsyncSession

from casework.deps import CaseDeps, get_case, utcnow
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid
from vetting.history import record
from vetting.models import VettingCase

ASSIGNABLE_ROLES = ("officer", "admin")
_STAFF = (
    text("SELECT u.id, u.name, u.role, u.provider_id, u.active FROM app_user u WHERE u.id = :id")
    .bindparams(bindparam("id", type_=GUID))
    .columns(
        column("id", GUID),
        column("name", String),
        column("role", String),
        column("provider_id", GUID),
        column("active", Boolean),
    )
)
_OFFICERS = "SELECT u.id, u.name FROM app_user u WHERE u.role IN ('officer', 'admin') AND u.active = :active"
_OFFICERS_OF = (
    text(_OFFICERS + " AND u.provider_id = :provider ORDER BY u.name")
    .bindparams(bindparam("provider", type_=GUID))
    .columns(column("id", GUID), column("name", String))
)
_ALL_OFFICERS = text(_OFFICERS + " ORDER BY u.name").columns(column("id", GUID), column("name", String))


@dataclass(frozen=True)
class StaffMember:
    id: UUID
    name: str
    role: str
    provider_id: UUID | None
    active: bool


def is_senior(actor: Actor) -> bool:
    """May assign cases to others: an administrator (of an organisation, or of the service)."""
    return actor.role == "admin"


async def staff_member(deps: CaseDeps, user_id: UUID) -> StaffMember | None:
    row = (await deps.session.execute(_STAFF, {"id": user_id})).tuples().one_or_none()
    return StaffMember(*row) if row is not None else None


async def assignable_officers(session: AsyncSession, provider_id: UUID | None) -> list[tuple[UUID, str]]:
    """Active officers and administrators of one council or partner (every one when None), by name."""
    if provider_id is None:
        rows = await session.execute(_ALL_OFFICERS, {"active": True})
    else:
        rows = await session.execute(_OFFICERS_OF, {"provider": provider_id, "active": True})
    return list(rows.tuples().all())


async def assign(
    deps: CaseDeps, actor: Actor, case_id: UUID, assignee_id: UUID | None, *, now: dt.datetime | None = None
) -> VettingCase:
    """Give the case to `assignee_id` (None: to nobody). The case is found through the actor's
    scoped session, so a case of another organisation is not found (404)."""
    if not actor.is_officer or actor.id is None:
        raise Forbidden("only officers assign cases")
    now = now or utcnow()
    case = await get_case(deps, case_id)
    current = case.assigned_to_id
    if assignee_id == current:
        return case  # nothing changes, nothing recorded
    senior = is_senior(actor)
    if assignee_id is not None and assignee_id != actor.id and not senior:
        raise Forbidden("only an administrator may assign a case to another officer")
    if current is not None and current != actor.id and not senior:
        raise Forbidden(
            f"this case is assigned to {case.assigned_to_name}; ask an administrator to reassign it"
        )
    name: str | None = None
    if assignee_id is not None:
        member = await staff_member(deps, assignee_id)
        if (
            member is None
            or not member.active
            or member.role not in ASSIGNABLE_ROLES
            or (member.provider_id is not None and member.provider_id != case.provider_id)
        ):
            raise Invalid(
                "choose an officer of the council or partner that owns the venue",
                {"assignee_id": "is not an active officer of this case's council or partner"},
            )
        name = member.name
    detail = {"to_id": str(assignee_id) if assignee_id else None, "to": name, "from": case.assigned_to_name}
    case.assigned_to_id, case.assigned_to_name = assignee_id, name
    case.assigned_at = now if assignee_id is not None else None
    await record(deps.session, case, actor, "assigned" if assignee_id is not None else "unassigned", detail)
    await deps.session.flush()
    return case
