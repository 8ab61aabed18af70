"""Partnerships and their sharing agreements: create, add and remove members, agree, withdraw.

Who may: a service administrator (staff without an organisation, role admin), and the
administrators of a partnership's lead council for that partnership. Others read the
partnerships their organisation belongs to and change nothing.

An agreement is *in force* from when it is recorded until it is withdrawn; withdrawing stops
sharing at once (vetting/sharing_scope.py reads only agreements in force, on every request). A
review date that has passed does not end it: the partnership agreed to share and only a
recorded withdrawal undoes that, so it stays in force and is shown as overdue for review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.actors import Actor
from vetting.errors import Conflict, Forbidden, Invalid, NotFound
from vetting.provider_directory import get_provider
from vetting.providers import Partnership, PartnershipMember, Provider, ProviderKind, SharingAgreement


class AgreementState(StrEnum):
    IN_FORCE = "in_force"
    OVERDUE = "overdue_for_review"  # still in force; its review date has passed
    WITHDRAWN = "withdrawn"


def agreement_state(agreement: SharingAgreement, today: dt.date | None = None) -> AgreementState:
    if agreement.withdrawn_at is not None:
        return AgreementState.WITHDRAWN
    today = today or dt.datetime.now(dt.UTC).date()
    return AgreementState.OVERDUE if agreement.review_date < today else AgreementState.IN_FORCE


@dataclass(frozen=True)
class PartnershipView:
    partnership: Partnership
    lead: Provider
    members: tuple[Provider, ...]
    agreements: tuple[SharingAgreement, ...]
    can_manage: bool


def may_manage(actor: Actor, partnership: Partnership) -> bool:
    return actor.is_service_admin or (
        actor.role == "admin" and actor.provider_id == partnership.lead_provider_id
    )


def _require_manager(actor: Actor, partnership: Partnership) -> None:
    if not may_manage(actor, partnership):
        raise Forbidden(
            "only service administrators and the lead council's administrators manage a partnership"
        )


async def get_partnership(session: AsyncSession, partnership_id: UUID) -> Partnership:
    found = await session.get(Partnership, partnership_id)
    if found is None:
        raise NotFound("no such partnership")
    return found


async def partnership_named(session: AsyncSession, name_or_id: str) -> Partnership:
    """A partnership by its id or its exact name (the command line names them)."""
    try:
        return await get_partnership(session, UUID(name_or_id))
    except ValueError:
        pass
    found = (
        (await session.execute(select(Partnership).where(Partnership.name == name_or_id.strip())))
        .scalars()
        .all()
    )
    if len(found) != 1:
        raise NotFound(
            f"no partnership named {name_or_id!r}"
            if not found
            else f"several partnerships named {name_or_id!r}; give its id"
        )
    return found[0]


async def create_partnership(
    session: AsyncSession, actor: Actor, *, name: str, lead_provider_id: UUID
) -> Partnership:
    """A partnership led by a council, which is its first member."""
    name = " ".join(name.split())
    if not name:
        raise Invalid("the partnership needs a name", {"name": "is required"})
    lead = await get_provider(session, lead_provider_id)
    if not ProviderKind(lead.kind).is_council:
        raise Invalid("a partnership is led by a council", {"lead": "must be a council"})
    if not (actor.is_service_admin or (actor.role == "admin" and actor.provider_id == lead.id)):
        raise Forbidden(
            "only service administrators and the council's own administrators start a partnership"
        )
    partnership = Partnership(id=uuid4(), name=name[:200], lead_provider_id=lead.id)
    session.add(partnership)
    await session.flush()
    session.add(PartnershipMember(partnership_id=partnership.id, provider_id=lead.id))
    await session.flush()
    return partnership


async def add_member(session: AsyncSession, actor: Actor, partnership_id: UUID, provider_id: UUID) -> None:
    partnership = await get_partnership(session, partnership_id)
    _require_manager(actor, partnership)
    await get_provider(session, provider_id)
    try:
        async with session.begin_nested():
            session.add(PartnershipMember(partnership_id=partnership.id, provider_id=provider_id))
            await session.flush()
    except IntegrityError:
        raise Conflict("that organisation is already a member") from None


async def remove_member(session: AsyncSession, actor: Actor, partnership_id: UUID, provider_id: UUID) -> None:
    """Take a member out; it shares and receives nothing under the partnership's agreements from now."""
    partnership = await get_partnership(session, partnership_id)
    _require_manager(actor, partnership)
    if provider_id == partnership.lead_provider_id:
        raise Invalid("the lead council cannot leave its own partnership", {"provider": "is the lead"})
    member = (
        await session.execute(
            select(PartnershipMember).where(
                PartnershipMember.partnership_id == partnership.id,
                PartnershipMember.provider_id == provider_id,
            )
        )
    ).scalar_one_or_none()
    if member is None:
        raise NotFound("that organisation is not a member")
    await session.delete(member)
    await session.flush()


async def record_agreement(
    session: AsyncSession,
    actor: Actor,
    partnership_id: UUID,
    *,
    reference: str,
    review_date: dt.date,
    shares_flagged: bool,
    shares_findings: bool,
    note: str | None = None,
    today: dt.date | None = None,
) -> SharingAgreement:
    partnership = await get_partnership(session, partnership_id)
    _require_manager(actor, partnership)
    reference = " ".join(reference.split())
    errors: dict[str, str] = {}
    if not reference:
        errors["reference"] = "is required (the agreement's own reference)"
    if review_date < (today or dt.datetime.now(dt.UTC).date()):
        errors["review_date"] = "must not be in the past"
    if not (shares_flagged or shares_findings):
        errors["shares"] = "choose what is shared: flagged-list entries, findings or both"
    if errors:
        raise Invalid("the sharing agreement is not valid", errors)
    agreement = SharingAgreement(
        id=uuid4(),
        partnership_id=partnership.id,
        reference=reference[:80],
        review_date=review_date,
        shares_flagged=shares_flagged,
        shares_findings=shares_findings,
        recorded_by=actor.name[:200],
        note=(note or "").strip() or None,
    )
    session.add(agreement)
    await session.flush()
    return agreement


async def get_agreement(session: AsyncSession, agreement_id: UUID) -> SharingAgreement:
    found = await session.get(SharingAgreement, agreement_id)
    if found is None:
        raise NotFound("no such sharing agreement")
    return found


async def agreement_by_reference(session: AsyncSession, reference_or_id: str) -> SharingAgreement:
    try:
        return await get_agreement(session, UUID(reference_or_id))
    except ValueError:
        pass
    found = (
        (
            await session.execute(
                select(SharingAgreement).where(
                    SharingAgreement.reference == reference_or_id.strip(),
                    SharingAgreement.withdrawn_at.is_(None),
                )
            )
        )
        .scalars()
        .all()
    )
    if len(found) != 1:
        raise NotFound(
            f"no agreement in force with the reference {reference_or_id!r}"
            if not found
            else f"several agreements have the reference {reference_or_id!r}; give its id"
        )
    return found[0]


async def withdraw_agreement(
    session: AsyncSession, actor: Actor, agreement_id: UUID, *, now: dt.datetime | None = None
) -> SharingAgreement:
    """Sharing under the agreement stops at once; the record stays, with who withdrew it and when."""
    agreement = await get_agreement(session, agreement_id)
    _require_manager(actor, await get_partnership(session, agreement.partnership_id))
    if agreement.withdrawn_at is None:
        agreement.withdrawn_at = now or dt.datetime.now(dt.UTC)
        agreement.withdrawn_by = actor.name[:200]
        await session.flush()
    return agreement


async def list_partnerships(session: AsyncSession, actor: Actor) -> list[PartnershipView]:
    """Every partnership for a service administrator (or the system); otherwise those the
    actor's organisation belongs to."""
    query = select(Partnership).order_by(Partnership.name, Partnership.id)
    if not (actor.is_service_admin or actor.role == "system"):
        if actor.provider_id is None:
            return []
        query = query.where(
            Partnership.id.in_(
                select(PartnershipMember.partnership_id).where(
                    PartnershipMember.provider_id == actor.provider_id
                )
            )
        )
    partnerships = list((await session.execute(query)).scalars())
    ids = [p.id for p in partnerships]
    member_rows = (
        await session.execute(
            select(PartnershipMember.partnership_id, Provider)
            .join(Provider, Provider.id == PartnershipMember.provider_id)
            .where(PartnershipMember.partnership_id.in_(ids))
            .order_by(Provider.name)
        )
    ).all()
    agreements: Sequence[SharingAgreement] = (
        (
            await session.execute(
                select(SharingAgreement)
                .where(SharingAgreement.partnership_id.in_(ids))
                .order_by(SharingAgreement.created_at)
            )
        )
        .scalars()
        .all()
    )
    views = []
    for p in partnerships:
        members = tuple(prov for pid, prov in member_rows if pid == p.id)
        lead = next((m for m in members if m.id == p.lead_provider_id), None) or await get_provider(
            session, p.lead_provider_id
        )
        views.append(
            PartnershipView(
                partnership=p,
                lead=lead,
                members=members,
                agreements=tuple(a for a in agreements if a.partnership_id == p.id),
                can_manage=may_manage(actor, p),
            )
        )
    return views
