"""Builders for check contexts (invented people and organisations)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from policies import default_declarations
from vetting.checks import CheckContext

LONDON_WINTER = dt.UTC  # January: Europe/London is UTC+0


def make_ctx(**overrides: Any) -> CheckContext:
    """A private meeting of a small registered charity, booked well ahead, that passes every check."""
    data: dict[str, Any] = {
        "organisation": {
            "name": "Larkfield Allotment Society",
            "type": "charity",
            "charity_number": "1123456",
            "company_number": None,
            "address": "4 Mill Lane, Larkfield",
            "website": None,
        },
        "contact": {"name": "Morwenna Tallis", "email": "m.tallis@example.org", "phone": "01632 960111"},
        "people": [
            {"name": "Morwenna Tallis", "role": "officer"},
            {"name": "Idris Penhale", "role": "trustee"},
        ],
        "event": {
            "title": "Annual general meeting",
            "description": "Members' AGM and seed swap",
            "expected_attendance": 30,
            "open_to_public": False,
            "under_18s": False,
            "adults_at_risk": False,
        },
        "start": dt.datetime(2027, 2, 16, 19, 0, tzinfo=LONDON_WINTER),
        "end": dt.datetime(2027, 2, 16, 21, 0, tzinfo=LONDON_WINTER),
        "submitted_at": dt.datetime(2027, 1, 4, 10, 0, tzinfo=LONDON_WINTER),
        "declarations": default_declarations(),
        "answers": {"alcohol": "no"},
        "room_id": "room-1",
        "room_capacity": 40,
        "alternative_rooms": [],
        "insurance": {"cover_gbp": 5_000_000},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return CheckContext.model_validate(data)
