"""Sessions and sign-in throttling shared through Redis by two app instances (two "processes").

Both apps use the same database and the same Redis database (15, or one below per xdist worker,
flushed around each test).
Without a Redis on 127.0.0.1:6379 the tests are skipped with the reason, unless CI=true, where
that is a failure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import AsyncIterator
from typing import Any

import pyotp
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import create_app
from api.auth import throttle
from api.auth.tokens import token_hash
from api.models import WebSession
from api.settings import Settings
from api.web.session_store import SESSION_KEY, USER_SESSIONS_KEY
from api.web.sessions import COOKIE_NAME
from tests.web.sign_in import csrf_of, email_of, password_step, set_totp

# An autouse fixture: requests come from the address in X-Test-Address (default 198.51.100.1).
from tests.web.test_staff_auth import _address_from_header  # noqa: F401

# One Redis database per pytest-xdist worker (15, 14, ...): a flush by one worker's test must not
# end the sessions of a test running beside it.
REDIS_DB = 15 - int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) % 8
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
Client = AsyncTestClient[Litestar]


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, decode_responses=True, socket_connect_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is unreachable in CI: {exc}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({exc}); start redis-server to run these")
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()


@pytest.fixture
async def two(settings: Settings, redis: Redis) -> AsyncIterator[tuple[Client, Client]]:
    shared = settings.model_copy(update={"redis_url": REDIS_URL})
    first, second = create_app(shared), create_app(shared)
    async with (
        AsyncTestClient(app=first, base_url="https://testserver.local") as one,
        AsyncTestClient(app=second, base_url="https://testserver.local") as other,
    ):
        yield one, other


def carry(cookie: str, to: Client) -> None:
    """The same browser cookie, sent to the other process."""
    to.cookies.set(COOKIE_NAME, cookie, domain="testserver.local")


async def sign_in(web: Client, session: AsyncSession, actor: Any, *, totp: bool = True) -> str:
    secret = await set_totp(session, actor.id) if totp else None
    first = await password_step(web, await email_of(session, actor))
    assert first.status_code == 303, first.text
    if secret is not None:
        page = await web.get("/login/code")
        done = await web.post(
            "/login/code",
            data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
    cookie = web.cookies.get(COOKIE_NAME)
    assert cookie
    return cookie


async def test_a_session_from_one_process_is_accepted_by_the_other_and_logout_ends_it_for_both(
    two: tuple[Client, Client], session: AsyncSession, redis: Redis, seeded: dict[str, Any]
) -> None:
    one, other = two
    cookie = await sign_in(one, session, seeded["manager"])
    assert (await one.get("/manager")).status_code == 200
    carry(cookie, other)
    page = await other.get("/manager")
    assert page.status_code == 200
    # Held in Redis, under the hash of the cookie, and not in the table.
    assert await redis.exists(SESSION_KEY + token_hash(cookie))
    assert await redis.sismember(USER_SESSIONS_KEY + str(seeded["manager"].id), token_hash(cookie))
    rows = (await session.execute(select(func.count()).select_from(WebSession))).scalar_one()
    await session.commit()
    assert rows == 0
    out = await other.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert not await redis.exists(SESSION_KEY + token_hash(cookie))
    carry(cookie, one)
    assert (await one.get("/manager", follow_redirects=False)).status_code == 303


async def test_the_second_factor_can_be_given_to_the_other_process(
    two: tuple[Client, Client], session: AsyncSession, redis: Redis, seeded: dict[str, Any]
) -> None:
    one, other = two
    secret = await set_totp(session, seeded["officer"].id)
    await password_step(one, await email_of(session, seeded["officer"]))
    partial = one.cookies.get(COOKIE_NAME)
    assert partial
    # The half-signed-in session lives no longer than its 10 minutes.
    assert 590_000 < await redis.pttl(SESSION_KEY + token_hash(partial)) <= 600_000
    carry(partial, other)
    page = await other.get("/login/code")
    assert page.status_code == 200
    done = await other.post(
        "/login/code",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/officer"
    full = other.cookies.get(COOKIE_NAME)
    assert full and full != partial
    assert not await redis.exists(SESSION_KEY + token_hash(partial))
    carry(full, one)
    assert (await one.get("/officer")).status_code == 200


async def test_idle_timeout_ends_a_redis_session(
    two: tuple[Client, Client], session: AsyncSession, redis: Redis, seeded: dict[str, Any]
) -> None:
    one, other = two
    cookie = await sign_in(one, session, seeded["manager"])
    key = SESSION_KEY + token_hash(cookie)
    # Redis itself forgets the session after 30 idle minutes (not the 12-hour absolute limit)...
    assert 1_790_000 < await redis.pttl(key) <= 1_800_000
    await redis.expire(key, 60)
    carry(cookie, other)
    assert (await other.get("/manager")).status_code == 200
    assert await redis.pttl(key) > 1_790_000  # ...and each use starts the 30 minutes again
    # A record that was last used 31 minutes ago is refused even if Redis still holds it.
    record = json.loads(await redis.get(key) or "{}")
    record["last_seen"] = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)).isoformat()
    await redis.set(key, json.dumps(record), keepttl=True)
    assert (await other.get("/manager", follow_redirects=False)).status_code == 303
    assert (await one.get("/manager", follow_redirects=False)).status_code == 303


async def test_disabling_a_user_ends_their_redis_sessions(
    two: tuple[Client, Client], session: AsyncSession, redis: Redis, seeded: dict[str, Any]
) -> None:
    one, other = two
    manager_cookie = await sign_in(one, session, seeded["manager"])
    assert (await one.get("/manager")).status_code == 200
    await sign_in(other, session, seeded["admin"], totp=True)
    users = await other.get("/officer/users")
    assert users.status_code == 200
    disabled = await other.post(
        f"/officer/users/{seeded['manager'].id}/disable",
        data={"csrf_token": csrf_of(users.text)},
        follow_redirects=False,
    )
    assert disabled.status_code == 303, disabled.text
    assert not await redis.exists(SESSION_KEY + token_hash(manager_cookie))
    assert not await redis.exists(USER_SESSIONS_KEY + str(seeded["manager"].id))
    assert (await one.get("/manager", follow_redirects=False)).status_code == 303


async def test_failed_sign_ins_are_counted_across_processes(
    two: tuple[Client, Client],
    session: AsyncSession,
    redis: Redis,
    seeded: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A minute's delay after the free failures, not the one second of the service's rule: on a
    # slow machine the next attempt came more than a second later and was let through.
    monkeypatch.setitem(throttle.DEFAULT_RULES, "pair", throttle.Rule(free=5, window=3600.0, base=60.0))
    one, other = two
    email = await email_of(session, seeded["manager"])
    for _ in range(5):
        assert (await password_step(one, email, "not the password")).status_code == 400
    slowed = await password_step(other, email)
    assert slowed.status_code == 429 and "Too many attempts" in slowed.text
    # The counters are keyed by a hash: no email address or IP address is stored in Redis.
    names = [name async for name in redis.scan_iter("vh:login-throttle:*")]
    assert names and not any("@" in name or "127.0.0.1" in name or "testclient" in name for name in names)
    # Once the delay has passed, the right password works and clears the account's count.
    for name in names:
        await redis.hset(name, "last", repr(float(await redis.hget(name, "last") or 0) - 3600 + 1))
    ok = await password_step(one, email)
    assert ok.status_code == 303 and ok.headers["location"] == "/login/enrol"
    assert len([name async for name in redis.scan_iter("vh:login-throttle:pair:*")]) == 0


async def test_with_redis_configured_but_down_sign_in_answers_503_and_health_stays_up(
    settings: Settings, seeded: dict[str, Any], session: AsyncSession
) -> None:
    with socket.socket() as probe:  # a port nothing listens on: connections are refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{port}/0"}))
    email = await email_of(session, seeded["manager"])
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as web:
        page = await web.get("/login", headers={"Accept": "text/html"})
        answer = await web.post(
            "/login",
            data={"email": email, "password": "whatever it is", "csrf_token": csrf_of(page.text)},
            headers={"Accept": "text/html"},
            follow_redirects=False,
        )
        assert answer.status_code == 503, answer.text
        assert answer.headers["Retry-After"] == "60"
        assert "try again in a minute" in answer.text.lower()
        assert "Traceback" not in answer.text
        assert (await web.get("/health")).status_code == 200


async def test_changing_the_password_ends_the_accounts_other_sessions_in_redis(
    two: tuple[Client, Client], session: AsyncSession, redis: Redis, seeded: dict[str, Any]
) -> None:
    from tests.web.test_staff_auth import next_code, sign_in_as, totp_of

    one, other = two
    manager = seeded["manager"]
    secret = await sign_in_as(one, session, manager)
    await sign_in_as(other, session, manager)
    elsewhere = other.cookies.get(COOKIE_NAME)
    assert elsewhere and await redis.exists(SESSION_KEY + token_hash(elsewhere))
    form = await one.get("/account/password")
    _, last = await totp_of(session, manager)
    done = await one.post(
        "/account/password",
        data={
            "current_password": "correct horse battery staple",
            "current_code": next_code(secret, last),
            "new_password": "a different and rather long passphrase",
            "csrf_token": csrf_of(form.text),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert not await redis.exists(SESSION_KEY + token_hash(elsewhere))
    assert (await other.get("/manager", follow_redirects=False)).status_code == 303
    # This browser carries on, in a fresh Redis session, still one process or the other.
    mine = one.cookies.get(COOKIE_NAME)
    assert mine and await redis.exists(SESSION_KEY + token_hash(mine))
    carry(mine, other)
    assert (await other.get("/manager")).status_code == 200


async def test_failures_from_elsewhere_do_not_lock_out_the_officer_across_processes(
    two: tuple[Client, Client], session: AsyncSession, redis: Redis, seeded: dict[str, Any]
) -> None:
    from tests.web.test_staff_auth import attempt

    one, other = two
    officer = await email_of(session, seeded["officer"])
    for _ in range(8):
        await attempt(one, officer, "a guess", "203.0.113.66")
    # The attacker's address is slowed for this account in the other process too...
    assert (await attempt(other, officer, "correct horse battery staple", "203.0.113.66")).status_code == 429
    # ...and the officer at their own address is not, in either process.
    mine = await attempt(other, officer, "correct horse battery staple", "198.51.100.7")
    assert mine.status_code == 303 and mine.headers["location"] in ("/login/enrol", "/login/code")
    names = [name async for name in redis.scan_iter("vh:login-throttle:*")]
    assert not any("203.0.113" in name or "@" in name for name in names)
