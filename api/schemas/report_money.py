"""The reports page's money section as JSON (`money` in `GET /api/v1/reports`): whole pence."""

from __future__ import annotations

from api.schemas.common import Out


class IncomeOut(Out):
    label: str
    invoiced_pence: int
    credited_pence: int
    net_pence: int
    received_pence: int


class OutstandingOut(Out):
    number: str
    booking_reference: str
    hirer: str
    venue: str
    issued_on: str
    due_on: str
    gross_pence: int
    left_pence: int
    overdue: bool


class DepositsOut(Out):
    venue: str
    bookings: int
    held_pence: int


class MoneyOut(Out):
    income: IncomeOut
    income_by_venue: list[IncomeOut]
    income_by_category: list[IncomeOut]
    outstanding_pence: int
    overdue_pence: int
    outstanding_invoices: list[OutstandingOut]
    deposits_held_pence: int
    deposits_held_by_venue: list[DepositsOut]
