"""Persistence of the flagged list: its entries and the versions every change to it makes.

Split from vetting/models.py (which still imports and re-exports both), so that the case's
tables and the list's each have a module of their own.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from advanced_alchemy.base import BigIntBase, UUIDAuditBase
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vetting.tenancy import scoped_by


class FlaggedListVersion(BigIntBase):
    """Every change to the flagged list makes a new version with its counts."""

    __tablename__ = "flagged_list_version"

    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    source: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    actor_name: Mapped[str] = mapped_column(String(200))


class FlaggedEntry(UUIDAuditBase):
    """A name on the council's flagged list; deactivated with a reason, never deleted."""

    __tablename__ = "flagged_entry"
    __table_args__ = (UniqueConstraint("source", "source_ref", name="uq_flagged_entry_source_ref"),)

    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[list[str]] = mapped_column(JsonB, default=list)
    # Aliases the list itself marks as low quality: screened as the policy says, shown as such.
    weak_aliases: Mapped[list[str]] = mapped_column(JsonB, default=list)
    # Dates of birth the list gives (a person's), as vetting/birth_dates.py's canonical texts.
    births: Mapped[list[str] | None] = mapped_column(JsonB, nullable=True)
    # None: the service-wide list (published lists imported by a service administrator);
    # otherwise the council or partner that added it.
    provider_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    # Decides screening: the published list an import came from, or "local" for hand-added entries.
    source: Mapped[str] = mapped_column(String(80), index=True)
    source_ref: Mapped[str] = mapped_column(String(120))
    # Provenance only (what the officer named as the origin, e.g. "council records"); never screening.
    source_detail: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    listed_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    added_by: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    deactivated_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    deactivated_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    list_version: Mapped[int] = mapped_column(Integer)
    # Hash of kind, name and aliases: a clearance stays valid only while this is unchanged.
    content_hash: Mapped[str] = mapped_column(String(64))


# The service-wide list, the organisation's own additions, and those partners share with it.
scoped_by(
    FlaggedEntry,
    lambda s: (
        FlaggedEntry.provider_id.is_(None)
        | FlaggedEntry.provider_id.in_(s.ids + tuple(sorted(s.shared_flagged)))
    ),
)
