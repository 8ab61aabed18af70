"""The flagged list's safety rules over HTTP: imports never replace hand-added entries, name what
they remove and refuse sources no policy screens; removed entries can be listed; search is literal."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import bearer

Client = AsyncTestClient[Litestar]
HEADER = b"kind,name,aliases,source,source_ref,reason,listed_date\n"
IMPORT = "/api/v1/flagged-entries/import?format=native-csv"


async def _add(client: Client, officer: dict[str, str], name: str, **extra: Any) -> dict[str, Any]:
    body = {"kind": "person", "name": name, "reason": "invented for a test"} | extra
    response = await client.post("/api/v1/flagged-entries", json=body, headers=officer)
    assert response.status_code == 201, response.text
    return response.json()


async def _listed(client: Client, officer: dict[str, str], query: str = "") -> dict[str, bool]:
    response = await client.get(f"/api/v1/flagged-entries{query}", headers=officer)
    assert response.status_code == 200, response.text
    return {e["name"]: e["active"] for e in response.json()}


async def test_an_import_cannot_claim_the_hand_added_source(client: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    by_hand = await _add(client, officer, "Thessaly Marchbank")
    assert by_hand["source"] == "local"
    for rows in (
        b"person,Corvin Aldersgate,,local,L9,invented,\n",  # the hand-added source named
        b"person,Corvin Aldersgate,,,,invented,\n",  # no source: read as "local"
    ):
        for dry_run in ("true", "false"):
            refused = await client.post(f"{IMPORT}&dry_run={dry_run}", content=HEADER + rows, headers=officer)
            assert refused.status_code == 422, refused.text
            assert "'local' is kept for entries officers add by hand" in refused.json()["errors"]["file"]
    # Before, such a file deactivated the officer's entry and said only "removed: 1".
    assert await _listed(client, officer, "?active=all") == {"Thessaly Marchbank": True}


async def test_an_import_names_every_entry_it_deactivates_and_spares_hand_added_ones(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    by_hand = await _add(client, officer, "Thessaly Marchbank", source="brookfield-trust")
    first = await client.post(
        IMPORT,
        content=HEADER
        + b"person,Orlan Vetrov,,brookfield-trust,B1,invented,\n"
        + b"organisation,Grey Lantern Front,,brookfield-trust,B2,invented,\n"
        + b"person,Pell Ashcombe,,brookfield-trust,B3,invented,\n",
        headers=officer,
    )
    assert first.status_code == 200, first.text
    assert first.json()["deactivated"] == []
    ids = {e["name"]: e["id"] for e in (await client.get("/api/v1/flagged-entries", headers=officer)).json()}
    smaller = HEADER + b"person,Orlan Vetrov,,brookfield-trust,B1,invented,\n"
    expected = [
        {"id": ids[name], "kind": kind, "name": name, "source": "brookfield-trust", "source_ref": ref}
        for name, kind, ref in (
            ("Grey Lantern Front", "organisation", "B2"),
            ("Pell Ashcombe", "person", "B3"),
        )
    ]
    preview = await client.post(f"{IMPORT}&dry_run=true", content=smaller, headers=officer)
    assert preview.status_code == 200, preview.text
    assert (preview.json()["removed"], preview.json()["deactivated"]) == (2, expected)
    assert (await _listed(client, officer))["Pell Ashcombe"] is True  # a preview changes nothing
    done = await client.post(IMPORT, content=smaller, headers=officer)
    assert (done.json()["removed"], done.json()["deactivated"]) == (2, expected)
    # The hand-added entry, whose officer named the same list as its origin, is untouched.
    assert await _listed(client, officer, "?active=all") == {
        "Grey Lantern Front": False,
        "Orlan Vetrov": True,
        "Pell Ashcombe": False,
        "Thessaly Marchbank": True,
    }
    assert by_hand["source_detail"] == "brookfield-trust"


async def test_an_import_of_a_source_no_policy_screens_is_refused(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    refused = await client.post(
        IMPORT, content=HEADER + b"person,Corvin Aldersgate,,council records,R1,invented,\n", headers=officer
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()["errors"]["file"]
    assert "'council records'" in problem
    assert "uk-sanctions" in problem  # names the sources that are screened
    assert await _listed(client, officer, "?active=all") == {}


async def test_removed_entries_can_be_listed(client: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    await _add(client, officer, "Thessaly Marchbank")
    gone = await _add(client, officer, "Corvin Aldersgate")
    removed = await client.post(
        f"/api/v1/flagged-entries/{gone['id']}/deactivate",
        json={"reason": "entered by mistake"},
        headers=officer,
    )
    assert removed.status_code == 200, removed.text
    assert await _listed(client, officer) == {"Thessaly Marchbank": True}
    assert await _listed(client, officer, "?active=true") == {"Thessaly Marchbank": True}
    assert await _listed(client, officer, "?active=false") == {"Corvin Aldersgate": False}
    assert await _listed(client, officer, "?active=all") == {
        "Corvin Aldersgate": False,
        "Thessaly Marchbank": True,
    }
    assert await _listed(client, officer, "?include_inactive=true") == await _listed(
        client, officer, "?active=all"
    )
    listed = (await client.get("/api/v1/flagged-entries?active=false", headers=officer)).json()
    assert listed[0]["deactivated_reason"] == "entered by mistake"
    assert listed[0]["deactivated_at"]
    bad = await client.get("/api/v1/flagged-entries?active=maybe", headers=officer)
    assert bad.status_code in (400, 422), bad.text


async def test_percent_and_underscore_are_searched_as_written(client: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    for name in (
        "Alpha 100% Testgroup",
        "Alpha 1000 Testgroup",
        "Alpha_Beta Testcircle",
        "Alpha Beta Testcircle",
    ):
        await _add(client, officer, name, kind="organisation")
    assert set(await _listed(client, officer, "?q=%25")) == {"Alpha 100% Testgroup"}
    assert set(await _listed(client, officer, "?q=100%25")) == {"Alpha 100% Testgroup"}
    assert set(await _listed(client, officer, "?q=_")) == {"Alpha_Beta Testcircle"}
    assert set(await _listed(client, officer, "?q=a_b")) == {"Alpha_Beta Testcircle"}
    assert set(await _listed(client, officer, "?q=a%20b")) == {"Alpha Beta Testcircle"}
    assert set(await _listed(client, officer, "?q=%5C")) == set()  # escape characters are literal too
    assert set(await _listed(client, officer, "?q=%2F")) == set()
    assert len(await _listed(client, officer, "?q=alpha")) == 4


async def test_a_hand_added_reference_is_unique(client: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    await _add(client, officer, "Thessaly Marchbank", source="council records", source_ref="CR-17")
    again = await client.post(
        "/api/v1/flagged-entries",
        json={
            "kind": "person",
            "name": "Corvin Aldersgate",
            "source": "police notice",
            "source_ref": "CR-17",
        },
        headers=officer,
    )
    assert again.status_code == 409, again.text
    assert "CR-17" in again.text
    assert await _listed(client, officer, "?active=all") == {"Thessaly Marchbank": True}


async def test_the_api_docs_explain_the_screening_rules(client: Client, seeded: dict[str, Any]) -> None:
    spec = (await client.get("/schema/openapi.json", headers=bearer(seeded["officer_token"]))).json()
    entries = spec["paths"]["/api/v1/flagged-entries"]
    assert "always screened" in entries["post"]["description"]
    assert "source_detail" in entries["post"]["description"]
    assert "active" in {p["name"] for p in entries["get"]["parameters"]}
    imports = spec["paths"]["/api/v1/flagged-entries/import"]["post"]["description"]
    assert "never replaced" in imports
    assert "deactivated" in imports
