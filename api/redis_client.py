"""The app's one Redis client, made on first use when `VENUE_HIRE_REDIS_URL` is set.

Sessions and sign-in throttling go to Redis when it is configured, so that several processes
serving the same site share them; without it both stay in the database or the process.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

_STATE_KEY = "redis_client"


def redis_for(state: Any) -> Redis | None:
    """The client for this app's state (`app.state`), or None when Redis is not configured."""
    settings = state.get("settings")
    url = getattr(settings, "redis_url", None)
    if not url:
        return None
    client: Redis | None = state.get(_STATE_KEY)
    if client is None:
        # Connections are opened lazily, on the first command, inside the serving event loop.
        client = Redis.from_url(url, decode_responses=True, socket_timeout=5, socket_connect_timeout=5)
        state[_STATE_KEY] = client
    return client


async def close_redis(app: Any) -> None:
    client: Redis | None = app.state.get(_STATE_KEY)
    if client is not None:
        app.state[_STATE_KEY] = None
        await client.aclose()
