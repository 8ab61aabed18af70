"""`Idempotency-Key` on POST /api/v1/applications (issue 14, item 2; IETF draft
"The Idempotency-Key HTTP Header Field").

* A key belongs to its caller: a signed-in caller's keys (bearer token or session) are scoped to
  that user; an anonymous caller's key is scoped to the key plus the hash of the request body,
  so nobody who does not send the very same request can reach another's answer.
* The same key with a different body (same caller) answers 422 and says so.
* A retry with the same key and body gets the original answer in full: the same status code
  and body, the hirer's private `applicant_token` included, with `Idempotent-Replayed: true`.
* A retry while the first request is still running waits for it and gets its answer (a
  replay); a request that failed leaves no record, so the client may send it again.
* Records expire after RECORD_TTL (24 hours): an expired key is free again, and
  `venue-hire retention purge` deletes expired records.

Concurrency: the key is claimed inside the request's own transaction (the record goes in as
`running`, not committed, before the work) and the answer is stored in that transaction too,
so a keyed request costs the one commit an unkeyed one does (a separate claim commit cost one
more BEGIN IMMEDIATE and fsync on SQLite; docs/performance.md has the figures). A second
request with the same key while the first runs: on SQLite nothing runs beside a writer (BEGIN
IMMEDIATE), so it starts after the first has committed and finds its answer; on PostgreSQL its
claim (INSERT ... ON CONFLICT DO NOTHING on the unique (scope, key)) waits until the first
ends, then inserts nothing, and it reads the first's answer instead (if the first failed, the
insert goes through and the second does the work). Either way one case is made and both
callers get its answer. A record committed as `running` (left by the former two-transaction
claim) answers 409 until its lease runs out.

The stored answer holds the applicant token, which is a credential, so it is sealed with
AES-GCM under a key derived (HKDF-SHA256) from the service's secret key, with the scope, key
and body hash as associated data: a copy of the database alone does not reveal the token, and
a sealed answer cannot be moved to another record.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID, uuid4

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Row, Table, bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import IdempotencyRecord
from vetting import direct_sql
from vetting.errors import Conflict, Invalid
from vetting.insert_or_ignore import insert_or_ignore

RECORD_TTL = dt.timedelta(hours=24)
# A record still `running` this long after it started belongs to a process that died mid-way.
RUNNING_LEASE = dt.timedelta(minutes=5)
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"
# Every keyed request runs these: built once with bind parameters, since building a statement
# (and its cache key) costs about as much as running it on SQLite (as in venues.booking_queries).
# The claim is an INSERT that does nothing when (scope, key) is taken: on PostgreSQL it waits
# for a concurrent holder of the key to end rather than failing, and no SELECT comes first.
_CLAIM_BINDS = {
    "id": "record_id",
    "scope_hash": "scope",
    "idempotency_key": "key",
    "body_hash": "digest",
    "state": "state",
    "created_at": "now",
}
# On the table, not the entity: an ORM-enabled INSERT's result has no rowcount. A text statement
# (vetting/insert_or_ignore.py): SQLAlchemy compiled its own ON CONFLICT insert on every request.
_TABLE = cast(Table, IdempotencyRecord.__table__)
_CLAIM = insert_or_ignore(_TABLE, ["scope_hash", "idempotency_key"], _CLAIM_BINDS)
_RECORD = select(
    IdempotencyRecord.id,
    IdempotencyRecord.body_hash,
    IdempotencyRecord.state,
    IdempotencyRecord.response_status,
    IdempotencyRecord.response_sealed,
    IdempotencyRecord.created_at,
).where(
    IdempotencyRecord.scope_hash == bindparam("scope"), IdempotencyRecord.idempotency_key == bindparam("key")
)
# Also on the table: an ORM-enabled UPDATE or DELETE flushes the session and looks for the row
# among the session's objects to update it there (none is ever loaded), which cost about 4% of a
# booking POST's CPU (bench/submit_cpu.py).
_FORGET = delete(_TABLE).where(
    _TABLE.c.id == bindparam("record_id"), _TABLE.c.created_at == bindparam("created")
)
_FINISH = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("record_id"))
    .values(state="done", response_status=bindparam("status"), response_sealed=bindparam("sealed"))
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def body_hash(body: Any) -> str:
    """SHA-256 of the request as validated, in one canonical JSON form (key order, spacing)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def scope_hash(user_id: UUID | None, request_body_hash: str) -> str:
    scope = f"user:{user_id}" if user_id is not None else f"anonymous:{request_body_hash}"
    return hashlib.sha256(scope.encode()).hexdigest()


@functools.lru_cache(maxsize=4)
def _cipher(secret_key: str) -> AESGCM:
    """The AES-GCM key derived from the secret key; derived once per process, not per request."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"venue-hire idempotency answer").derive(
        secret_key.encode()
    )
    return AESGCM(key)


def _associated(scope: str, key: str, digest: str) -> bytes:
    return f"{scope}|{key}|{digest}".encode()


def seal(secret_key: str, associated: bytes, answer: dict[str, Any]) -> bytes:
    nonce = os.urandom(12)
    return nonce + _cipher(secret_key).encrypt(nonce, json.dumps(answer).encode(), associated)


def unseal(secret_key: str, associated: bytes, sealed: bytes) -> dict[str, Any]:
    plain = _cipher(secret_key).decrypt(sealed[:12], sealed[12:], associated)
    answer: dict[str, Any] = json.loads(plain)
    return answer


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Claim:
    """The request holds the key in its transaction: do the work, `finish`, commit (or `release`)."""

    record_id: UUID
    associated: bytes


class IdempotencyStore:
    def __init__(self, session: AsyncSession, secret_key: str) -> None:
        self.session = session
        self.secret_key = secret_key

    def _lapsed(self, record: Row[Any], now: dt.datetime) -> bool:
        created = _aware(record.created_at)
        if record.state == "running":
            return created + RUNNING_LEASE <= now
        return created + RECORD_TTL <= now

    async def claim(
        self, scope: str, key: str, digest: str, *, now: dt.datetime | None = None
    ) -> Claim | Replay:
        """Take the key in the caller's transaction (nothing is committed), or answer from an
        earlier request's record: its replay, 422 for another body, 409 while it is unfinished."""
        now = now or utcnow()
        for _attempt in range(3):
            record_id = uuid4()
            params = {"record_id": record_id, "scope": scope, "key": key, "digest": digest}
            params |= {"state": "running", "now": now}
            if await direct_sql.run(self.session, _CLAIM, params) == 1:
                return Claim(record_id, _associated(scope, key, digest))
            # The key is taken: by a record committed earlier or by a concurrent request that
            # has just committed (PostgreSQL's insert waited for it to end).
            existing = (await self.session.execute(_RECORD, {"scope": scope, "key": key})).first()
            if existing is None:
                continue  # purged meanwhile: claim again
            if not self._lapsed(existing, now):
                return self._answer(existing, scope, key, digest)
            await self.session.execute(_FORGET, {"record_id": existing.id, "created": existing.created_at})
        raise Conflict("a request with this Idempotency-Key was being processed; send it again")

    def _answer(self, existing: Row[Any], scope: str, key: str, digest: str) -> Replay:
        if existing.body_hash != digest:
            raise Invalid(
                "this Idempotency-Key was used with a different request body; "
                "use a new key for a new request",
                {"Idempotency-Key": "already used with a different request body"},
            )
        if existing.state != "done" or existing.response_sealed is None or existing.response_status is None:
            raise Conflict("a request with this Idempotency-Key is still being processed; retry in a moment")
        body = unseal(self.secret_key, _associated(scope, key, digest), existing.response_sealed)
        return Replay(existing.response_status, body)

    async def finish(self, claim: Claim, status_code: int, answer: dict[str, Any]) -> None:
        """Store the answer in the caller's transaction (the caller commits it with its work)."""
        sealed = seal(self.secret_key, claim.associated, answer)
        await direct_sql.run(
            self.session, _FINISH, {"record_id": claim.record_id, "status": status_code, "sealed": sealed}
        )

    async def release(self, _claim: Claim) -> None:
        """The request failed: roll its transaction back, and the claim with it (the key is free)."""
        await self.session.rollback()


async def purge_expired(session: AsyncSession, *, now: dt.datetime | None = None) -> int:
    """Delete records past their period (done: 24 h; running: the lease); returns how many."""
    now = now or utcnow()
    result = await session.execute(
        delete(IdempotencyRecord).where(
            or_(
                IdempotencyRecord.created_at <= now - RECORD_TTL,
                (IdempotencyRecord.state == "running")
                & (IdempotencyRecord.created_at <= now - RUNNING_LEASE),
            )
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
