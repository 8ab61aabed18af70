"""`GET /api/v1/partnerships/{id}/oversight`: the lead council's counts of its partners' cases.

Numbers only (casework/oversight.py); officers and administrators of the lead council only,
anyone else 404. Every answer is audited: it reads across organisations on purpose.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.schemas.organisations import OversightOut, PartnershipRefOut
from casework.oversight import oversight_report, partnerships_led_by, report_json
from vetting.actors import Actor


def default_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months up to today."""
    today = today or dt.datetime.now(dt.UTC).date()
    return today - dt.timedelta(days=364), today


class OversightController(Controller):
    path = "/api/v1/partnerships"
    tags = ["oversight"]

    @get("/", operation_id="listLedPartnerships", opt=roles(*OFFICERS))
    async def led(self, staff: Actor, db_session: AsyncSession) -> list[PartnershipRefOut]:
        """The partnerships the caller's council leads (empty for anyone else)."""
        return [
            PartnershipRefOut(id=str(p.id), name=p.name) for p in await partnerships_led_by(db_session, staff)
        ]

    @get(
        "/{partnership_id:uuid}/oversight",
        operation_id="partnershipOversight",
        opt={**roles(*OFFICERS), "audit": ("partnership", "oversight", "partnership_id")},
    )
    async def oversight(
        self,
        partnership_id: UUID,
        staff: Actor,
        db_session: AsyncSession,
        start: Annotated[dt.date | None, Parameter(description="first day of submission (UTC)")] = None,
        end: Annotated[dt.date | None, Parameter(description="last day of submission (UTC)")] = None,
    ) -> OversightOut:
        """Cases submitted in the range, per partner: by status and outcome, referral rate, median
        days to a decision. Counts from 1 to 4 are suppressed (`value` null, `suppressed` true)."""
        first, last = default_range()
        report = await oversight_report(db_session, staff, partnership_id, start or first, end or last)
        return OversightOut.model_validate(report_json(report))
