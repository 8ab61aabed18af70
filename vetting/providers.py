"""Councils and partner organisations (the tenants), their partnerships and sharing agreements.

A *provider* owns venues, staff, its own flagged-list additions and its cases. Providers in a
*partnership* (a county council and its district councils, trusts, schools and halls) may agree
to share two things only, each recorded as a `SharingAgreement` with its reference and review
date: the flagged-list entries each adds, and the fact that an organisation or person was refused
or had a match confirmed (never the case's documents or free text).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase, UUIDBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from vetting.tenancy import Scope, plain, scoped_by


class ProviderKind(StrEnum):
    COUNTY_COUNCIL = "county_council"
    DISTRICT_COUNCIL = "district_council"
    UNITARY_COUNCIL = "unitary_council"
    LEISURE_TRUST = "leisure_trust"
    LIBRARY_TRUST = "library_trust"
    SCHOOL = "school"
    CHARITY = "charity"
    FAITH = "faith"
    OTHER = "other"

    @property
    def is_council(self) -> bool:
        return self.value.endswith("_council")


class Provider(UUIDAuditBase):
    """A council or partner organisation that offers rooms and vets who hires them."""

    __tablename__ = "provider"

    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    contact_email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Branding on its public pages and messages; the colour is a CSS hex colour such as #1d70b8.
    logo_url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    colour: Mapped[str | None] = mapped_column(String(7), nullable=True)
    # Where it has a host name of its own, links in its messages and feeds use it.
    base_url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Policies its venues may use (ids of bundled or uploaded policies); empty means any.
    policy_ids: Mapped[list[str]] = mapped_column(JsonB, default=list)
    # Message texts it words its own way, by message name (see casework/messages.py).
    message_templates: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Partnership(UUIDAuditBase):
    """A lead council and its partners (for example a county's Prevent partnership)."""

    __tablename__ = "partnership"

    name: Mapped[str] = mapped_column(String(200))
    lead_provider_id: Mapped[UUID] = mapped_column(ForeignKey("provider.id", ondelete="RESTRICT"), index=True)


class PartnershipMember(UUIDBase):
    __tablename__ = "partnership_member"
    __table_args__ = (UniqueConstraint("partnership_id", "provider_id", name="uq_partnership_member"),)

    partnership_id: Mapped[UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[UUID] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"), index=True)


class SharingAgreement(UUIDAuditBase):
    """What a partnership's members agreed to share, under which reference, until reviewed."""

    __tablename__ = "sharing_agreement"

    partnership_id: Mapped[UUID] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(80))
    review_date: Mapped[dt.date] = mapped_column(Date)
    shares_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    shares_findings: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    withdrawn_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


def _partnerships_of(s: Scope) -> Any:
    member = plain(PartnershipMember)
    return select(member.c.partnership_id).where(member.c.provider_id.in_(s.ids))


# A partnership and its agreements are seen by its members only; the membership rows themselves
# are not narrowed, so a member sees who its partners are.
scoped_by(Partnership, lambda s: Partnership.id.in_(_partnerships_of(s)))
scoped_by(SharingAgreement, lambda s: SharingAgreement.partnership_id.in_(_partnerships_of(s)))
