"""The finance journal (invoices, credit notes, payments) of a period as CSV, for the council's
finance system: ``GET /api/v1/finance/journal?start=&end=``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, Response, get
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from casework.finance_export import journal, journal_csv
from vetting.actors import Actor


class FinanceController(Controller):
    path = "/api/v1/finance"
    tags = ["finance"]

    @get(
        "/journal",
        operation_id="getFinanceJournal",
        opt={**roles(*OFFICERS), "audit": ("finance", "export", None)},
        media_type="text/csv",
    )
    async def journal(
        self,
        staff: Actor,
        db_session: AsyncSession,
        start: Annotated[dt.date, Parameter(description="first day of the period (issue or receipt date)")],
        end: Annotated[dt.date, Parameter(description="last day of the period, inclusive")],
    ) -> Response[str]:
        """Every invoice line, credit-note line and payment of the period, of the caller's
        organisation, with the venue's cost code and the VAT code of each line (T1 standard,
        T5 reduced, T0 zero, T2 exempt, T9 outside the scope: payments)."""
        rows = await journal(db_session, staff, start, end)
        return Response(
            journal_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="journal-{start}-to-{end}.csv"'},
        )
