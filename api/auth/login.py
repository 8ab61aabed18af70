"""Staff sign-in: password, then a time-based one-time code (TOTP), with throttling.

Officers and admins must use a second factor; venue managers may. Failed attempts slow the next
attempt for that account and that address (exponential delay with a cap) instead of locking the
account, so an attacker cannot lock a real user out; a successful sign-in clears the account's count.
The counters live in Redis when `VENUE_HIRE_REDIS_URL` is set, so every process sees the same
counts; otherwise in the process, where each process has its own and the limit is per process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from dataclasses import dataclass, field

import pyotp
from redis.asyncio import Redis
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.passwords import hash_password, needs_rehash, verify_password
from api.models import User

MFA_REQUIRED_ROLES = ("officer", "admin")
THROTTLE_KEY = "vh:login-throttle:"
TOTP_ISSUER = "Venue hire"
# A hash to verify against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = hash_password("not-a-real-password-only-for-timing")


@dataclass
class _Counter:
    failures: int = 0
    last: float = 0.0


@dataclass
class LoginThrottle:
    """Exponential delay after repeated failures, per key ("account:<email>", "address:<ip>").

    With `redis` the counts are shared by every process (one hash per key, expiring after
    `forget_after`); without it they live in this process.
    """

    free_attempts: dict[str, int] = field(default_factory=lambda: {"account": 3, "address": 10})
    base_seconds: float = 1.0
    cap_seconds: dict[str, float] = field(default_factory=lambda: {"account": 300.0, "address": 900.0})
    forget_after: float = 3600.0
    max_keys: int = 100_000
    redis: Redis | None = None
    _counters: dict[str, _Counter] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _delay(self, key: str, counter: _Counter) -> float:
        kind = key.split(":", 1)[0]
        over = counter.failures - self.free_attempts.get(kind, 3)
        if over < 0:
            return 0.0
        return float(min(self.cap_seconds.get(kind, 300.0), self.base_seconds * 2**over))

    @staticmethod
    def _redis_key(key: str) -> str:
        # Hashed, so the store holds no email or address; the kind stays readable for operators.
        kind = key.split(":", 1)[0]
        return f"{THROTTLE_KEY}{kind}:{hashlib.sha256(key.encode()).hexdigest()}"

    async def wait_seconds(self, keys: list[str], now: float | None = None) -> int:
        """Seconds until another attempt is allowed for all of `keys` (0: go ahead)."""
        if self.redis is not None:
            # Wall-clock time: the monotonic clocks of different processes do not agree.
            now = time.time() if now is None else now
            wait = 0.0
            for key in keys:
                failures, last = await self.redis.hmget(self._redis_key(key), ["failures", "last"])
                if failures is None or last is None:
                    continue
                shared = _Counter(int(failures), float(last))
                wait = max(wait, shared.last + self._delay(key, shared) - now)
            return int(wait + 0.999) if wait > 0 else 0
        now = time.monotonic() if now is None else now
        wait = 0.0
        with self._lock:
            for key in keys:
                counter = self._counters.get(key)
                if counter is None:
                    continue
                if now - counter.last > self.forget_after:
                    del self._counters[key]
                    continue
                wait = max(wait, counter.last + self._delay(key, counter) - now)
        return int(wait + 0.999) if wait > 0 else 0

    async def failed(self, keys: list[str], now: float | None = None) -> None:
        if self.redis is not None:
            now = time.time() if now is None else now
            async with self.redis.pipeline(transaction=True) as pipe:
                for key in keys:
                    name = self._redis_key(key)
                    pipe.hincrby(name, "failures", 1)
                    pipe.hset(name, "last", repr(now))
                    pipe.expire(name, int(self.forget_after))
                await pipe.execute()
            return
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._counters) >= self.max_keys:
                oldest = sorted(self._counters.items(), key=lambda kv: kv[1].last)[: self.max_keys // 10]
                for key, _ in oldest:
                    del self._counters[key]
            for key in keys:
                counter = self._counters.setdefault(key, _Counter())
                counter.failures += 1
                counter.last = now

    async def succeeded(self, account_key: str) -> None:
        if self.redis is not None:
            await self.redis.delete(self._redis_key(account_key))
            return
        with self._lock:
            self._counters.pop(account_key, None)


def throttle_keys(email: str, address: str) -> list[str]:
    return [f"account:{email.strip().lower()}", f"address:{address}"]


async def check_password(session: AsyncSession, email: str, password: str) -> User | None:
    """The active user with this email and password, or None; upgrades a weak hash on success."""
    user = (
        await session.execute(select(User).where(User.email == email.strip().lower()))
    ).scalar_one_or_none()
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        await session.flush()
    return user


def needs_second_factor(user: User) -> bool:
    return user.role in MFA_REQUIRED_ROLES or user.totp_secret is not None


def must_enrol(user: User) -> bool:
    return user.role in MFA_REQUIRED_ROLES and user.totp_secret is None


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def verify_totp(
    secret: str, code: str, *, last_step: int | None = None, now: dt.datetime | None = None
) -> int | None:
    """The time step the code belongs to when valid (one step of clock drift allowed), else None.

    A code at or before `last_step` is refused, so a code seen over someone's shoulder cannot be
    replayed within its 30 seconds.
    """
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret)
    at = now or dt.datetime.now(dt.UTC)
    step_now = int(at.timestamp()) // totp.interval
    for offset in (0, -1, 1):
        step = step_now + offset
        if last_step is not None and step <= last_step:
            continue
        if totp.verify(digits, for_time=step * totp.interval, valid_window=0):
            return step
    return None


async def claim_totp_step(session: AsyncSession, user: User, step: int) -> bool:
    """Record ``step`` as the user's last accepted one, unless that step (or a later one) was
    already used: one conditional UPDATE, so two processes given the same code cannot both
    accept it."""
    claimed = await session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(claimed, "rowcount", 0) == 1)
