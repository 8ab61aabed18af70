"""Commits close together share one wake-up on the workers' queue (api/outbox_runtime.py), sent
after the last of them; a commit after it has gone gets one of its own, and stopping sends one
still gathering. Against the real Redis."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from api.outbox_runtime import WAKE_GATHER_SECONDS, QueueWaker
from api.settings import Settings
from tests.outbox.test_workers import REDIS_URL, _redis_up


async def test_commits_close_together_share_one_wake_up(settings: Settings) -> None:
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    queue = f"venue-hire-test-{uuid.uuid4().hex[:8]}"
    waker = QueueWaker(settings.model_copy(update={"redis_url": REDIS_URL, "worker_queue": queue}))
    await waker.start()
    try:
        for _ in range(10):  # ten commits' wake-ups within the gathering time
            waker.wake()
            await asyncio.sleep(0)
        await asyncio.sleep(WAKE_GATHER_SECONDS * 5)
        assert await waker.queue.count("queued") == 1
        waker.wake()  # after the wake-up went: one of its own
        await asyncio.sleep(WAKE_GATHER_SECONDS * 5)
        assert await waker.queue.count("queued") == 2
        waker.wake()
        await asyncio.sleep(0)
    finally:
        await waker.stop()  # sends the one still gathering
    await waker.queue.connect()
    try:
        assert await waker.queue.count("queued") == 3
    finally:
        await waker.queue.disconnect()
