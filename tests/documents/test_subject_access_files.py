"""Issue 20 item 6: subject access exports include the documents themselves (a zip with the
export and the files, from the API and the command line), and an erased case leaves no file."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.dataprotection.retention import apply_purge, plan_purge
from api.settings import Settings, get_settings
from tests.documents.conftest import jpeg_with_exif, pdf, spool_names, store_names
from tests.documents.test_documents import INSURANCE, documents_of, send
from tests.factories import bearer
from tests.security.helpers import submit
from vetting.documents import CaseDocument

Client = AsyncTestClient[Litestar]
SAFEGUARDING = {"kind": "safeguarding_policy"}


async def _archive(web: Client, seeded: dict[str, Any], email: str) -> zipfile.ZipFile:
    response = await web.post(
        "/api/v1/subject-access/archive", json={"email": email}, headers=bearer(seeded["admin_token"])
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.content))


async def test_the_archive_holds_the_export_and_each_document_as_kept(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    token = created["applicant_token"]
    certificate = pdf(size=200_000)
    assert (await send(web, token, "certificate.pdf", certificate)).status_code == 303
    assert (await send(web, token, "policy photo.jpg", jpeg_with_exif(), SAFEGUARDING)).status_code == 303
    documents = {d.original_name: d for d in await documents_of(engine, created["id"])}
    email = "morgan@testtown.example"  # the contact tests.factories.application_payload sends
    archive = await _archive(web, seeded, email)
    export = json.loads(archive.read("subject-access.json"))
    (request,) = [r for r in export["requests"] if r["reference"] == created["reference"]]
    listed = {d["file_name"]: d for d in request["documents"]}
    assert set(listed) == {"certificate.pdf", "policy photo.jpg"}
    for name, document in documents.items():
        inside = archive.read(listed[name]["file_in_archive"])
        # What was kept is what is disclosed: the same bytes as the store holds (the photo as
        # re-encoded on arrival), matching the SHA-256 the export states.
        assert hashlib.sha256(inside).hexdigest() == document.sha256 == listed[name]["sha256"]
    assert archive.read(listed["certificate.pdf"]["file_in_archive"]) == certificate
    assert b"Testcam" not in archive.read(listed["policy photo.jpg"]["file_in_archive"])
    assert "subject-access.html" in archive.namelist()
    assert not any(p.suffix == ".zip" for p in settings.documents_spool_dir.glob("*"))  # sent, then gone
    # Admins only: an officer is refused.
    refused = await web.post(
        "/api/v1/subject-access/archive", json={"email": email}, headers=bearer(seeded["officer_token"])
    )
    assert refused.status_code == 403


async def test_quarantined_documents_are_listed_without_their_file(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    assert (await send(web, created["applicant_token"], "c.pdf", pdf())).status_code == 303
    (document,) = await documents_of(engine, created["id"])
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        row = await s.get(CaseDocument, document.id)
        assert row is not None
        row.scan_state = "quarantined"
        await s.commit()
    archive = await _archive(web, seeded, "morgan@testtown.example")
    export = json.loads(archive.read("subject-access.json"))
    (request,) = [r for r in export["requests"] if r["reference"] == created["reference"]]
    assert request["documents"][0]["file_in_archive"] is None
    assert not [n for n in archive.namelist() if n.startswith("documents/")]


async def test_an_erased_case_leaves_no_file_and_no_document_in_the_export(
    app: Litestar, web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    assert (await send(web, created["applicant_token"], "c.pdf", pdf(), INSURANCE)).status_code == 303
    assert len(store_names(settings)) == 1
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=365 * 10)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        plan = await plan_purge(s, now=later)
        assert plan.counts()["documents"] == 1
        await apply_purge(s, plan, now=later, store=app.state.documents)
        await s.commit()
    assert store_names(settings) == [] and spool_names(settings) == []  # listing the store itself
    archive = await _archive(web, seeded, "morgan@testtown.example")
    assert not [n for n in archive.namelist() if n.startswith("documents/")]
    assert created["reference"] not in archive.read("subject-access.json").decode()


@pytest.mark.slow
async def test_the_command_writes_the_archive_beside_the_json(
    web: Client,
    engine: AsyncEngine,
    seeded: dict[str, Any],
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from api.cli import main

    created = await submit(web, seeded["hall_a"].id)
    assert (await send(web, created["applicant_token"], "c.pdf", pdf())).status_code == 303
    monkeypatch.setenv("VENUE_HIRE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("VENUE_HIRE_DOCUMENTS_STORE", settings.documents_store)
    get_settings.cache_clear()
    out = tmp_path / "sar"
    args = ["subject-access", "export", "--email", "morgan@testtown.example", "--out", str(out)]
    try:
        assert await asyncio.to_thread(main, args) == 0
    finally:
        get_settings.cache_clear()
    (zipped,) = out.glob("*.zip")
    with zipfile.ZipFile(zipped) as archive:
        assert [n for n in archive.namelist() if n.endswith("-c.pdf")]
    assert oct(zipped.stat().st_mode & 0o777) == "0o600"
