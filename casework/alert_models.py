"""Persistence of staff alert preferences, alerts waiting for a digest, and the scheduled notices
already sent (issue 16, items 3 and 4)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from advanced_alchemy.base import BigIntBase, UUIDBase
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vetting.tenancy import scoped_by


class AlertPreference(UUIDBase):
    """How one member of staff wants one kind of alert: immediately, in the digest, or not at all.

    No row means "immediately" (the default); a row is written only when someone chooses."""

    __tablename__ = "alert_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_alert_preference_user_kind"),)

    # app_user belongs to the api package; the foreign key is by table name only.
    user_id: Mapped[UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    # The member of staff's organisation (None for a service administrator).
    provider_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    delivery: Mapped[str] = mapped_column(String(12))  # immediately, digest, off


class AlertDigestTime(UUIDBase):
    """When a member of staff's daily digest goes out, in UK local time (08:00 without a row)."""

    __tablename__ = "alert_digest_time"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), unique=True)
    provider_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    digest_at: Mapped[dt.time] = mapped_column(Time())


class DigestItem(UUIDBase):
    """An alert kept for a member of staff's next digest instead of being mailed at once."""

    __tablename__ = "alert_digest_item"
    __table_args__ = (Index("ix_alert_digest_item_pending", "user_id", "sent_at"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    provider_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    case_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("vetting_case.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    # The alert's subject and its link to the case, as the digest lists it.
    line: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    # The alert's own dedupe key: a scheduled alert kept twice is listed once.
    dedupe_key: Mapped[str | None] = mapped_column(String(250), nullable=True, unique=True)


class ScheduledNotice(BigIntBase):
    """A reminder, lapse, scheduled alert or digest that has been sent, by what it is about.

    Scheduled jobs may run twice or in two processes at once: each claims the notice's key
    (insert, or nothing when it is there) in the transaction that sends it, and only the one
    that claimed it sends. No organisation data: the key names ids and dates only."""

    __tablename__ = "scheduled_notice"

    key: Mapped[str] = mapped_column(String(250), unique=True)
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)


scoped_by(AlertPreference, lambda s: AlertPreference.provider_id.in_(s.ids))
scoped_by(AlertDigestTime, lambda s: AlertDigestTime.provider_id.in_(s.ids))
scoped_by(DigestItem, lambda s: DigestItem.provider_id.in_(s.ids))
