"""The officer's flagged-list pages over HTTP (no browser): removed entries, and imports that name
every entry they remove and refuse the hand-added source."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import bearer

Client = AsyncTestClient[Litestar]
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
BLOB_RE = re.compile(r'name="blob" value="([^"]+)"')
HEADER = b"kind,name,aliases,source,source_ref,reason,listed_date\n"


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    # Secure cookies (the CSRF cookie) are only sent over https.
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _csrf(web: Client, officer: dict[str, str], path: str) -> str:
    page = await web.get(path, headers=officer)
    assert page.status_code == 200, page.text
    found = TOKEN_RE.search(page.text)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def _preview(web: Client, officer: dict[str, str], content: bytes) -> Any:
    token = await _csrf(web, officer, "/officer/flagged/import")
    return await web.post(
        "/officer/flagged/import",
        headers=officer,
        data={"format": "native-csv", "csrf_token": token},
        files={"file": ("list.csv", content, "text/csv")},
    )


async def test_the_flagged_page_lists_removed_entries_on_request(web: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    token = await _csrf(web, officer, "/officer/flagged")
    for name in ("Thessaly Marchbank", "Corvin Aldersgate"):
        added = await web.post(
            "/officer/flagged",
            headers=officer,
            data={
                "kind": "person",
                "name": name,
                "reason": "invented for a test",
                "source_detail": "council records",
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert added.status_code in (302, 303), added.text
    entries = (await web.get("/api/v1/flagged-entries", headers=officer)).json()
    assert {(e["source"], e["source_detail"]) for e in entries} == {("local", "council records")}
    gone = next(e for e in entries if e["name"] == "Corvin Aldersgate")
    removed = await web.post(
        f"/officer/flagged/{gone['id']}/deactivate",
        headers=officer,
        data={"reason": "entered by mistake", "csrf_token": token},
        follow_redirects=False,
    )
    assert removed.status_code in (302, 303), removed.text

    active = (await web.get("/officer/flagged", headers=officer)).text
    assert "Thessaly Marchbank" in active
    assert "Corvin Aldersgate" not in active
    inactive = (await web.get("/officer/flagged?active=false", headers=officer)).text
    assert "Corvin Aldersgate" in inactive
    assert "entered by mistake" in inactive
    assert "Thessaly Marchbank" not in inactive
    everything = (await web.get("/officer/flagged?active=all", headers=officer)).text
    assert "Corvin Aldersgate" in everything
    assert "Thessaly Marchbank" in everything
    assert "council records" in everything


async def test_import_preview_and_result_name_every_entry_removed(
    web: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    first = await web.post(
        "/api/v1/flagged-entries/import?format=native-csv",
        content=HEADER
        + b"person,Orlan Vetrov,,brookfield-trust,B1,invented,\n"
        + b"organisation,Grey Lantern Front,,brookfield-trust,B2,invented,\n",
        headers=officer,
    )
    assert first.status_code == 200, first.text
    ids = {e["name"]: e["id"] for e in (await web.get("/api/v1/flagged-entries", headers=officer)).json()}

    preview = await _preview(web, officer, HEADER + b"person,Orlan Vetrov,,brookfield-trust,B1,invented,\n")
    assert preview.status_code == 200, preview.text
    listed = preview.text[preview.text.index('id="deactivated"') :]
    assert "Grey Lantern Front" in listed
    assert "B2" in listed
    assert ids["Grey Lantern Front"] in listed
    assert "Orlan Vetrov" not in listed.split("</table>")[0]

    blob, token = BLOB_RE.search(preview.text), TOKEN_RE.search(preview.text)
    assert blob and token
    done = await web.post(
        "/officer/flagged/import/confirm",
        headers=officer,
        data={"blob": blob.group(1), "csrf_token": token.group(1)},
    )
    assert done.status_code == 200, done.text
    removed = done.text[done.text.index('id="deactivated"') :].split("</table>")[0]
    assert "Grey Lantern Front" in removed
    assert ids["Grey Lantern Front"] in removed


async def test_import_preview_refuses_the_hand_added_source(web: Client, seeded: dict[str, Any]) -> None:
    officer = bearer(seeded["officer_token"])
    refused = await _preview(web, officer, HEADER + b"person,Orlan Vetrov,,local,L1,invented,\n")
    assert refused.status_code == 400
    assert "kept for entries officers add by hand" in refused.text
    assert (await web.get("/api/v1/flagged-entries?active=all", headers=officer)).json() == []
