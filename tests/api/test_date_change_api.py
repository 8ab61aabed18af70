"""The date-change API (issue 17 item 5) takes the council's reason, as the console's pages do:
cancelling or moving one date, or cancelling the rest of a series, without a reason changes
nothing (422 naming the field); with one, the reason is in the case's history and in the hirer's
message. Invented names only."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.settings import Settings
from tests.factories import application_payload, bearer, next_weekday
from tests.mail_parsing import parse

Client = AsyncTestClient[Litestar]


async def _weekly(client: Client, seeded: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    start = next_weekday(2, weeks_ahead=4, hour=19)
    made = await client.post(
        "/api/v1/applications",
        json=application_payload(seeded["hall_a"].id, start, rrule="FREQ=WEEKLY;COUNT=4"),
    )
    case_id = made.json()["id"]
    officer = bearer(seeded["officer_token"])
    approved = await client.post(
        f"/api/v1/applications/{case_id}/decision",
        json={"outcome": "approve", "reason": "ok"},
        headers=officer,
    )
    assert approved.status_code == 200, approved.text
    case = (await client.get(f"/api/v1/applications/{case_id}", headers=officer)).json()
    return case_id, case["occurrences"]


def _hirer_mail(settings: Settings) -> list[str]:
    return [
        parse(p.read_bytes()).get_content()
        for p in sorted(Path(settings.outbox_dir).glob("*.eml"))
        if b"morgan@testtown.example" in p.read_bytes() and b"A date of your booking" in p.read_bytes()
    ]


async def test_a_date_change_needs_a_reason_and_the_hirer_is_told_it(
    client: Client, seeded: dict[str, Any], settings: Settings
) -> None:
    case_id, dates = await _weekly(client, seeded)
    officer = bearer(seeded["officer_token"])
    url = f"/api/v1/applications/{case_id}/occurrences"
    moved_to = dt.datetime.fromisoformat(dates[1]["start"]) + dt.timedelta(hours=1)
    move = {"start": moved_to.isoformat(), "end": (moved_to + dt.timedelta(hours=2)).isoformat()}
    for path, body in (
        (f"{url}/{dates[0]['id']}/cancel", {}),
        (f"{url}/{dates[1]['id']}/move", move),
        (f"{url}/{dates[2]['id']}/cancel-rest", {}),
        (f"{url}/{dates[0]['id']}/cancel", {"reason": "because"}),
        (f"{url}/{dates[0]['id']}/cancel", {"reason": "other"}),
    ):
        refused = await client.post(path, json=body, headers=officer)
        assert refused.status_code in (400, 422), (path, body, refused.text)
        assert "reason" in refused.text or "details" in refused.text
    case = (await client.get(f"/api/v1/applications/{case_id}", headers=officer)).json()
    assert [o["status"] for o in case["occurrences"]] == ["held"] * 4
    assert _hirer_mail(settings) == []

    cancelled = await client.post(
        f"{url}/{dates[0]['id']}/cancel", json={"reason": "venue_closed"}, headers=officer
    )
    assert cancelled.status_code == 200, cancelled.text
    moved = await client.post(
        f"{url}/{dates[1]['id']}/move",
        json=move | {"reason": "other", "details": "The hall floor is being sealed that evening."},
        headers=officer,
    )
    assert moved.status_code == 200, moved.text
    rest = await client.post(
        f"{url}/{dates[2]['id']}/cancel-rest", json={"reason": "room_unavailable"}, headers=officer
    )
    assert rest.status_code == 200, rest.text

    case = (await client.get(f"/api/v1/applications/{case_id}", headers=officer)).json()
    assert [o["status"] for o in case["occurrences"]] == ["cancelled", "held", "cancelled", "cancelled"]
    reasons = {h["action"]: h["detail"]["reason"] for h in case["history"] if "reason" in h["detail"]}
    assert reasons["date_cancelled"] == "The venue is closed that day"
    assert reasons["date_moved"] == "Another reason. The hall floor is being sealed that evening."
    assert reasons["rest_of_series_cancelled"] == "The room cannot be used (repairs or safety)"
    for _ in range(50):  # the app delivers its mail after answering
        told = "\n".join(_hirer_mail(settings))
        if told.count("Reason: ") == 3:
            break
        await asyncio.sleep(0.1)
    assert "Reason: The venue is closed that day" in told
    assert "Reason: Another reason. The hall floor is being sealed that evening." in told
    assert "Reason: The room cannot be used (repairs or safety)" in told
