"""Sign-in throttling that slows guessing without letting a stranger lock a real user out.

Following OWASP's authentication cheat sheet, failures are counted per (account, address) pair,
with a delay that doubles after a few free attempts: someone guessing an officer's password from
their own address slows only themselves, and the officer signing in from elsewhere is not held
up. Each address also has a much higher ceiling (100 failures in 15 minutes), against one
address trying many accounts. The second-factor step is also limited per account, across
addresses, but only someone who has just given the right password reaches that step, so it
cannot be used against the officer by anyone who does not already hold their password.

Keys are "pair:<email>|<address>", "address:<address>" and "code:<email>". The counts live in
Redis when `VENUE_HIRE_REDIS_URL` is set (hashed keys, shared by every process), otherwise in the
process (each process counting on its own, as the database session store is for one process).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field

from redis.asyncio import Redis

THROTTLE_KEY = "vh:login-throttle:"


@dataclass(frozen=True)
class Rule:
    """`free` failures cost nothing; then either a delay that doubles from `base` up to `cap`
    seconds after each failure (`ceiling=False`), or, when `ceiling`, no attempt at all until
    `window` seconds after the first failure. A count is forgotten `window` seconds after the
    last failure (growing delays) or after the first (a ceiling)."""

    free: int
    window: float
    base: float = 1.0
    cap: float = 900.0
    ceiling: bool = False

    def wait(self, failures: int, first: float, last: float, now: float) -> float:
        if failures < self.free:
            return 0.0
        if self.ceiling:
            return first + self.window - now
        # The exponent is bounded: a patient attacker's count must never overflow a float.
        delay = min(self.cap, self.base * 2.0 ** min(failures - self.free, 30))
        return last + delay - now

    def stale(self, first: float, last: float, now: float) -> bool:
        return now - (first if self.ceiling else last) > self.window


DEFAULT_RULES: dict[str, Rule] = {
    "pair": Rule(free=5, window=3600.0, cap=900.0),
    "address": Rule(free=100, window=900.0, ceiling=True),
    "code": Rule(free=10, window=3600.0, cap=900.0),
}


@dataclass
class _Counter:
    failures: int = 0
    first: float = 0.0
    last: float = 0.0


@dataclass(frozen=True)
class Throttled:
    """A key whose latest failure made the next attempt wait: what the audit log records."""

    kind: str
    failures: int
    wait_seconds: int


def _kind(key: str) -> str:
    return key.split(":", 1)[0]


def _ceil(seconds: float) -> int:
    return int(seconds + 0.999) if seconds > 0 else 0


@dataclass
class LoginThrottle:
    rules: dict[str, Rule] = field(default_factory=lambda: dict(DEFAULT_RULES))
    max_keys: int = 100_000
    redis: Redis | None = None
    key_prefix: str = THROTTLE_KEY  # another limiter on the same Redis uses another prefix
    _counters: dict[str, _Counter] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _rule(self, key: str) -> Rule:
        found = self.rules.get(_kind(key))
        return found if found is not None else self.rules["pair"]

    def _redis_key(self, key: str) -> str:
        # Hashed, so the store holds no email or address; the kind stays readable for operators.
        return f"{self.key_prefix}{_kind(key)}:{hashlib.sha256(key.encode()).hexdigest()}"

    def _now(self, now: float | None) -> float:
        if now is not None:
            return now
        # Wall-clock time with Redis: the monotonic clocks of different processes do not agree.
        return time.time() if self.redis is not None else time.monotonic()

    async def _read(self, key: str) -> _Counter | None:
        if self.redis is not None:
            failures, first, last = await self.redis.hmget(
                self._redis_key(key), ["failures", "first", "last"]
            )
            if failures is None or last is None:
                return None
            return _Counter(int(failures), float(first if first is not None else last), float(last))
        with self._lock:
            return self._counters.get(key)

    async def wait_seconds(self, keys: list[str], now: float | None = None) -> int:
        """Seconds until another attempt is allowed for all of `keys` (0: go ahead)."""
        now = self._now(now)
        wait = 0.0
        for key in keys:
            counter = await self._read(key)
            if counter is None:
                continue
            rule = self._rule(key)
            if rule.stale(counter.first, counter.last, now):
                continue
            wait = max(wait, rule.wait(counter.failures, counter.first, counter.last, now))
        return _ceil(wait)

    async def failed(self, keys: list[str], now: float | None = None) -> list[Throttled]:
        """Count a failure on each key; returns the keys that now make the next attempt wait."""
        now = self._now(now)
        throttled: list[Throttled] = []
        for key in keys:
            rule = self._rule(key)
            counter = await self._increment(key, rule, now)
            wait = _ceil(rule.wait(counter.failures, counter.first, counter.last, now))
            if wait:
                throttled.append(Throttled(_kind(key), counter.failures, wait))
        return throttled

    async def _increment(self, key: str, rule: Rule, now: float) -> _Counter:
        if self.redis is not None:
            name = self._redis_key(key)
            current = await self._read(key)
            async with self.redis.pipeline(transaction=True) as pipe:
                if current is None or rule.stale(current.first, current.last, now):
                    pipe.delete(name)
                    pipe.hset(name, mapping={"failures": 0, "first": repr(now)})
                pipe.hincrby(name, "failures", 1)
                pipe.hset(name, "last", repr(now))
                pipe.expire(name, int(rule.window) + 1)
                results = await pipe.execute()
            failures = int(results[-3])
            first = now if current is None or rule.stale(current.first, current.last, now) else current.first
            return _Counter(failures, first, now)
        with self._lock:
            if len(self._counters) >= self.max_keys:
                oldest = sorted(self._counters.items(), key=lambda kv: kv[1].last)[: self.max_keys // 10]
                for old, _ in oldest:
                    del self._counters[old]
            counter = self._counters.get(key)
            if counter is None or rule.stale(counter.first, counter.last, now):
                counter = self._counters[key] = _Counter(0, now, now)
            counter.failures += 1
            counter.last = now
            return _Counter(counter.failures, counter.first, counter.last)

    async def succeeded(self, keys: list[str]) -> None:
        """A right answer clears its own keys (never the address's ceiling)."""
        clear = [key for key in keys if _kind(key) != "address"]
        if self.redis is not None:
            if clear:
                await self.redis.delete(*[self._redis_key(key) for key in clear])
            return
        with self._lock:
            for key in clear:
                self._counters.pop(key, None)


def password_keys(email: str, address: str) -> list[str]:
    account = email.strip().lower()
    return [f"pair:{account}|{address}", f"address:{address}"]


def code_keys(email: str, address: str) -> list[str]:
    return [*password_keys(email, address), f"code:{email.strip().lower()}"]
