"""The money section of the reports page (casework/report_money.py) as tables, charts, CSV files
and JSON: one definition of each table for the page, its chart and its download.

Amounts are shown as pounds (`£1,234.56`) on the page and written to the CSV as plain numbers of
pounds with two decimals (`1234.56`, unquoted), so a spreadsheet adds them up; text cells go
through the same formula-injection guard as the other report CSVs (`safe_text`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from api.web.officer.report_tables import Bar, safe_text
from casework.report_money import Income, MoneyReport
from venues.charges.money import pounds

PREFIX = "money-"
Cell = str | int | Decimal


@dataclass(frozen=True)
class MoneyTable:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]  # money cells are Decimal pounds
    bars: list[Bar] = field(default_factory=list)
    chart_title: str = ""
    note: str = ""
    unit: str = "£"

    @property
    def scale(self) -> float:
        return max((b.value for b in self.bars if b.value is not None), default=0.0) or 1.0

    def shown(self, cell: Cell) -> str:
        """A cell as the page shows it."""
        if isinstance(cell, Decimal):
            return pounds(int(cell * 100))
        return f"{cell:,}" if isinstance(cell, int) else cell


def _pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


def _income_rows(rows: list[Income], total: Income, received: bool) -> list[tuple[Cell, ...]]:
    def cells(r: Income) -> tuple[Cell, ...]:
        base: tuple[Cell, ...] = (r.label, _pounds(r.invoiced), _pounds(r.credited), _pounds(r.net))
        return (*base, _pounds(r.received)) if received else base

    return [*(cells(r) for r in rows), cells(total)]


def _bars(rows: list[Income]) -> list[Bar]:
    return [Bar(r.label, max(r.net, 0) / 100, pounds(r.net)) for r in rows]


def money_tables(money: MoneyReport) -> list[MoneyTable]:
    income = money.income
    by_category_total = Income(
        "All categories",
        sum(r.invoiced for r in money.by_category),
        sum(r.credited for r in money.by_category),
    )
    none = "No invoice or credit note was issued in the period."
    return [
        MoneyTable(
            f"{PREFIX}income-by-venue",
            "Income by venue",
            ("Venue", "Invoiced", "Credited", "Net income", "Payments received"),
            _income_rows(money.by_venue, income, received=True),
            _bars(money.by_venue),
            chart_title="Net income by venue",
            note="" if money.by_venue else none,
        ),
        MoneyTable(
            f"{PREFIX}income-by-category",
            "Income by hirer category",
            ("Hirer category", "Invoiced", "Credited", "Net income"),
            _income_rows(money.by_category, by_category_total, received=False),
            _bars(money.by_category),
            chart_title="Net income by hirer category",
            note="" if money.by_category else none,
        ),
        MoneyTable(
            f"{PREFIX}outstanding",
            "Invoices outstanding at the end of the period",
            ("Invoice", "Booking", "Hirer", "Venue", "Issued", "Due", "Total", "Left to pay", "Overdue"),
            [
                *(
                    (
                        o.number,
                        o.reference,
                        o.hirer,
                        o.venue,
                        o.issued_on.isoformat(),
                        o.due_on.isoformat(),
                        _pounds(o.gross),
                        _pounds(o.left),
                        "Yes" if o.overdue else "No",
                    )
                    for o in money.outstanding
                ),
                (
                    "All outstanding",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    _pounds(money.outstanding_total),
                    pounds(money.overdue_total) + " overdue",
                ),
            ],
            note="" if money.outstanding else "Nothing was left to pay at the end of the period.",
        ),
        MoneyTable(
            f"{PREFIX}deposits-held",
            "Damage deposits held at the end of the period",
            ("Venue", "Bookings", "Deposits held"),
            [
                *((d.venue, d.bookings, _pounds(d.held)) for d in money.deposits),
                ("All venues", sum(d.bookings for d in money.deposits), _pounds(money.deposits_held)),
            ],
            [Bar(d.venue, d.held / 100, pounds(d.held)) for d in money.deposits],
            chart_title="Deposits held by venue",
            note="Deposits charged on the invoices of bookings not cancelled; deposit refunds are not "
            "recorded yet." + ("" if money.deposits else " No deposit was held at the end of the period."),
        ),
    ]


def money_table_named(money: MoneyReport, key: str) -> MoneyTable | None:
    return next((t for t in money_tables(money) if t.key == key), None)


def money_csv(table: MoneyTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([safe_text(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([safe_text(c) if isinstance(c, str) else c for c in row])
    return buffer.getvalue()


def money_json(money: MoneyReport) -> dict[str, Any]:
    """Amounts in whole pence, as the finance journal's source figures are."""

    def income(r: Income) -> dict[str, Any]:
        return {
            "label": r.label,
            "invoiced_pence": r.invoiced,
            "credited_pence": r.credited,
            "net_pence": r.net,
            "received_pence": r.received,
        }

    return {
        "income": income(money.income),
        "income_by_venue": [income(r) for r in money.by_venue],
        "income_by_category": [income(r) for r in money.by_category],
        "outstanding_pence": money.outstanding_total,
        "overdue_pence": money.overdue_total,
        "outstanding_invoices": [
            {
                "number": o.number,
                "booking_reference": o.reference,
                "hirer": o.hirer,
                "venue": o.venue,
                "issued_on": o.issued_on.isoformat(),
                "due_on": o.due_on.isoformat(),
                "gross_pence": o.gross,
                "left_pence": o.left,
                "overdue": o.overdue,
            }
            for o in money.outstanding
        ],
        "deposits_held_pence": money.deposits_held,
        "deposits_held_by_venue": [
            {"venue": d.venue, "bookings": d.bookings, "held_pence": d.held} for d in money.deposits
        ],
    }
