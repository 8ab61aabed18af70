"""Fixtures of the alert and reminder tests (tests/casework/alerts_world.py)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.casework.alerts_world import World, make_world, post

__all__ = ["post", "world"]


@pytest.fixture
async def world(engine: AsyncEngine) -> World:
    return await make_world(engine)
