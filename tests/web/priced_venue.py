"""A venue priced by the council's rate card for the browser tests, made in the live site's
database (one per test, so tests do not book each other's rooms), with an officer's API token."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from tests import factories as f
from venues.models import Venue
from vetting.models import VettingCase


async def priced_venue(db_url: str, name: str) -> dict[str, Any]:
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            venue = await f.make_venue(s, name)
            room = await f.make_room(s, venue, "Studio", capacity=40, buffer_after=15)
            await s.execute(update(Venue).where(Venue.id == venue.id).values(rate_card_id="council-halls"))
            _officer, token = await f.make_staff(s, "officer")
            await s.commit()
        return {"venue": venue, "room": room, "officer_token": token}
    finally:
        await engine.dispose()


async def case_id(db_url: str, reference: str) -> str:
    engine = create_engine(db_url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            found = await s.execute(select(VettingCase).where(VettingCase.reference == reference))
            case = found.scalar_one()
            return str(case.id)
    finally:
        await engine.dispose()


def run_db(coro: Any) -> Any:
    """Sync Playwright keeps an event loop running in the test's thread: database work gets its own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
