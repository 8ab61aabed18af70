"""The pre-forking server's parent answers a few read-only requests itself before it forks
(api/cli/prefork_warm.py), so the workers inherit what those make: the booking form's template
compiled, the booking request's decoding and the screening code warmed; and nothing is stored.
Only one forked worker runs the embedded outbox runner."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.cli.prefork_warm import warm
from api.outbox_runtime import EMBEDDED_HERE, EmbeddedRunner, start_outbox, stop_outbox
from api.settings import Settings
from venues.models import Booking


async def _bookings(engine: AsyncEngine) -> int:
    async with async_sessionmaker(engine)() as session:
        return int((await session.execute(select(func.count()).select_from(Booking))).scalar_one())


async def test_warm_up_compiles_the_booking_form_and_stores_nothing(
    app: Litestar, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    jinja = app.template_engine.engine  # type: ignore[union-attr]  # the app is built with Jinja templates
    jinja.cache.clear()
    before = await _bookings(engine)

    statuses = await warm(app)

    assert statuses == {
        "GET /health": 200,
        "GET /ready": 200,
        "GET /book": 200,
        # A complete booking request for a room that does not exist: decoded, then refused.
        "POST /api/v1/applications": 404,
    }
    # Compiled here, the template is in every worker's inherited cache instead of compiled by each.
    assert any("book" in str(key) for key in jinja.cache)
    assert await _bookings(engine) == before


async def test_only_the_worker_in_the_first_slot_starts_the_embedded_outbox_runner(
    settings: Settings, engine: AsyncEngine
) -> None:
    # The pre-forking server marks every worker but one (api/cli/prefork.py); that one delivers.
    state = State(
        {
            "settings": settings.model_copy(update={"delivery": "embedded"}),
            "db_config": SimpleNamespace(get_engine=lambda: engine),
            EMBEDDED_HERE: False,
        }
    )
    app = SimpleNamespace(state=state)
    await start_outbox(app)
    assert state.outbox_runner is None

    state[EMBEDDED_HERE] = True
    await start_outbox(app)
    try:
        assert isinstance(state.outbox_runner, EmbeddedRunner)
    finally:
        await stop_outbox(app)
