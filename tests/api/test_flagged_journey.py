"""Journey: an officer adds a name by hand, naming where it came from; a later request naming it is referred.

Before hand-added entries had a source of their own, an entry whose source was "council records"
was stored and listed as active but never loaded by the matcher (policies list the sources they
screen), so the request below went through unreferred.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import application_payload, bearer, next_weekday

Client = AsyncTestClient[Litestar]


async def test_officer_added_entry_refers_a_later_request(client: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    added = await client.post(
        "/api/v1/flagged-entries",
        json={
            "kind": "organisation",
            "name": "Quillmarsh Vanguard Circle",
            "aliases": ["QVC Testgroup"],
            "source": "council records",
            "reason": "Invented for a test: banned after an incident at a council venue",
        },
        headers=officer,
    )
    assert added.status_code == 201, added.text
    entry = added.json()

    listed = await client.get("/api/v1/flagged-entries?q=quillmarsh", headers=officer)
    assert [(e["id"], e["active"]) for e in listed.json()] == [(entry["id"], True)]

    person = await client.post(
        "/api/v1/flagged-entries",
        json={
            "kind": "person",
            "name": "Ottoline Brackwater",
            "source": "police notice",
            "reason": "invented",
        },
        headers=officer,
    )
    assert person.status_code == 201, person.text

    created = await client.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["hall_a"].id,
            next_weekday(3, weeks_ahead=5),
            organisation="Quillmarsh Vanguard Circle",
            people=[{"name": "Ottoline Brackwater", "role": "speaker"}],
        ),
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "under_review"
    case = (await client.get(f"/api/v1/applications/{created.json()['id']}", headers=officer)).json()
    matched = {(m["entry_id"], m["query_name"], m["disposition"]) for m in case["screening"]}
    assert matched == {
        (entry["id"], "Quillmarsh Vanguard Circle", "open"),
        (person.json()["id"], "Ottoline Brackwater", "open"),
    }
    screening_check = next(c for c in case["checks"] if c["check"] == "screening")
    assert screening_check["outcome"] == "review", screening_check
    # Screened under the hand-added source; the officer's text is kept as provenance only.
    assert (entry["source"], entry.get("source_detail"), entry.get("hand_added")) == (
        "local",
        "council records",
        True,
    )
