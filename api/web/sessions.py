"""Server-side browser sessions: the cookie carries a random id; the row holds the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.connection import ASGIConnection
from sqlalchemy import select

from api.auth.tokens import token_hash
from api.models import User, WebSession
from vetting.actors import Actor

COOKIE_NAME = "__Host-venue-hire"
IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)


async def actor_from_cookie(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor | None:
    raw = connection.cookies.get(COOKIE_NAME)
    if not raw:
        return None
    from api.auth.actor import _session_maker, actor_for_user

    now = dt.datetime.now(dt.UTC)
    async with _session_maker(connection)() as session:
        row = (
            await session.execute(select(WebSession).where(WebSession.session_hash == token_hash(raw)))
        ).scalar_one_or_none()
        if row is None or row.user_id is None or row.expires_at <= now or row.last_seen + IDLE_TIMEOUT <= now:
            return None
        if not row.data.get("mfa_ok"):
            return None
        user = await session.get(User, row.user_id)
        if user is None or not user.active:
            return None
        row.last_seen = now
        await session.commit()
        return await actor_for_user(session, user)
