"""The outbox (every message, written in the transaction of the change that causes it) and the
record of scheduled work (which periodic or requested job has run for which period)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vetting.tenancy import scoped_by

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
RETRYING = "failed-retrying"
DEAD = "dead"
STATUSES = (PENDING, SENDING, SENT, RETRYING, DEAD)


class OutboxMessage(UUIDAuditBase):
    """One message to one person, from the commit that caused it until it is delivered or dead.

    The row is the source of truth: a queue (when there is one) only wakes the deliverers up, so
    nothing is lost if the queue loses its state. ``claimed_by``/``lease_expires_at`` say which
    deliverer holds it while sending: a crashed deliverer's claim lapses and another takes it."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_outbox_message_dedupe_key"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    provider_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    # The case's history lists its messages; they go with the case when retention removes it.
    case_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("vetting_case.id", ondelete="CASCADE"), nullable=True, index=True
    )
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text, nullable=True)
    channel: Mapped[str] = mapped_column(String(10), default="email")
    template: Mapped[str | None] = mapped_column(String(60), nullable=True)
    audience: Mapped[str] = mapped_column(String(10), default="hirer")
    dedupe_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The kind of failure and the server's reply code, never the message or the address.
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class ScheduledRun(UUIDAuditBase):
    """A job that ran (or is requested to run) for one period: unique per (job, period), so two
    processes never run the same period twice. Requested runs (``status`` "requested") are
    written in the transaction of the change that asks for them, like messages."""

    __tablename__ = "scheduled_run"
    __table_args__ = (UniqueConstraint("job", "period", name="uq_scheduled_run_job_period"),)

    job: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), index=True)  # "requested" or "done"
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    result: Mapped[int | None] = mapped_column(Integer, nullable=True)


scoped_by(OutboxMessage, lambda s: OutboxMessage.provider_id.in_(s.ids))
