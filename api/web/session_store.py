"""Where browser sessions are kept: the `web_session` table by default, Redis when configured.

Both stores hold the same record, keyed by the SHA-256 of the cookie value (never the value
itself, so a copy of the store cannot be replayed as cookies). Whether a record is still live
(idle and absolute timeouts) is decided by the caller, api/web/sessions.py, for both stores alike;
Redis additionally forgets a record once it could no longer be live, through its TTL.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from redis.asyncio import Redis
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import WebSession

SESSION_KEY = "vh:session:"
USER_SESSIONS_KEY = "vh:user-sessions:"
DEFAULT_IDLE_TIMEOUT = dt.timedelta(minutes=30)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass
class SessionRecord:
    id_hash: str
    user_id: UUID | None
    data: dict[str, Any] = field(default_factory=dict)
    last_seen: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    expires_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


class SessionStore(Protocol):
    async def get(self, id_hash: str) -> SessionRecord | None: ...

    async def create(self, record: SessionRecord) -> None: ...

    async def save(self, record: SessionRecord) -> None: ...

    async def delete(self, id_hash: str) -> None: ...

    async def delete_for_user(self, user_id: UUID) -> None: ...


class DatabaseSessionStore:
    """The `web_session` table, written in the request's transaction (committed by the caller)."""

    def __init__(self, db_session: AsyncSession) -> None:
        self.db = db_session

    async def get(self, id_hash: str) -> SessionRecord | None:
        row = (
            await self.db.execute(select(WebSession).where(WebSession.session_hash == id_hash))
        ).scalar_one_or_none()
        if row is None:
            return None
        return SessionRecord(
            id_hash=row.session_hash,
            user_id=row.user_id,
            data=dict(row.data or {}),
            last_seen=_aware(row.last_seen),
            expires_at=_aware(row.expires_at),
        )

    async def create(self, record: SessionRecord) -> None:
        self.db.add(
            WebSession(
                session_hash=record.id_hash,
                user_id=record.user_id,
                data=dict(record.data),
                last_seen=record.last_seen,
                expires_at=record.expires_at,
            )
        )
        await self.db.flush()

    async def save(self, record: SessionRecord) -> None:
        await self.db.execute(
            update(WebSession)
            .where(WebSession.session_hash == record.id_hash)
            .values(
                user_id=record.user_id,
                data=dict(record.data),
                last_seen=record.last_seen,
                expires_at=record.expires_at,
            )
        )

    async def delete(self, id_hash: str) -> None:
        await self.db.execute(delete(WebSession).where(WebSession.session_hash == id_hash))
        await self.db.flush()

    async def delete_for_user(self, user_id: UUID) -> None:
        await self.db.execute(delete(WebSession).where(WebSession.user_id == user_id))
        await self.db.flush()


class RedisSessionStore:
    """One JSON value per session, living no longer than the session could, plus a set per user.

    The per-user set exists so that disabling a user can find and end all their sessions; it
    may name sessions that have already expired, which is harmless (deleting them is a no-op).
    """

    def __init__(self, client: Redis, *, idle_timeout: dt.timedelta = DEFAULT_IDLE_TIMEOUT) -> None:
        self.client = client
        self.idle_timeout = idle_timeout

    def _ttl_ms(self, record: SessionRecord) -> int:
        now = dt.datetime.now(dt.UTC)
        until = min(_aware(record.expires_at), _aware(record.last_seen) + self.idle_timeout)
        return int((until - now).total_seconds() * 1000)

    @staticmethod
    def _encode(record: SessionRecord) -> str:
        return json.dumps(
            {
                "user_id": str(record.user_id) if record.user_id else None,
                "data": record.data,
                "last_seen": _aware(record.last_seen).isoformat(),
                "expires_at": _aware(record.expires_at).isoformat(),
            }
        )

    async def get(self, id_hash: str) -> SessionRecord | None:
        raw = await self.client.get(SESSION_KEY + id_hash)
        if raw is None:
            return None
        value = json.loads(raw)
        return SessionRecord(
            id_hash=id_hash,
            user_id=UUID(value["user_id"]) if value.get("user_id") else None,
            data=dict(value.get("data") or {}),
            last_seen=dt.datetime.fromisoformat(value["last_seen"]),
            expires_at=dt.datetime.fromisoformat(value["expires_at"]),
        )

    async def _write(self, record: SessionRecord, *, only_existing: bool) -> None:
        ttl = self._ttl_ms(record)
        key = SESSION_KEY + record.id_hash
        if ttl <= 0:
            await self.delete(record.id_hash)
            return
        async with self.client.pipeline(transaction=True) as pipe:
            # xx on save: a session ended elsewhere meanwhile (logout, user disabled) stays ended.
            pipe.set(key, self._encode(record), px=ttl, xx=only_existing)
            if record.user_id is not None:
                members = USER_SESSIONS_KEY + str(record.user_id)
                pipe.sadd(members, record.id_hash)
                # The set outlives every session it names: sessions last at most this long.
                pipe.pexpire(members, max(ttl, self._ttl_ms_absolute(record)))
            await pipe.execute()

    def _ttl_ms_absolute(self, record: SessionRecord) -> int:
        return int((_aware(record.expires_at) - dt.datetime.now(dt.UTC)).total_seconds() * 1000)

    async def create(self, record: SessionRecord) -> None:
        await self._write(record, only_existing=False)

    async def save(self, record: SessionRecord) -> None:
        await self._write(record, only_existing=True)

    async def delete(self, id_hash: str) -> None:
        record = await self.get(id_hash)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(SESSION_KEY + id_hash)
            if record is not None and record.user_id is not None:
                pipe.srem(USER_SESSIONS_KEY + str(record.user_id), id_hash)
            await pipe.execute()

    async def delete_for_user(self, user_id: UUID) -> None:
        members = USER_SESSIONS_KEY + str(user_id)
        hashes = await self.client.smembers(members)
        async with self.client.pipeline(transaction=True) as pipe:
            for id_hash in hashes:
                pipe.delete(SESSION_KEY + str(id_hash))
            pipe.delete(members)
            await pipe.execute()
