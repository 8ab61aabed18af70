"""A small invented register extract for the demo, so `make run` shows the register checks.

Loaded through the same path as a real import (vetting.registers.load.load_table), with the
local backend's tables: a dissolved company, one in administration, one in good standing (whose
number a demo hirer quotes under another name), a charity removed from the register, and a
charity whose trustee is on the demo flagged list. Every name and number is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from vetting.registers.load import load_table
from vetting.registers.tables import table_named

EXTRACT_DATE = dt.date(2026, 12, 1)

_COMPANIES = (
    ("08123456", "HARROWMERE EVENTS LIMITED", "Dissolved", dt.date(2025, 3, 4)),
    ("07234567", "MILLBROOK CATERING SERVICES LIMITED", "In Administration", None),
    ("09345678", "EASTGATE LANTERN ARTS LIMITED", "Active", None),
)
# number, name, status, removed, reason; linked number 0 (the main charity) throughout
_CHARITIES = (
    (1098765, "Riverside Community Choir Trust", "Registered", None, None),
    (1187654, "Harrowmere Heritage Trust", "Removed", dt.date(2025, 6, 30), "Ceased to exist"),
    (1176543, "Eastgate Youth Arts Trust", "Registered", None, None),
)
_TRUSTEES = (
    (1098765, 9001, "Tomasz Okafor"),
    (1176543, 9002, "Mirela Stanhope"),
    (1176543, 9003, "Dariusz Velkov"),  # on the demo flagged list: referred as a trustee on the register
)


def _companies() -> Iterator[dict[str, Any]]:
    for number, name, status, dissolved in _COMPANIES:
        yield {
            "company_number": number,
            "name": name,
            "status": status,
            "category": "Private Limited Company",
            "incorporated": dt.date(2012, 5, 1),
            "dissolved": dissolved,
            "previous_names": [],
        }


def _charity_keys(number: int) -> dict[str, int]:
    return {"organisation_number": number + 4_000_000, "charity_number": number, "linked_number": 0}


def _charities() -> Iterator[dict[str, Any]]:
    for number, name, status, removed, _reason in _CHARITIES:
        yield {
            **_charity_keys(number),
            "name": name,
            "charity_type": "Trust",
            "status": status,
            "registered": dt.date(2004, 9, 1),
            "removed": removed,
            "insolvent": False,
            "in_administration": False,
            "cio_dissolved": False,
        }


def _events() -> Iterator[dict[str, Any]]:
    for order, (number, _name, _status, removed, reason) in enumerate(_CHARITIES, start=1):
        if removed:
            yield {
                **_charity_keys(number),
                "event_order": order,
                "event_type": "Removed",
                "event_date": removed,
                "reason": reason,
            }


def _trustees() -> Iterator[dict[str, Any]]:
    for number, trustee_id, name in _TRUSTEES:
        yield {
            **_charity_keys(number),
            "trustee_id": trustee_id,
            "name": name,
            "kind": "P",
            "is_chair": trustee_id == 9001,
            "appointed": dt.date(2019, 3, 28),
        }


async def load_demo_registers(session: AsyncSession, now: dt.datetime) -> None:
    """The invented extract, as if imported with `venue-hire registers import`."""
    for register, table, rows in (
        ("companies-house", "register_company", _companies()),
        ("charity-commission", "register_charity", _charities()),
        ("charity-commission", "register_charity_event", _events()),
        ("charity-commission", "register_charity_trustee", _trustees()),
    ):
        await load_table(
            session,
            table_named(table),
            rows,
            register=register,
            file_name=f"demo extract ({table})",
            extract_date=EXTRACT_DATE,
            now=now,
        )
