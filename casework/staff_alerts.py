"""Who is alerted about a case, and how: each recipient's choice for the kind of alert decides
whether the alert is mailed now (`messages.mail_staff`), kept for their daily digest, or dropped.

Recipients are found with their choice in one statement per alert. The users and their venues
belong to the api package, which casework must not import: plain SQL over those tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import String, bindparam, column, text

from casework.alert_models import DigestItem
from casework.alert_preferences import DIGEST, IMMEDIATELY, effective_delivery
from casework.delegation import DELEGATED_TO_MANAGERS, delegated_tier
from casework.deps import CaseDeps, utcnow
from casework.messages import Message, mail_staff, sender_of, word
from policies import Policy
from vetting import direct_sql
from vetting.models import VettingCase
from vetting.policy_store import policy_version

_COLUMNS = (column("id", GUID), column("email", String), column("delivery", String))
_OFFICERS = (
    text(
        "SELECT u.id, u.email, p.delivery FROM app_user u"
        " LEFT JOIN alert_preference p ON p.user_id = u.id AND p.kind = :kind"
        " WHERE u.role IN ('officer', 'admin') AND u.active = :active AND u.provider_id = :provider"
        " ORDER BY u.email"
    )
    .bindparams(bindparam("provider", type_=GUID))
    .columns(*_COLUMNS)
)
_MANAGERS = (
    text(
        "SELECT u.id, u.email, p.delivery FROM app_user u"
        " JOIN user_venue uv ON uv.user_id = u.id"
        " LEFT JOIN alert_preference p ON p.user_id = u.id AND p.kind = :kind"
        " WHERE uv.venue_id = :venue AND u.role = 'venue_manager' AND u.active = :active"
        " ORDER BY u.email"
    )
    .bindparams(bindparam("venue", type_=GUID))
    .columns(*_COLUMNS)
)
_VENUE_OF_CASE = (
    text("SELECT r.venue_id FROM booking b JOIN room r ON r.id = b.room_id WHERE b.case_id = :case")
    .bindparams(bindparam("case", type_=GUID))
    .columns(column("venue_id", GUID))
)


@dataclass(frozen=True)
class Recipient:
    id: UUID
    email: str
    delivery: str  # immediately or digest ("off" recipients are left out)
    manager: bool = False  # venue managers follow their venues on /manager, not the officer pages


def _recipients(rows: Sequence[tuple[UUID, str, str | None]], kind: str, *, manager: bool) -> list[Recipient]:
    out = []
    for user_id, email, chosen in rows:
        delivery = effective_delivery(kind, chosen)
        if delivery in (IMMEDIATELY, DIGEST):
            out.append(Recipient(user_id, email, delivery, manager))
    return out


async def officers(
    deps: CaseDeps, case: VettingCase, kind: str, *, exclude: UUID | None = None
) -> list[Recipient]:
    """The active officers and administrators of the case's council or partner who want `kind`."""
    rows = await direct_sql.rows(
        deps.session, _OFFICERS, {"kind": kind, "active": True, "provider": case.provider_id}
    )
    return [r for r in _recipients(rows, kind, manager=False) if r.id != exclude]


async def venue_managers(deps: CaseDeps, venue_id: UUID, kind: str) -> list[Recipient]:
    rows = await deps.session.execute(_MANAGERS, {"kind": kind, "active": True, "venue": venue_id})
    return _recipients(rows.tuples().all(), kind, manager=True)


async def venue_of(deps: CaseDeps, case: VettingCase) -> UUID | None:
    return (await deps.session.execute(_VENUE_OF_CASE, {"case": case.id})).scalar_one_or_none()


_POLICIES = "casework.staff_alerts.policies"


async def policy_of(deps: CaseDeps, case: VettingCase) -> Policy:
    """The policy version the case was checked against, read once per session and version."""
    known: dict[tuple[str, str], Policy] = deps.session.info.setdefault(_POLICIES, {})
    key = (case.policy_id, case.policy_version)
    if key not in known:
        known[key] = await policy_version(deps.session, case.policy_id, case.policy_version)
    return known[key]


async def deciders(
    deps: CaseDeps,
    case: VettingCase,
    kind: str,
    *,
    venue_id: UUID | None = None,
    policy: Policy | None = None,
) -> list[Recipient]:
    """Who decides the case: the venue's managers where the policy delegates the case's tier to
    them (and the venue has any), otherwise the officers of the venue's owner."""
    policy = policy or await policy_of(deps, case)
    if delegated_tier(policy, case.tier):
        venue_id = venue_id or await venue_of(deps, case)
        managers = await venue_managers(deps, venue_id, kind) if venue_id else []
        if managers:
            return managers
    return await officers(deps, case, kind)


async def alert(
    deps: CaseDeps,
    case: VettingCase,
    recipients: Sequence[Recipient],
    message: Message,
    *,
    dedupe_key: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Mail `message` now to those who want it immediately; keep it for the others' digests."""
    if not recipients:
        return
    sender = await sender_of(deps, case.provider_id)
    officer_url = f"{sender.base_url}/officer/cases/{case.id}"
    manager_url = f"{sender.base_url}/manager"
    if any(r.manager for r in recipients) and delegated_tier(await policy_of(deps, case), case.tier):
        # The managers decide this case: their own page of it (casework/manager_cases.py).
        manager_url = f"{sender.base_url}/manager/cases/{case.id}"
    for manager, url in ((False, officer_url), (True, manager_url)):
        group = [r for r in recipients if r.manager is manager]
        now_list = [r.email for r in group if r.delivery == IMMEDIATELY]
        if now_list:
            # mail_staff fills case_url with the officer page; managers get their own page.
            own = Message(message.name, message.fields | ({"case_url": url} if manager else {}))
            await mail_staff(deps, case, now_list, own, dedupe_key=dedupe_key)
        later = [r for r in group if r.delivery == DIGEST]
        if later:
            filled = Message(
                message.name, {"organisation": sender.organisation, "case_url": url} | message.fields
            )
            subject, _ = word(filled, sender.templates)
            at = now or utcnow()
            deps.session.add_all(
                DigestItem(
                    user_id=r.id,
                    provider_id=case.provider_id,
                    case_id=case.id,
                    kind=message.name,
                    line=f"{subject}: {url}",
                    created_at=at,
                    dedupe_key=f"{dedupe_key}:{r.id}" if dedupe_key else None,
                )
                for r in later
            )


__all__ = [
    "DELEGATED_TO_MANAGERS",
    "Recipient",
    "alert",
    "deciders",
    "officers",
    "policy_of",
    "venue_managers",
    "venue_of",
]
