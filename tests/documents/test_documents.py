"""Issue 20: documents sent from the status page are checked while they stream, sniffed, renamed,
re-encoded, scanned by a real clamd, served to staff only, and verified by officers."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.dataprotection.retention import apply_purge, plan_purge
from api.dataprotection.subject_access import export_subject
from api.models import AuditRecord
from api.settings import Settings
from casework.document_expiry import expiring_documents_job
from casework.document_review import review_document
from casework.documents import rescan_quarantined, reusable_documents
from casework.organisation_review import resolve_organisation_link
from casework.workflow import DecisionInput, Workflow
from tests import factories as f
from tests.documents.conftest import INFECTED_PDF, jpeg_with_exif, pdf, spool_names, store_names
from tests.factories import bearer
from tests.security.helpers import submit
from tests.web.sign_in import csrf_of, sign_in_officer
from vetting.actors import Actor
from vetting.documents import CaseDocument
from vetting.errors import Invalid
from vetting.models import CaseEvent, VettingCase
from vetting.outbox_models import OutboxMessage
from vetting.scanner import ClamdScanner

Client = AsyncTestClient[Litestar]
INSURANCE = {
    "kind": "insurance_certificate",
    "insurer": "Testshire Mutual",
    "cover_gbp": "5000000",
    "expires_on": "2099-03-31",
}


async def send(
    web: Client, token: str, name: str, content: bytes, fields: dict[str, str] | None = None
) -> Any:
    page = await web.get(f"/status/{token}")
    assert page.status_code == 200, page.text
    data = {"csrf_token": csrf_of(page.text), **(fields if fields is not None else INSURANCE)}
    return await web.post(
        f"/status/{token}/documents",
        data=data,
        files={"file": (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


async def documents_of(engine: AsyncEngine, case_id: str) -> list[CaseDocument]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        rows = await s.execute(select(CaseDocument).where(CaseDocument.case_id == UUID(case_id)))
        return list(rows.scalars())


async def history_of(engine: AsyncEngine, case_id: str) -> list[CaseEvent]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        rows = await s.execute(
            select(CaseEvent).where(CaseEvent.case_id == UUID(case_id)).order_by(CaseEvent.id)
        )
        return list(rows.scalars())


async def test_a_certificate_is_kept_under_a_random_name_and_served_to_officers_only(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    content = pdf()
    sent = await send(web, created["applicant_token"], "Insurance 2027.pdf", content)
    assert sent.status_code in (302, 303), sent.text
    (document,) = await documents_of(engine, created["id"])
    assert document.kind == "insurance_certificate" and document.check == "insurance"
    assert document.content_type == "application/pdf" and document.original_name == "Insurance 2027.pdf"
    assert document.insurer == "Testshire Mutual" and document.cover_gbp == 5_000_000
    assert document.scan_state == "not_scanned"
    # Stored under a random name, nothing derived from the hirer's; the spool is empty again.
    assert store_names(settings) == [document.file.path]
    assert re.fullmatch(r"[0-9a-f]{32}", document.file.path)
    assert spool_names(settings) == []
    status = await web.get(f"/status/{created['applicant_token']}")
    assert "Waiting to be checked" in status.text and "Insurance 2027.pdf" in status.text

    url = f"/officer/documents/{document.id}/file"
    # Not for the hirer, anonymous callers or venue managers.
    assert (await web.get(url, follow_redirects=False)).status_code in (302, 303, 401)
    assert (await web.get(url, headers=bearer(seeded["manager_token"]))).status_code == 403
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        await sign_in_officer(web, session, seeded)
    download = await web.get(url)
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"].startswith("application/pdf")
    assert download.headers["content-disposition"].startswith('attachment; filename="Insurance 2027.pdf"')
    assert download.headers["x-content-type-options"] == "nosniff"
    inline = await web.get(f"/officer/documents/{document.id}/view")
    assert inline.headers["content-disposition"].startswith("inline")
    case_page = await web.get(f"/officer/cases/{created['id']}")
    assert "not scanned" in case_page.text and "Open the documents" in case_page.text
    viewer = await web.get(f"/officer/cases/{created['id']}/documents?show={document.id}")
    assert viewer.status_code == 200 and f"/officer/documents/{document.id}/view" in viewer.text
    assert "No virus scanner is configured" in viewer.text


async def test_refusals_too_large_wrong_type_empty_and_missing_details(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    token = created["applicant_token"]
    too_big = await send(web, token, "big.pdf", pdf(size=10 * 1024 * 1024 + 1))
    assert too_big.status_code == 400 and "The file must be smaller than 10 MB" in too_big.text
    html_as_pdf = await send(web, token, "certificate.pdf", b"<html><script>alert(1)</script></html>")
    assert html_as_pdf.status_code == 400
    assert "The selected file must be a PDF, a photo (JPG or PNG) or an office document" in html_as_pdf.text
    exe_as_png = await send(web, token, "photo.png", b"MZ\x90\x00" + b"\0" * 200)
    assert exe_as_png.status_code == 400 and "must be a PDF" in exe_as_png.text
    empty = await send(web, token, "empty.pdf", b"")
    assert empty.status_code == 400 and "Choose the file to send" in empty.text
    no_insurer = await send(
        web, token, "c.pdf", pdf(), {**INSURANCE, "insurer": "", "expires_on": "31/3/2027"}
    )
    assert no_insurer.status_code == 400
    assert "Enter the name of the insurer" in no_insurer.text or "real date" in no_insurer.text
    no_kind = await send(web, token, "c.pdf", pdf(), {"kind": "passport"})
    assert no_kind.status_code == 400 and "Choose what the document is" in no_kind.text
    assert await documents_of(engine, created["id"]) == []
    assert store_names(settings) == [] and spool_names(settings) == []
    # Exactly at the limit is accepted.
    at_limit = await send(web, token, "big.pdf", pdf(size=10 * 1024 * 1024))
    assert at_limit.status_code in (302, 303), at_limit.text[:500]


async def test_path_tricks_in_names_are_neutralised(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings, tmp_path: Path
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    for name in ("../../../../etc/cron.d/x.pdf", "..\\..\\Windows\\cert.pdf", "\x00\x1b[31m..pdf", "..."):
        sent = await send(web, created["applicant_token"], name, pdf(), {"kind": "risk_assessment"})
        assert sent.status_code in (302, 303), (name, sent.text[:300])
    names = sorted(d.original_name for d in await documents_of(engine, created["id"]))
    assert names == sorted(["x.pdf", "cert.pdf", "[31m..pdf".lstrip("."), "document"]) or all(
        "/" not in n and "\\" not in n and not n.startswith(".") for n in names
    )
    assert all(re.fullmatch(r"[0-9a-f]{32}", n) for n in store_names(settings))
    # Nothing was written outside the store and the spool.
    assert not any(p.name in ("x.pdf", "cert.pdf") for p in tmp_path.rglob("*"))


async def test_photos_are_re_encoded_without_their_metadata(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif().get(0x010F) == "Testcam"
    sent = await send(
        web, created["applicant_token"], "policy.jpg", original, {"kind": "safeguarding_policy"}
    )
    assert sent.status_code in (302, 303), sent.text[:300]
    (document,) = await documents_of(engine, created["id"])
    stored = (Path(settings.documents_store) / document.file.path).read_bytes()
    assert document.content_type == "image/jpeg" and stored != original
    kept = Image.open(io.BytesIO(stored))
    assert kept.size == (32, 24) and len(kept.getexif()) == 0 and b"Testcam" not in stored


async def test_officer_verifies_and_the_check_passes_or_rejects_and_the_hirer_is_asked_again(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    token = created["applicant_token"]
    assert (await send(web, token, "insurance.pdf", pdf())).status_code in (302, 303)
    assert (
        await send(web, token, "safeguarding.pdf", pdf(), {"kind": "safeguarding_policy"})
    ).status_code in (302, 303)
    insurance, safeguarding = sorted(await documents_of(engine, created["id"]), key=lambda d: d.kind)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        await sign_in_officer(web, session, seeded)
    viewer = await web.get(f"/officer/cases/{created['id']}/documents")
    csrf = csrf_of(viewer.text)
    missing = await web.post(f"/officer/documents/{insurance.id}/review", data={"csrf_token": csrf})
    assert missing.status_code == 400 and "Choose whether to accept or reject the document" in missing.text
    verified = await web.post(
        f"/officer/documents/{insurance.id}/review",
        data={
            "csrf_token": csrf,
            "outcome": "verify",
            "note": "Cover and dates match",
            "cover_gbp": "6000000",
        },
        follow_redirects=False,
    )
    assert verified.status_code in (302, 303), verified.text[:500]
    case = (
        await web.get(f"/api/v1/applications/{created['id']}", headers=bearer(seeded["officer_token"]))
    ).json()
    check = next(c for c in case["checks"] if c["check"] == "insurance")
    assert check["outcome"] == "pass" and check["automatic"]["outcome"] == "review"
    assert check["officer"]["document_id"] == str(insurance.id)
    assert check["officer"]["note"].startswith("Public liability insurance certificate verified")
    (after,) = [d for d in await documents_of(engine, created["id"]) if d.id == insurance.id]
    assert after.review_state == "verified" and after.cover_gbp == 6_000_000

    rejected = await web.post(
        f"/officer/documents/{safeguarding.id}/review",
        data={"csrf_token": csrf, "outcome": "reject", "note": "The policy is unsigned"},
        follow_redirects=False,
    )
    assert rejected.status_code in (302, 303), rejected.text[:500]
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        kinds = (
            (
                await s.execute(
                    select(OutboxMessage.template).where(OutboxMessage.case_id == UUID(created["id"]))
                )
            )
            .scalars()
            .all()
        )
    assert "document_rejected" in kinds
    status = await web.get(f"/status/{token}")
    assert "Not accepted: The policy is unsigned" in status.text
    again = await web.post(
        f"/officer/documents/{safeguarding.id}/review",
        data={"csrf_token": csrf, "outcome": "verify", "note": "x"},
    )
    assert again.status_code == 409


async def test_infected_files_are_refused_by_a_real_clamd_and_audited(
    scanned_web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    web = scanned_web
    created = await submit(web, seeded["hall_a"].id)
    refused = await send(web, created["applicant_token"], "certificate.pdf", INFECTED_PDF)
    assert refused.status_code == 400
    assert "The selected file contains a virus and was not kept" in refused.text
    assert await documents_of(engine, created["id"]) == []
    assert store_names(settings) == [] and spool_names(settings) == []
    events = [e for e in await history_of(engine, created["id"]) if e.action == "document_refused"]
    assert events and events[0].detail["reason"] == "infected"
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        audited = (
            (await s.execute(select(AuditRecord).where(AuditRecord.action == "document_refused_infected")))
            .scalars()
            .all()
        )
    assert [a.object_id for a in audited] == [created["id"]]
    # A clean file is scanned and kept as clean.
    clean = await send(web, created["applicant_token"], "certificate.pdf", pdf())
    assert clean.status_code in (302, 303), clean.text[:300]
    (document,) = await documents_of(engine, created["id"])
    assert document.scan_state == "clean"


async def test_quarantine_until_the_scanner_answers(
    app: Litestar,
    web: Client,
    engine: AsyncEngine,
    seeded: dict[str, Any],
    settings: Settings,
    clamd_socket: Path,
    tmp_path: Path,
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    # A scanner is configured but not answering: the document is kept, in quarantine.
    app.state.scanner = ClamdScanner(tmp_path / "no-clamd.sock")
    sent = await send(web, created["applicant_token"], "certificate.pdf", pdf())
    assert sent.status_code in (302, 303), sent.text[:300]
    (document,) = await documents_of(engine, created["id"])
    assert document.scan_state == "quarantined"
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        await sign_in_officer(web, session, seeded)
    assert (await web.get(f"/officer/documents/{document.id}/file")).status_code == 409
    viewer = await web.get(f"/officer/cases/{created['id']}/documents")
    assert "waiting for the virus scanner" in viewer.text and "/review" not in viewer.text
    # The scanner is back: the document is scanned clean and can be opened.
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        deps = Workflow(session=s, documents=app.state.documents, scanner=ClamdScanner(clamd_socket))
        assert await rescan_quarantined(deps, settings.documents_spool_dir) == 1
        await s.commit()
    assert (await web.get(f"/officer/documents/{document.id}/file")).status_code == 200


async def test_closed_cases_take_no_documents(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        case = await s.get(VettingCase, UUID(created["id"]))
        assert case is not None
        case.status = "withdrawn"
        await s.commit()
    page = await web.get(f"/status/{created['applicant_token']}")
    assert 'action="/status/' + created["applicant_token"] + '/documents"' not in page.text
    refused = await send(web, created["applicant_token"], "c.pdf", pdf())
    assert refused.status_code == 409


async def test_retention_removes_rows_and_files_and_subject_access_lists_documents(
    app: Litestar, web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    assert (await send(web, created["applicant_token"], "certificate.pdf", pdf())).status_code in (302, 303)
    (document,) = await documents_of(engine, created["id"])
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        case = await s.get(VettingCase, UUID(created["id"]))
        assert case is not None
        export = await export_subject(s, email=case.contact["email"])
    (request,) = [r for r in export["requests"] if r["reference"] == created["reference"]]
    assert request["documents"] == [
        {
            "id": str(document.id),
            "kind": "insurance_certificate",
            "file_name": "certificate.pdf",
            "content_type": "application/pdf",
            "size": document.size,
            "sha256": document.sha256,
            "sent_at": document.uploaded_at.isoformat(),
            "insurer": "Testshire Mutual",
            "cover_gbp": 5_000_000,
            "expires_on": "2099-03-31",
            "review": "submitted",
            "review_note": None,
            "file_in_archive": f"documents/{str(document.id)[:8]}-certificate.pdf",
        }
    ]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=365 * 10)
    async with maker() as s:
        plan = await plan_purge(s, now=later)  # a dry run: nothing changes
        assert plan.counts()["documents"] >= 1
        await s.rollback()
    assert store_names(settings) == [document.file.path]
    async with maker() as s:
        plan = await plan_purge(s, now=later)
        await apply_purge(s, plan, now=later, store=app.state.documents)
        await s.commit()
    assert store_names(settings) == []
    assert await documents_of(engine, created["id"]) == []


async def test_verified_documents_are_reused_by_the_organisations_later_requests_once_linked(
    app: Litestar, web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    first = await submit(web, seeded["hall_a"].id, organisation="Testtown Canoe Club")
    assert (await send(web, first["applicant_token"], "insurance.pdf", pdf())).status_code in (302, 303)
    (certificate,) = await documents_of(engine, first["id"])
    officer = Actor(id=seeded["officer"].id, name=seeded["officer"].name, role="officer")
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        await review_document(Workflow(session=s), officer, certificate.id, True, "Cover to 2099")
        await s.commit()
    second = await submit(web, seeded["hall_b"].id, weeks_ahead=6, organisation="Testtown Canoe Club")
    second_id = UUID(second["id"])
    async with maker() as s:
        workflow = Workflow(session=s, documents=app.state.documents)
        case = await workflow.get_case(second_id)
        assert case.organisation_link == "possible"
        assert await reusable_documents(workflow, case) == []  # not until it is the same organisation
        with pytest.raises(Invalid):
            await workflow.record_check_outcome(
                officer, second_id, "insurance", True, "On file", certificate.id
            )
        await s.rollback()
    async with maker() as s:
        workflow = Workflow(session=s, documents=app.state.documents)
        await resolve_organisation_link(workflow, officer, second_id, "confirm", "Same club secretary")
        await s.commit()
    async with maker() as s:
        workflow = Workflow(session=s, documents=app.state.documents)
        case = await workflow.get_case(second_id)
        reusable = await reusable_documents(workflow, case)
        assert [(d.id, ref) for d, ref in reusable] == [(certificate.id, first["reference"])]
        await workflow.record_check_outcome(officer, second_id, "insurance", True, "On file", certificate.id)
        await s.commit()
        check = next(c for c in case.checks if c["check"] == "insurance")
        assert check["outcome"] == "pass" and check["officer"]["document_id"] == str(certificate.id)
    async with maker() as session:
        await sign_in_officer(web, session, seeded)
    page = await web.get(f"/officer/cases/{second['id']}")
    assert f"verified on {first['reference']}" in page.text


async def test_a_certificate_expiring_before_the_series_ends_asks_the_hirer_and_tells_officers(
    app: Litestar, web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    first = f.next_weekday(2, weeks_ahead=4)
    body = f.application_payload(seeded["hall_a"].id, first, rrule="FREQ=WEEKLY;COUNT=8")
    created = (await web.post("/api/v1/applications", json=body)).json()
    expires = (first + dt.timedelta(days=14)).date()
    fields = {**INSURANCE, "expires_on": expires.isoformat()}
    assert (await send(web, created["applicant_token"], "insurance.pdf", pdf(), fields)).status_code in (
        302,
        303,
    )
    (certificate,) = await documents_of(engine, created["id"])
    officer = Actor(id=seeded["officer"].id, name=seeded["officer"].name, role="officer")
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        workflow = Workflow(session=s, documents=app.state.documents)
        await review_document(workflow, officer, certificate.id, True, "Cover seen")
        await workflow.decide(
            officer,
            UUID(created["id"]),
            DecisionInput(
                "approve", "Approved", checks_in_review_confirmed=True, checks_in_review_reason="Seen"
            ),
        )
        await s.commit()

    async def run(now: dt.datetime) -> int:
        async with maker() as s:
            sent = await expiring_documents_job(Workflow(session=s), now)
            await s.commit()
            return sent

    early = dt.datetime.combine(expires, dt.time(3), dt.UTC) - dt.timedelta(days=60)
    due = dt.datetime.combine(expires, dt.time(3), dt.UTC) - dt.timedelta(days=10)
    assert await run(early) == 0  # too far ahead
    assert await run(due) == 1
    assert await run(due) == 0  # once per document
    async with maker() as s:
        names = (
            (
                await s.execute(
                    select(OutboxMessage.template).where(OutboxMessage.case_id == UUID(created["id"]))
                )
            )
            .scalars()
            .all()
        )
    assert "document_expiring" in names and "alert_document_expiring" in names
