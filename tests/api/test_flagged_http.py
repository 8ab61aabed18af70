"""The flagged list over HTTP: imports with versions and counts, re-screening, ad hoc screening."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import application_payload, bearer, next_weekday

Client = AsyncTestClient[Litestar]
SAMPLES = Path(__file__).resolve().parents[1] / "vetting" / "samples"


async def test_import_counts_versions_and_removal_by_deactivation(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    csv_v1 = b"kind,name,aliases,source,source_ref,reason,listed_date\n" + (
        b"person,Orlan Vetrov,O. Vetrov,brookfield-trust,L1,invented,2025-01-02\n"
        b"organisation,Grey Lantern Front,GLF,brookfield-trust,L2,invented,\n"
    )
    first = await client.post(
        "/api/v1/flagged-entries/import?format=native-csv", content=csv_v1, headers=officer
    )
    assert first.status_code == 200, first.text
    assert (first.json()["added"], first.json()["changed"], first.json()["removed"]) == (2, 0, 0)
    csv_v2 = b"kind,name,aliases,source,source_ref,reason,listed_date\n" + (
        b"person,Orlan Vetrov,O. Vetrov|Orlan Vetroff,brookfield-trust,L1,invented,2025-01-02\n"
    )
    preview = await client.post(
        "/api/v1/flagged-entries/import?format=native-csv&dry_run=true", content=csv_v2, headers=officer
    )
    assert preview.json()["changed"] == 1
    assert preview.json()["removed"] == 1
    second = await client.post(
        "/api/v1/flagged-entries/import?format=native-csv", content=csv_v2, headers=officer
    )
    assert second.json()["version"] > first.json()["version"]
    assert (second.json()["changed"], second.json()["removed"]) == (1, 1)
    listed = await client.get("/api/v1/flagged-entries?include_inactive=true", headers=officer)
    by_ref = {e["source_ref"]: e for e in listed.json()}
    assert by_ref["L2"]["active"] is False  # deactivated with a reason, never deleted
    assert "no longer" in by_ref["L2"]["deactivated_reason"]


async def test_bad_file_names_the_line_and_imports_nothing(client: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    bad = b"kind,name\nperson,Valid Person\nalien,Not A Kind\n"
    response = await client.post(
        "/api/v1/flagged-entries/import?format=native-csv", content=bad, headers=officer
    )
    assert response.status_code == 422
    assert "line 3" in response.text
    assert (await client.get("/api/v1/flagged-entries", headers=officer)).json() == []
    unknown = await client.post("/api/v1/flagged-entries/import?format=xlsx", content=b"x", headers=officer)
    assert unknown.status_code == 422


async def test_real_layout_samples_import(client: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    for name, fmt in (
        ("uk_sanctions_list.csv", "uk-sanctions-csv"),
        ("ofac_sdn.zip", "ofac-sdn-csv"),
        ("proscribed_organisations.txt", "proscribed-text"),
        ("flagged_native.json", "native-json"),
    ):
        content = (SAMPLES / name).read_bytes()
        if fmt == "native-json":
            # Rows of source "local" (or none) would be refused: imports never claim the hand-added source.
            rows = json.loads(content)
            for row in rows:
                if row.get("source", "local") == "local":
                    row["source"] = "brookfield-trust"
            content = json.dumps(rows).encode()
        response = await client.post(
            f"/api/v1/flagged-entries/import?format={fmt}", content=content, headers=officer
        )
        assert response.status_code == 200, (name, response.text)
        assert response.json()["added"] > 0


async def test_import_rescreens_upcoming_bookings(client: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    created = await client.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["hall_b"].id, next_weekday(2), people=[{"name": "Kasimir Dobrev", "role": "speaker"}]
        ),
    )
    app_id = created.json()["id"]
    before = (await client.get(f"/api/v1/applications/{app_id}", headers=officer)).json()
    assert before["screening"] == []
    csv = b"kind,name,aliases,source,source_ref,reason,listed_date\n" + (
        b"person,Kazimir Dobrev,,uk-sanctions,K1,invented,\n"
    )
    imported = await client.post(
        "/api/v1/flagged-entries/import?format=native-csv", content=csv, headers=officer
    )
    assert imported.json()["rescreen"]["new_matches"] == 1
    after = (await client.get(f"/api/v1/applications/{app_id}", headers=officer)).json()
    assert [m["matched_name"] for m in after["screening"]] == ["Kazimir Dobrev"]


async def test_ad_hoc_screening(client: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    await client.post(
        "/api/v1/flagged-entries",
        json={
            "kind": "person",
            "name": "Muhammad Tariq Qureshi",
            "aliases": [],
            "source": "local",
            "reason": "x",
        },
        headers=officer,
    )
    response = await client.post(
        "/api/v1/screening",
        json={"names": ["Mohammed Qureshi", "Mohammed Khan"], "kind": "person"},
        headers=officer,
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert results[0]["matches"], results
    assert "Qureshi" in results[0]["matches"][0]["explanation"]
    assert results[1]["matches"] == []
    assert (await client.post("/api/v1/screening", json={"names": ["x"]})).status_code == 401
