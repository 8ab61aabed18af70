"""The finance journal through the API: invoice lines, credit-note lines and payments of a period,
cost codes per venue and VAT codes per line, only the caller's organisation, and a journal that
balances (what was invoiced less credits and payments is what is still owed)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from casework.finance_export import journal_csv
from tests.factories import application_payload, bearer, next_weekday
from venues.charges.models import Invoice, Payment
from venues.models import Venue

Client = AsyncTestClient[Litestar]


async def test_journal_of_a_period(client: Client, session: AsyncSession, seeded: dict[str, Any]) -> None:
    await session.execute(
        update(Venue).where(Venue.id == seeded["venue"].id).values(rate_card_id="council-halls")
    )
    await session.commit()
    officer = bearer(seeded["officer_token"])
    ids = []
    for n, extra in enumerate(({"type": "company"}, {"type": "charity", "charity_number": "1234567"})):
        body = application_payload(
            seeded["hall_a"].id, next_weekday(1, weeks_ahead=5 + n), organisation=f"Payer {n}"
        )
        body["organisation"].update(extra)
        case = (await client.post("/api/v1/applications", json=body)).json()
        ok = await client.post(
            f"/api/v1/applications/{case['id']}/decision",
            json={"outcome": "approve", "reason": "ok", "conditions": []},
            headers=officer,
        )
        assert ok.status_code == 200
        ids.append(case["id"])
    cancelled = await client.post(
        f"/api/v1/applications/{ids[1]}/cancel",
        json={"reason_code": "public_safety", "reason": "The roof is being repaired."},
        headers=officer,
    )
    first = (await session.execute(select(Invoice).where(Invoice.seq == 1))).scalar_one()
    issued = first.issued_on
    session.add(
        Payment(
            invoice_id=first.id,
            method="bacs",
            amount_pence=5000,
            status="success",
            reference="BACS 7",
            received_on=issued,
        )
    )
    session.add(
        Payment(invoice_id=first.id, method="govuk_pay", amount_pence=4600, status="failed", received_on=None)
    )
    await session.commit()
    answer = await client.get(
        "/api/v1/finance/journal",
        params={
            "start": (issued - dt.timedelta(days=1)).isoformat(),
            "end": (issued + dt.timedelta(days=1)).isoformat(),
        },
        headers=officer,
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    invoices = [r for r in rows if r["type"] == "invoice"]
    assert {r["document"] for r in invoices} == {"INV-000001", "INV-000002"}
    assert {r["cost_code"] for r in rows} == {"INC-ROOMHIRE"}  # a venue without its own code
    assert {r["vat_code"] for r in invoices} == {"T2"}  # room hire exempt
    commercial = [r for r in invoices if r["customer"] == "Payer 0"]
    assert [r["gross"] for r in commercial] == ["96.00"]  # 2 hours peak at the commercial £48.00
    assert cancelled.status_code == 200, cancelled.text
    notes = [r for r in rows if r["type"] == "credit_note"]
    assert {r["document"] for r in notes} == {"CRN-000001"}
    assert {r["customer"] for r in notes} == {"Payer 1"}
    # the council cancelled: the whole invoice is credited, line by line (the concession too)
    pence = [
        round(float(r["gross"]) * 100)
        for r in rows
        if r["customer"] == "Payer 1" and r["type"] in ("invoice", "credit_note")
    ]
    assert sum(p for p in pence if p > 0) > 0 and sum(pence) == 0
    (paid,) = [r for r in rows if r["type"] == "payment"]  # the failed online attempt is not money
    assert (paid["document"], paid["gross"], paid["vat_code"]) == ("INV-000001", "-50.00", "T9")
    assert "BACS 7" in paid["description"]
    # each booking's damage deposit is charged (outside the scope of VAT) and held until refunded
    deposits = sorted((r["customer"], r["gross"], r["vat_code"]) for r in rows if r["type"] == "deposit")
    assert deposits == [("Payer 0", "150.00", "T9"), ("Payer 1", "50.00", "T9")]
    elsewhere = await client.get(
        "/api/v1/finance/journal", params={"start": "2020-01-01", "end": "2020-01-31"}, headers=officer
    )
    assert elsewhere.text.splitlines()[1:] == []
    refused = await client.get(
        "/api/v1/finance/journal", params={"start": "2027-02-01", "end": "2027-01-01"}, headers=officer
    )
    assert refused.status_code == 422
    hirer_side = await client.get(
        "/api/v1/finance/journal", params={"start": "2027-01-01", "end": "2027-01-31"}
    )
    assert hirer_side.status_code in (401, 403)


def test_a_cell_that_looks_like_a_formula_is_written_as_text() -> None:
    from casework.finance_export import JournalRow

    row = JournalRow(
        dt.date(2027, 1, 4), "payment", "INV-000001", "VH-1", "=HYPERLINK(1)", "V", "C", "x", -100, "T9", 0
    )
    text = journal_csv([row])
    assert "'=HYPERLINK(1)" in text
    assert text.splitlines()[1].endswith("-1.00,T9,0.00,-1.00")
