"""After a flagged-list change, the re-screen screens the trustees the register named at
submission again (the hirer named none of them), and explains where they came from. Both engines."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from casework.rescreen import rescreen_upcoming
from tests.api.test_register_checks import _load_samples, settings  # noqa: F401  # fixture
from tests.factories import application_payload, bearer, next_weekday
from vetting.actors import SYSTEM


async def test_a_trustee_listed_after_the_case_is_found_by_the_rescreen(
    client: AsyncTestClient[Litestar], seeded: dict[str, Any], session: AsyncSession
) -> None:
    await _load_samples(session)
    officer = bearer(seeded["officer_token"])
    payload = application_payload(seeded["hall_a"].id, next_weekday(3, weeks_ahead=4))
    payload["organisation"] = {
        "name": "Lantern Hall Community Trust",
        "type": "charity",
        "charity_number": "1190001",
        "address": "2 Test Lane",
    }
    created = await client.post("/api/v1/applications", json=payload)
    assert created.status_code == 201, created.text
    case_url = f"/api/v1/applications/{created.json()['id']}"
    assert (await client.get(case_url, headers=officer)).json()["screening"] == []

    added = await client.post(
        "/api/v1/flagged-entries",
        json={"kind": "person", "name": "Thessaly Marchbank", "reason": "invented for a test"},
        headers=officer,
    )
    assert added.status_code == 201, added.text
    result = await rescreen_upcoming(session, SYSTEM)
    await session.commit()
    assert result.new_matches >= 1
    (match,) = (await client.get(case_url, headers=officer)).json()["screening"]
    assert (match["query_name"], match["subject_role"]) == ("Thessaly Marchbank", "trustee on the register")
    assert match["explanation"].endswith(
        "Named as a trustee of charity 1190001 on the Charity Commission register "
        "(extract of Tuesday 1 December 2026), not by the hirer."
    )
