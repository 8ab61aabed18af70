"""Staff accounts, API tokens, browser sessions, the audit log and idempotency records."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from advanced_alchemy.base import BigIntBase, UUIDAuditBase, UUIDBase
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from vetting.tenancy import plain, scoped_by


class User(UUIDAuditBase):
    """A member of staff: admin, officer or venue manager."""

    __tablename__ = "app_user"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # Whose staff: roles apply within this organisation. None only for a service administrator.
    provider_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The last TOTP time step accepted: a code is good once, whichever process sees it.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # When the user last signed in fully: failed attempts since then are shown at the next sign-in.
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class UserVenue(UUIDBase):
    """A venue a venue manager looks after."""

    __tablename__ = "user_venue"
    __table_args__ = (UniqueConstraint("user_id", "venue_id", name="uq_user_venue"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    venue_id: Mapped[UUID] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), index=True)


class ApiToken(UUIDAuditBase):
    """A bearer token for API clients; only its SHA-256 is stored.

    Every token expires; `last_used_at` is written at most once a minute per token, so a busy
    client does not cost a write per request.
    """

    __tablename__ = "api_token"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class LoginFailure(BigIntBase):
    """A failed sign-in (password, code or re-authentication) on an existing account.

    No address is kept: the row only lets the account's owner see, at their next sign-in, how
    many attempts failed and when. Rows older than `api.auth.failures.KEEP_FOR` are removed.
    """

    __tablename__ = "login_failure"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    stage: Mapped[str] = mapped_column(String(20))


class WebSession(UUIDAuditBase):
    """A signed-in browser session held on the server; the cookie carries only a random id."""

    __tablename__ = "web_session"

    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))


class AuditRecord(BigIntBase):
    """Append-only, hash-chained record of who viewed or changed a case or the flagged list."""

    __tablename__ = "audit_record"
    # The head of one organisation's chain (api/audit.py): its last record by id, from one index
    # entry (migration d21purge0001).
    __table_args__ = (Index("ix_audit_record_provider_chain", "provider_id", "id"),)

    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(80))
    # Whose record: a council or partner reads its own; None for service-wide actions.
    provider_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


class IdempotencyRecord(UUIDBase):
    """One `Idempotency-Key` of one caller (api/idempotency.py): the request it named and its answer.

    Unique per (caller scope, key), so two requests with one key cannot both run. The answer
    (it holds the hirer's private token) is kept sealed with a key derived from the secret key.
    """

    __tablename__ = "idempotency_record"
    __table_args__ = (
        UniqueConstraint("scope_hash", "idempotency_key", name="uq_idempotency_record_scope_key"),
    )

    scope_hash: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    body_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10))  # running, done
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)


scoped_by(User, lambda s: User.provider_id.in_(s.ids))
# A token is its user's: an organisation administrator lists and revokes only their own staff's.
_user = plain(User)
scoped_by(ApiToken, lambda s: ApiToken.user_id.in_(select(_user.c.id).where(_user.c.provider_id.in_(s.ids))))
scoped_by(AuditRecord, lambda s: AuditRecord.provider_id.in_(s.ids))
