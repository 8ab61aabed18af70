"""API tokens: create (named, expiring), list, revoke one, and look one up for a request.

Only the SHA-256 of a token is stored. A token answers 401 once it is revoked or past its
expiry date, or when its user is disabled. `last_used_at` is written at most once per
`LAST_USED_RESOLUTION` per token: a client calling many times a second costs no write per call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.tokens import new_token, token_hash
from api.models import ApiToken, User
from vetting.errors import Invalid, NotFound

DEFAULT_NAME = "API token"
DEFAULT_EXPIRES_IN_DAYS = 90
MAX_EXPIRES_IN_DAYS = 366
NAME_MAX = 100
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown about a token: never the token or its hash."""

    id: UUID
    user_id: UUID
    email: str
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def state(self, now: dt.datetime | None = None) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if _aware(self.expires_at) <= (now or utcnow()):
            return "expired"
        return "active"


async def create_api_token(
    session: AsyncSession,
    user: User,
    *,
    name: str | None = None,
    expires_in_days: int = DEFAULT_EXPIRES_IN_DAYS,
) -> str:
    """A new token for `user`; returns the token itself, which is not kept anywhere."""
    label = (name or "").strip() or f"{DEFAULT_NAME} {utcnow():%Y-%m-%d}"
    errors: dict[str, str] = {}
    if len(label) > NAME_MAX:
        errors["name"] = f"must be at most {NAME_MAX} characters"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in label):
        errors["name"] = "must not contain control characters"
    if not 1 <= expires_in_days <= MAX_EXPIRES_IN_DAYS:
        errors["expires_in_days"] = f"must be between 1 and {MAX_EXPIRES_IN_DAYS} days"
    if not user.active:
        errors["email"] = "the user is disabled"
    if errors:
        raise Invalid("the API token is not valid", errors)
    token = new_token()
    session.add(
        ApiToken(
            user_id=user.id,
            name=label,
            token_hash=token_hash(token),
            expires_at=utcnow() + dt.timedelta(days=expires_in_days),
        )
    )
    await session.flush()
    return token


async def list_api_tokens(session: AsyncSession, *, user_id: UUID | None = None) -> list[TokenInfo]:
    query = (
        select(ApiToken, User.email)
        .join(User, User.id == ApiToken.user_id)
        .order_by(User.email, ApiToken.created_at.desc())
    )
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return [
        TokenInfo(
            id=token.id,
            user_id=token.user_id,
            email=email,
            name=token.name,
            created_at=_aware(token.created_at),
            expires_at=_aware(token.expires_at),
            last_used_at=_aware(token.last_used_at) if token.last_used_at else None,
            revoked_at=_aware(token.revoked_at) if token.revoked_at else None,
        )
        for token, email in (await session.execute(query)).all()
    ]


async def revoke_api_token(session: AsyncSession, token_id: UUID) -> ApiToken:
    """Revoke one token (revoking it again changes nothing)."""
    token = await session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no API token {token_id}")
    token.revoked_at = token.revoked_at or utcnow()
    await session.flush()
    return token


async def user_for_bearer(session: AsyncSession, raw: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user a live token belongs to, noting its use (at most once a minute)."""
    now = now or utcnow()
    row = (
        await session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(
                ApiToken.token_hash == token_hash(raw),
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at > now,
                User.active.is_(True),
            )
        )
    ).one_or_none()
    if row is None:
        return None
    token: ApiToken = row[0]
    user: User = row[1]
    if token.last_used_at is None or _aware(token.last_used_at) <= now - LAST_USED_RESOLUTION:
        # Conditional, so two processes seeing the same token in the same minute write once.
        await session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == token.id,
                or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USED_RESOLUTION),
            )
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
    return user
