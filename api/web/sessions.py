"""Server-side browser sessions: the cookie carries a random id; the store holds the rest.

The store is the database, or Redis when `VENUE_HIRE_REDIS_URL` is set (api/web/session_store.py).

A session starts at sign-in with a fresh random id (so an id planted before sign-in is useless),
gets another fresh id once the second factor is passed, ends after 30 idle minutes or 12 hours
whatever happens, and is deleted at sign-out. Until the second factor is passed (`mfa_ok`), the
session names no actor, so no staff page opens.

Forms are protected by a signed double-submit token: a random value in the `__Host-vh-csrf`
cookie, and in each form an HMAC of that value (and of the session cookie, when signed in) under
the service's secret key. A page on another site can make the browser send the cookie but cannot
read it, nor compute the HMAC. Bearer-token API calls never carry cookies and are not affected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.login import must_enrol
from api.auth.tokens import token_hash
from api.models import User
from api.redis_client import redis_for
from api.web.session_store import DatabaseSessionStore, RedisSessionStore, SessionRecord, SessionStore

COOKIE_NAME = "__Host-venue-hire"
CSRF_COOKIE = "__Host-vh-csrf"
CSRF_FIELD = "csrf_token"
IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
# Between the password and the code: long enough to open an authenticator app, no longer.
PARTIAL_TIMEOUT = dt.timedelta(minutes=10)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def is_live(record: SessionRecord, now: dt.datetime) -> bool:
    return _aware(record.expires_at) > now and _aware(record.last_seen) + IDLE_TIMEOUT > now


def session_store(connection: ASGIConnection[Any, Any, Any, Any], db_session: AsyncSession) -> SessionStore:
    """Redis when configured (shared by every process), else the request's database session."""
    client = redis_for(connection.app.state)
    if client is not None:
        return RedisSessionStore(client, idle_timeout=IDLE_TIMEOUT)
    return DatabaseSessionStore(db_session)


async def user_for_cookie(
    connection: ASGIConnection[Any, Any, Any, Any], db_session: AsyncSession
) -> User | None:
    """The signed-in user of the request's session cookie (second factor passed), else None.

    Marks the session as seen now; the caller commits (api/auth/actor.py, which also turns bearer
    tokens into users).
    """
    raw = connection.cookies.get(COOKIE_NAME)
    if not raw:
        return None
    now = utcnow()
    store = session_store(connection, db_session)
    record = await store.get(token_hash(raw))
    if record is None or record.user_id is None or not is_live(record, now):
        return None
    if not record.data.get("mfa_ok"):
        return None
    user = await db_session.get(User, record.user_id)
    if user is None or not user.active:
        return None
    if must_enrol(user):
        # A session from before every staff role needed a second factor (venue managers
        # signed in with a password alone) ends: they sign in again and set one up.
        return None
    record.last_seen = now
    await store.save(record)
    return user


async def load_session(store: SessionStore, raw: str | None) -> SessionRecord | None:
    """The live session for a cookie value, signed in fully or not."""
    if not raw:
        return None
    record = await store.get(token_hash(raw))
    if record is None or not is_live(record, utcnow()):
        return None
    return record


async def start_session(
    store: SessionStore, user: User, data: dict[str, Any], *, replace: str | None = None
) -> str:
    """A new session with a new random id (the old one, if any, is deleted); returns the raw id."""
    if replace:
        await end_session(store, replace)
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    lifetime = ABSOLUTE_TIMEOUT if data.get("mfa_ok") else PARTIAL_TIMEOUT
    await store.create(
        SessionRecord(
            id_hash=token_hash(raw),
            user_id=user.id,
            data=dict(data),
            last_seen=now,
            expires_at=now + lifetime,
        )
    )
    return raw


async def end_session(store: SessionStore, raw: str | None) -> None:
    if raw:
        await store.delete(token_hash(raw))


def session_cookie(raw: str) -> Cookie:
    return Cookie(
        key=COOKIE_NAME,
        value=raw,
        path="/",
        secure=True,
        httponly=True,
        samesite="lax",
        max_age=int(ABSOLUTE_TIMEOUT.total_seconds()),
    )


def expired_session_cookie() -> Cookie:
    return Cookie(key=COOKIE_NAME, value="", path="/", secure=True, httponly=True, samesite="lax", max_age=0)


def csrf_cookie(value: str) -> Cookie:
    return Cookie(key=CSRF_COOKIE, value=value, path="/", secure=True, httponly=True, samesite="lax")


def new_csrf_secret() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(key: str, cookie_value: str, session_raw: str | None) -> str:
    message = f"csrf|{cookie_value}|{hashlib.sha256((session_raw or '').encode()).hexdigest()}"
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def csrf_ok(key: str, cookie_value: str | None, session_raw: str | None, submitted: str | None) -> bool:
    if not cookie_value or not submitted:
        return False
    return hmac.compare_digest(csrf_token(key, cookie_value, session_raw), submitted)
