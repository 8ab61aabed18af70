"""With Redis configured, the lost-link limits are shared by every process and its keys name no
email address or reference. Skipped without a Redis on 127.0.0.1:6379 (a failure in CI)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from api.app import create_app
from api.settings import Settings
from tests.messages.mail_capture import client_of
from tests.web.sign_in import csrf_of
from tests.web.test_sessions_redis import REDIS_URL


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


async def test_two_processes_share_the_limit_and_the_store_holds_no_address(
    settings: Settings, redis: Redis, seeded: dict[str, Any]
) -> None:
    shared = settings.model_copy(update={"redis_url": REDIS_URL})
    email = "shared.limit@testtown.example"
    async with (
        client_of(create_app(shared), "https://testserver.local") as one,
        client_of(create_app(shared), "https://testserver.local") as other,
    ):
        answers = []
        for n, web in enumerate((one, other, one, other)):
            csrf = csrf_of((await web.get("/")).text)
            form = {"reference": f"VH-CCCC-CCC{n + 2}", "email": email, "csrf_token": csrf}
            answers.append((await web.post("/lost-link", data=form)).status_code)
        assert answers == [200, 200, 200, 429]  # three an hour per address, across both processes
    keys = [k async for k in redis.scan_iter("vh:lost-link-throttle:*")]
    assert {k.split(":")[2] for k in keys} == {"lostlink_email", "lostlink_ref", "lostlink_ip"}
    assert not any("shared.limit" in k or "VH-CCCC" in k for k in keys)
