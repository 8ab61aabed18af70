"""The screening index is loaded when the app starts, in the background, and `/ready` answers 503
"screening index loading" until it is there (issues 21 and 22)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

import vetting.screener_cache as screener_cache
from api.app import create_app
from api.settings import Settings
from policies import bundled_policy
from vetting.actors import Actor
from vetting.flagged import add_entry
from vetting.screener_files import load_or_build
from vetting.screening import FlaggedEntry, Screener, ScreeningWeights

OFFICER = Actor(id=None, name="Test Officer", role="officer")


async def _ready(client: AsyncTestClient[Any]) -> dict[str, Any]:
    response = await client.get("/ready")
    return {"code": response.status_code, **response.json()}


async def test_ready_waits_for_the_screening_index_built_at_start(
    settings: Settings, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        entry = await add_entry(
            session, OFFICER, kind="person", name="Ottoline Brackwater", aliases=[], source="local",
            reason="invented",
        )  # fmt: skip
        await session.commit()
    release = threading.Event()
    builds: list[int] = []

    def slow_build(entries: Sequence[FlaggedEntry], **kwargs: Any) -> Screener:
        builds.append(len(entries))
        release.wait(timeout=30)  # the index "loads" until the test lets it finish
        return load_or_build(entries, **kwargs)

    monkeypatch.setattr(screener_cache, "load_or_build", slow_build)
    app = create_app(settings.model_copy(update={"screening_warm_up": True}))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        loading = await _ready(client)
        assert loading["code"] == 503
        assert loading["reasons"] == ["screening index loading"]
        release.set()
        for _ in range(200):
            if (await _ready(client))["code"] == 200:
                break
            await asyncio.sleep(0.05)
        assert await _ready(client) == {"code": 200, "status": "ready", "reasons": []}
    assert builds == [1]  # built once, at start, with the one entry
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        policy = bundled_policy("council-default")
        _, screener = await screener_cache.SCREENERS.get(
            session,
            threshold=policy.screening.threshold,
            weights=ScreeningWeights.from_mapping(dict(policy.screening.weights)),
            sources=policy.screening.sources,
        )
        assert [m.entry_id for m in screener.screen("Ottoline Brackwater", "person")] == [str(entry.id)]
    assert builds == [1]  # the first screening used the index loaded at start


async def test_no_warm_up_in_tests_unless_asked(settings: Settings) -> None:
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        assert (await client.get("/ready")).status_code == 200
    assert app.state.get("screening_warm_up") is None
