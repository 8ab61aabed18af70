"""A county council and three partners, each with a venue, a room and officers (invented names).

Partnership "Testshire Prevent Partnership": the county (lead), Brookvale Leisure Trust and
Millbrook Library Trust. Farrowby Community Hall belongs to no partnership until a test says so.
Nothing is shared until a test records an agreement.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests.factories import ADMIN, make_provider, make_room, make_staff, make_venue
from vetting.sharing import add_member, create_partnership, record_agreement

NEXT_YEAR = dt.date.today() + dt.timedelta(days=365)


@pytest.fixture
async def partners(engine: AsyncEngine) -> dict[str, Any]:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    out: dict[str, Any] = {}
    async with maker() as s:
        county = await make_provider(s, "Testshire County Council", "council")
        out["county"] = county
        for key, name in (
            ("brookvale", "Brookvale Leisure Trust"),
            ("millbrook", "Millbrook Library Trust"),
            ("farrowby", "Farrowby Community Hall"),
        ):
            provider = await make_provider(s, name, "partner")
            venue = await make_venue(s, f"{name} Rooms", owner_kind="partner", owner_name=name)
            room = await make_room(s, venue, f"{name} Main Room")
            _, officer = await make_staff(s, "officer", provider=provider)
            _, officer2 = await make_staff(s, "officer", provider=provider)
            out[key] = {"provider": provider, "room": room, "officer": officer, "officer2": officer2}
        county_admin, county_admin_token = await make_staff(s, "admin", provider=county)
        partner_admin, _ = await make_staff(s, "admin", provider=out["brookvale"]["provider"])
        out["county_admin"], out["county_admin_token"], out["partner_admin"] = (
            county_admin,
            county_admin_token,
            partner_admin,
        )
        partnership = await create_partnership(
            s, ADMIN, name="Testshire Prevent Partnership", lead_provider_id=county.id
        )
        for key in ("brookvale", "millbrook"):
            await add_member(s, ADMIN, partnership.id, out[key]["provider"].id)
        out["partnership"] = partnership
        await s.commit()
    return out


async def agree(
    engine: AsyncEngine, partnership_id: Any, reference: str, *, flagged: bool, findings: bool
) -> Any:
    """Record an agreement as a service administrator; returns it."""
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        agreement = await record_agreement(
            s,
            ADMIN,
            partnership_id,
            reference=reference,
            review_date=NEXT_YEAR,
            shares_flagged=flagged,
            shares_findings=findings,
        )
        await s.commit()
        return agreement
