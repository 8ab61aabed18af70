"""The reports page's money section (issue 19 item 6) through the real app on both engines: income
by venue and hirer category, outstanding invoices and deposits held, as tables with charts, CSV
downloads (formula-safe) and JSON, of the caller's organisation and venue only."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import application_payload, bearer, next_weekday
from tests.reports.test_report_http import parse_csv, table_of
from tests.web.sign_in import Client, sign_in_as
from venues.charges.deposits import settle
from venues.charges.models import Deposit, Invoice, Payment
from venues.models import Venue

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _money_world(web: Client, session: AsyncSession, seeded: dict[str, Any]) -> dict[str, Any]:
    """Two invoices at the seeded venue (a company's, part paid; a charity's, then cancelled by the
    council: credited in full), and an invoice of another council that must never show."""
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
        case = (await web.post("/api/v1/applications", json=body)).json()
        decided = await web.post(
            f"/api/v1/applications/{case['id']}/decision",
            json={"outcome": "approve", "reason": "ok", "conditions": []},
            headers=officer,
        )
        assert decided.status_code == 200, decided.text
        ids.append(case["id"])
    cancelled = await web.post(
        f"/api/v1/applications/{ids[1]}/cancel",
        json={"reason_code": "public_safety", "reason": "The roof is being repaired."},
        headers=officer,
    )
    assert cancelled.status_code == 200, cancelled.text
    # Another council's invoice needs a case of its own (invoices are one per case).
    body = application_payload(
        seeded["hall_b"].id, next_weekday(2, weeks_ahead=5), organisation="Elsewhere Group"
    )
    other = (await web.post("/api/v1/applications", json=body)).json()
    paid, credited = (await session.execute(select(Invoice).order_by(Invoice.seq))).scalars().all()
    session.add(
        Payment(
            invoice_id=paid.id, method="bacs", amount_pence=5000, status="success", received_on=paid.issued_on
        )
    )
    elsewhere = Invoice(
        **{
            **{
                c.key: getattr(paid, c.key)
                for c in Invoice.__table__.columns
                if c.key not in ("id", "created_at", "updated_at", "sa_orm_sentinel")
            },
            "issuer": str(uuid.uuid4()),
            "case_id": uuid.UUID(other["id"]),
            "venue_name": '=HYPERLINK("http://x")',
            "gross_pence": 999_999,
            "deposit_pence": 77_700,
        }
    )
    session.add(elsewhere)
    await session.flush()
    session.add(
        Deposit(
            invoice_id=elsewhere.id,
            case_id=elsewhere.case_id,
            issuer=elsewhere.issuer,
            venue_name=elsewhere.venue_name,
            amount_pence=77_700,
            collected="invoice",
            recorded_on=paid.issued_on,
        )
    )
    # The cancelled booking's deposit refunded in full when it was cancelled: no longer held.
    refunded = (await session.execute(select(Deposit).where(Deposit.invoice_id == credited.id))).scalar_one()
    settle(refunded, refund_pence=refunded.amount_pence, reason="", today=credited.issued_on, by="Officer")
    await session.commit()
    return {"paid": paid, "credited": credited}


def _pence(cell: str) -> int:
    return round(float(cell.replace("£", "").replace(",", "")) * 100)


async def test_money_section_page_csv_and_json(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    world = await _money_world(web, session, seeded)
    paid, credited = world["paid"], world["credited"]
    day = paid.issued_on
    period = {
        "start": (day - dt.timedelta(days=3)).isoformat(),
        "end": (day + dt.timedelta(days=1)).isoformat(),
    }
    await sign_in_as(web, session, seeded["officer"])
    page = await web.get("/officer/reports", params=period)
    assert page.status_code == 200, page.text
    html = page.text
    assert 'id="money"' in html and 'aria-labelledby="chart-money-income-by-venue-title"' in html
    by_venue = table_of(html, "money-income-by-venue")
    assert list(by_venue) == ["Testtown Civic Hall", "All venues"]  # never the other council's
    invoiced = paid.gross_pence + credited.gross_pence
    assert [_pence(c) for c in by_venue["Testtown Civic Hall"]] == [
        invoiced,
        credited.gross_pence,
        paid.gross_pence,
        5000,
    ]
    by_category = table_of(html, "money-income-by-category")
    assert _pence(by_category["Commercial"][2]) == paid.gross_pence
    assert _pence(by_category["Registered charity"][2]) == 0  # invoiced and credited in full
    outstanding = table_of(html, "money-outstanding")
    assert list(outstanding) == [paid.number, "All outstanding"]
    assert _pence(outstanding[paid.number][6]) == paid.gross_pence - 5000
    deposits = table_of(html, "money-deposits-held")
    # the commercial deposit is held; the cancelled booking's, refunded, is not
    assert [_pence(c) if "£" in c else int(c) for c in deposits["Testtown Civic Hall"]] == [
        1,
        paid.deposit_pence,
    ]

    csv_answer = await web.get(
        "/officer/reports/download", params=period | {"table": "money-income-by-venue"}
    )
    assert csv_answer.status_code == 200 and csv_answer.headers["content-type"].startswith("text/csv")
    assert "money-income-by-venue-" in csv_answer.headers["content-disposition"]
    rows = parse_csv(csv_answer.text)
    assert rows[0] == ["Venue", "Invoiced", "Credited", "Net income", "Payments received"]
    assert rows[1][0] == "Testtown Civic Hall" and _pence(rows[1][1]) == invoiced
    assert '"Testtown Civic Hall",' in csv_answer.text  # text quoted, amounts plain numbers
    unknown = await web.get("/officer/reports/download", params=period | {"table": "money-nothing"})
    assert unknown.status_code == 400

    api = await web.get("/api/v1/reports", params=period, headers=bearer(seeded["officer_token"]))
    assert api.status_code == 200, api.text
    money = api.json()["money"]
    assert money["income"]["invoiced_pence"] == invoiced
    assert money["income"]["net_pence"] == paid.gross_pence
    assert money["outstanding_pence"] == paid.gross_pence - 5000
    assert [o["number"] for o in money["outstanding_invoices"]] == [paid.number]
    assert money["deposits_held_pence"] == paid.deposit_pence

    # Another venue of nobody's: nothing; a period before the invoices: nothing outstanding.
    before = {"start": "2026-01-01", "end": (day - dt.timedelta(days=1)).isoformat()}
    earlier = (
        await web.get("/api/v1/reports", params=before, headers=bearer(seeded["officer_token"]))
    ).json()
    assert (
        earlier["money"]["outstanding_invoices"] == [] and earlier["money"]["income"]["invoiced_pence"] == 0
    )


async def test_money_csv_is_formula_safe_for_a_service_administrator(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    """The administrator's report covers the service, so the other council's invoice (its venue
    named like a formula) is in it, and its cell is written as text."""
    world = await _money_world(web, session, seeded)
    day = world["paid"].issued_on
    period = {
        "start": (day - dt.timedelta(days=3)).isoformat(),
        "end": (day + dt.timedelta(days=1)).isoformat(),
    }
    await sign_in_as(web, session, seeded["admin"])
    answer = await web.get("/officer/reports/download", params=period | {"table": "money-deposits-held"})
    assert answer.status_code == 200, answer.text
    rows = parse_csv(answer.text)
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in names and '=HYPERLINK("http://x")' not in names
    assert rows[-1][0] == "All venues" and _pence(rows[-1][2]) == world["paid"].deposit_pence + 77_700
