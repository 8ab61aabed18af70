"""A hirer's private status links: several per case, each stored only as a hash.

Every message to a hirer carries a fresh link (casework/messages.py::mail_hirer), and a hirer
who lost theirs can have one mailed again (casework/link_recovery.py). Any link of the case
that has not been revoked opens the status page; the hirer can revoke all but the one they are
using (a link forwarded or left in a shared mailbox).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, String, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vetting.models import VettingCase, of_scoped_case
from vetting.tenancy import scoped_by
from vetting.tokens import new_token, token_hash


class StatusLink(UUIDBase):
    """One private link to a case's status page (the token itself is never stored)."""

    __tablename__ = "status_link"

    case_id: Mapped[UUID] = mapped_column(ForeignKey("vetting_case.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    # Never loaded (lazy="raise"): there so that one flush inserts a new case before its first link.
    case: Mapped[VettingCase] = relationship(lazy="raise", foreign_keys=[case_id])


def new_link(case_id: UUID, now: dt.datetime, token: str | None = None) -> tuple[str, StatusLink]:
    """A fresh token and its row (added to the session by the caller)."""
    token = token or new_token()
    return token, StatusLink(case_id=case_id, token_hash=token_hash(token), created_at=now)


def mint(session: AsyncSession, case_id: UUID, now: dt.datetime) -> str:
    """A fresh link for `case_id`, written with the caller's transaction; returns the token."""
    token, row = new_link(case_id, now)
    session.add(row)
    return token


async def case_for_token(session: AsyncSession, token: str) -> VettingCase | None:
    """The case a link that has not been revoked opens, else None."""
    found = await session.execute(
        select(VettingCase)
        .join(StatusLink, StatusLink.case_id == VettingCase.id)
        .where(StatusLink.token_hash == token_hash(token), StatusLink.revoked_at.is_(None))
    )
    return found.scalar_one_or_none()


async def case_id_for_token(session: AsyncSession, token: str) -> UUID | None:
    """The case a link names, revoked or not (for the audit record of a request)."""
    found = await session.execute(
        select(StatusLink.case_id).where(StatusLink.token_hash == token_hash(token))
    )
    return found.scalar_one_or_none()


async def revoke_others(session: AsyncSession, case_id: UUID, keep_token: str, now: dt.datetime) -> int:
    """Revoke every live link of the case but `keep_token`'s; returns how many were revoked."""
    result: Any = await session.execute(
        update(StatusLink)
        .where(
            StatusLink.case_id == case_id,
            StatusLink.revoked_at.is_(None),
            StatusLink.token_hash != token_hash(keep_token),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


async def live_count(session: AsyncSession, case_id: UUID) -> int:
    count = await session.execute(
        select(func.count()).where(StatusLink.case_id == case_id, StatusLink.revoked_at.is_(None))
    )
    return int(count.scalar_one())


# A link belongs to its case's council or partner, as the case's history does.
scoped_by(StatusLink, lambda s: of_scoped_case(StatusLink.case_id, s))
