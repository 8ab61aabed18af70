"""Clear 422 answers for missing query parameters and an over-long recurrence."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import application_payload, next_weekday
from venues.recurrence import RecurrenceError, parse_rrule

Client = AsyncTestClient[Litestar]


async def test_availability_names_the_missing_parameters(client: Client, seeded: dict[str, Any]) -> None:
    path = f"/api/v1/rooms/{seeded['hall_a'].id}/availability"
    both = await client.get(path)
    assert both.status_code == 422
    assert set(both.json()["errors"]) == {"start", "end"}
    assert all("required" in message for message in both.json()["errors"].values())
    one = await client.get(path, params={"start": "2031-01-07T10:00:00+00:00"})
    assert one.status_code == 422
    assert set(one.json()["errors"]) == {"end"}


async def test_a_count_over_the_limit_says_the_limit(client: Client, seeded: dict[str, Any]) -> None:
    start = next_weekday(1, weeks_ahead=3)
    for count in ("100000", "9" * 40):
        body = application_payload(seeded["hall_a"].id, start, rrule=f"FREQ=WEEKLY;COUNT={count}")
        response = await client.post("/api/v1/applications", json=body)
        assert response.status_code == 422, response.text
        text = response.text
        assert "whole number" not in text
        assert "between 1 and 500" in text
    assert parse_rrule("FREQ=WEEKLY;COUNT=500").count == 500
    with pytest.raises(RecurrenceError, match="is not a whole number"):
        parse_rrule("FREQ=WEEKLY;COUNT=1.5")
