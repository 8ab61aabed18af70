"""Failed sign-ins on an account, kept for its owner to see, and throttling in the audit log.

A failure is recorded only against an existing account, with its time and the step that failed
(password, code or re-authentication) and no address: the owner sees, after signing in, how many
attempts failed since their previous sign-in and when. Rows go after `KEEP_FOR`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit import append
from api.auth.throttle import Throttled
from api.models import LoginFailure, User

KEEP_FOR = dt.timedelta(days=30)
SHOWN_TIMES = 10


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class FailureSummary:
    count: int
    latest: list[dt.datetime]  # newest first, at most SHOWN_TIMES
    since: dt.datetime


async def account_id(session: AsyncSession, email: str) -> UUID | None:
    found: UUID | None = (
        await session.execute(select(User.id).where(User.email == email.strip().lower()))
    ).scalar_one_or_none()
    return found


async def forget_old_failures(session: AsyncSession, user_id: UUID) -> None:
    """Done at each failure and each sign-in, so nothing is kept longer than `KEEP_FOR` for
    anyone who uses the service."""
    await session.execute(
        delete(LoginFailure).where(LoginFailure.user_id == user_id, LoginFailure.at < utcnow() - KEEP_FOR)
    )


async def record_failure(session: AsyncSession, user_id: UUID, stage: str) -> None:
    await forget_old_failures(session, user_id)
    session.add(LoginFailure(user_id=user_id, at=utcnow(), stage=stage))
    await session.flush()


async def failures_since(session: AsyncSession, user_id: UUID, since: dt.datetime | None) -> FailureSummary:
    """Failures after `since` (the previous sign-in), or over the whole kept period."""
    start = max(_aware(since), utcnow() - KEEP_FOR) if since else utcnow() - KEEP_FOR
    where = (LoginFailure.user_id == user_id, LoginFailure.at > start)
    count = int((await session.execute(select(func.count()).where(*where))).scalar_one())
    latest = [
        _aware(at)
        for at in (
            await session.execute(
                select(LoginFailure.at).where(*where).order_by(LoginFailure.at.desc()).limit(SHOWN_TIMES)
            )
        ).scalars()
    ]
    return FailureSummary(count=count, latest=latest, since=start)


async def audit_throttled(session: AsyncSession, throttled: list[Throttled], user_id: UUID | None) -> None:
    """One hash-chained audit record per limit that a failure has just engaged.

    The record names the account (by id, when it exists) and the limit, never the email or the
    address, like every record in the audit log.
    """
    for item in throttled:
        await append(
            session,
            actor="anonymous",
            action="login_throttled",
            object_type="user" if user_id is not None and item.kind != "address" else "sign_in",
            object_id=str(user_id) if user_id is not None and item.kind != "address" else "",
            detail={"limit": item.kind, "failures": item.failures, "wait_seconds": item.wait_seconds},
        )
