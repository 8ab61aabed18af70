"""Issue 20: case documents over the JSON API: list, download and review for the case's own
officers only (the role x route matrix in tests/security covers the routes' roles too)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests import factories as f
from tests.documents.conftest import pdf
from tests.documents.test_documents import documents_of, send
from tests.factories import bearer
from tests.security.helpers import submit
from vetting.documents import CaseDocument
from vetting.outbox_models import OutboxMessage

Client = AsyncTestClient[Litestar]


async def test_officers_list_download_and_verify_over_the_api(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    content = pdf("Testshire Mutual certificate")
    assert (await send(web, created["applicant_token"], "cert.pdf", content)).status_code == 303
    officer = bearer(seeded["officer_token"])
    listed = await web.get(f"/api/v1/applications/{created['id']}/documents", headers=officer)
    assert listed.status_code == 200, listed.text
    (document,) = listed.json()
    assert document["kind"] == "insurance_certificate" and document["check"] == "insurance"
    assert document["insurer"] == "Testshire Mutual" and document["review_state"] == "submitted"
    (row,) = await documents_of(engine, created["id"])
    assert row.file.path not in listed.text  # never the stored (random) name
    download = await web.get(document["file_url"], headers=officer)
    assert download.status_code == 200 and download.content == content
    assert download.headers["content-type"].startswith("application/pdf")
    assert download.headers["content-disposition"].startswith('attachment; filename="cert.pdf"')
    assert download.headers["x-content-type-options"] == "nosniff"

    bad = await web.post(
        f"/api/v1/documents/{document['id']}/review", json={"outcome": "maybe", "note": "x"}, headers=officer
    )
    assert bad.status_code in (400, 422)
    verified = await web.post(
        f"/api/v1/documents/{document['id']}/review",
        json={"outcome": "verify", "note": "Cover and dates match", "cover_gbp": 6_000_000},
        headers=officer,
    )
    assert verified.status_code == 200, verified.text
    assert verified.json()["review_state"] == "verified" and verified.json()["cover_gbp"] == 6_000_000
    assert verified.json()["reviewed_by"] == seeded["officer"].name
    case = (await web.get(f"/api/v1/applications/{created['id']}", headers=officer)).json()
    check = next(c for c in case["checks"] if c["check"] == "insurance")
    assert check["outcome"] == "pass" and check["officer"]["document_id"] == document["id"]
    again = await web.post(
        f"/api/v1/documents/{document['id']}/review", json={"outcome": "reject", "note": "x"}, headers=officer
    )
    assert again.status_code == 409


async def test_rejecting_over_the_api_asks_the_hirer_again(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    assert (await send(web, created["applicant_token"], "c.pdf", pdf())).status_code == 303
    (document,) = await documents_of(engine, created["id"])
    rejected = await web.post(
        f"/api/v1/documents/{document.id}/review",
        json={"outcome": "reject", "note": "The certificate is for another club"},
        headers=bearer(seeded["officer_token"]),
    )
    assert rejected.status_code == 200 and rejected.json()["review_state"] == "rejected"
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        from sqlalchemy import select

        sent = (
            (
                await s.execute(
                    select(OutboxMessage.template).where(OutboxMessage.case_id == UUID(created["id"]))
                )
            )
            .scalars()
            .all()
        )
    assert "document_rejected" in sent


async def test_other_councils_managers_hirers_and_quarantine_are_refused(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    assert (await send(web, created["applicant_token"], "c.pdf", pdf())).status_code == 303
    (document,) = await documents_of(engine, created["id"])
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        other = await f.make_provider(s, "Othershire Council", "council")
        _, other_token = await f.make_staff(s, "officer", provider=other)
        await s.commit()
    routes = (
        ("GET", f"/api/v1/applications/{created['id']}/documents", None),
        ("GET", f"/api/v1/documents/{document.id}/file", None),
        ("POST", f"/api/v1/documents/{document.id}/review", {"outcome": "verify", "note": "x"}),
    )
    for method, url, body in routes:
        # Another council's officer: not found (the case is outside their scope).
        theirs = await web.request(method, url, json=body, headers=bearer(other_token))
        assert theirs.status_code == 404, (url, theirs.text)
        # A venue manager and anyone without a token: refused by role.
        manager = await web.request(method, url, json=body, headers=bearer(seeded["manager_token"]))
        assert manager.status_code == 403, (url, manager.status_code)
        anonymous = await web.request(method, url, json=body)
        assert anonymous.status_code in (401, 403), (url, anonymous.status_code)
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        row = await s.get(CaseDocument, document.id)
        assert row is not None
        row.scan_state = "quarantined"
        await s.commit()
    officer = bearer(seeded["officer_token"])
    (listed,) = (await web.get(f"/api/v1/applications/{created['id']}/documents", headers=officer)).json()
    assert listed["file_url"] is None and listed["scan_state"] == "quarantined"
    assert (await web.get(f"/api/v1/documents/{document.id}/file", headers=officer)).status_code == 409
