"""Demo data for partnerships: a lead council, its partners and one sharing agreement in force.

Called by the demo loader (api/demo.py) once the organisations exist; idempotent by the
partnership's name, so loading the demo twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.actors import Actor
from vetting.providers import Partnership, Provider
from vetting.sharing import add_member, create_partnership, record_agreement

DEMO_ADMIN = Actor(id=None, name="demo loader", role="admin")


async def load_sharing_demo(
    session: AsyncSession,
    *,
    lead: Provider,
    members: Sequence[Provider],
    name: str = "Prevent Partnership",
    reference: str = "DSA-2027-01",
    today: dt.date | None = None,
) -> Partnership:
    """The partnership `name` led by `lead` with `members`, sharing flagged entries and findings."""
    found = (await session.execute(select(Partnership).where(Partnership.name == name))).scalars().first()
    if found is not None:
        return found
    partnership = await create_partnership(session, DEMO_ADMIN, name=name, lead_provider_id=lead.id)
    for member in members:
        if member.id != lead.id:
            await add_member(session, DEMO_ADMIN, partnership.id, member.id)
    today = today or dt.datetime.now(dt.UTC).date()
    await record_agreement(
        session,
        DEMO_ADMIN,
        partnership.id,
        reference=reference,
        review_date=today.replace(year=today.year + 1, day=min(today.day, 28)),
        shares_flagged=True,
        shares_findings=True,
        note="Demo: members share the names they add and their refusals and confirmed matches.",
    )
    return partnership
