"""Issue 20 item 1: evidence sent inside the booking form itself, before "Send request".

The check page's "Upload document" button posts the form as multipart/form-data (no JavaScript
needed); the file goes through the same streaming, type, re-encoding and clamd checks as any
upload, is staged against the draft, listed on the page, and attached to the request it sends.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.models import AuditRecord
from api.settings import Settings
from casework.staged_documents import STAGED_HOURS, purge_abandoned_staged
from casework.workflow import Workflow
from policies import default_declarations
from tests.documents.conftest import INFECTED_PDF, jpeg_with_exif, pdf, spool_names, store_names
from tests.documents.test_documents import INSURANCE, documents_of
from tests.web.pages import booking_form_steps
from tests.web.sign_in import csrf_of
from vetting.documents import StagedDocument
from vetting.models import CaseEvent, VettingCase

Client = AsyncTestClient[Litestar]
STATE_RE = re.compile(r'name="state" value="([^"]+)"')


async def check_page(web: Client, seeded: dict[str, Any]) -> tuple[str, str]:
    """The booking form filled in up to its check page: (its HTML, the CSRF token)."""
    page = await web.get("/book")
    token = csrf_of(page.text)
    html = page.text
    for fields in [
        *booking_form_steps(seeded, 2),
        {"step": "questions", "q_alcohol": "no"},
        {"step": "declarations", "declarations": default_declarations()},
    ]:
        state = STATE_RE.search(html)
        assert state, html[:2000]
        data = {"state": state.group(1), "csrf_token": token, "nav": "continue", **fields}
        response = await web.post("/book", data=data)
        assert response.status_code == 200, response.text[:3000]
        html = response.text
    assert "Check your answers" in html
    return html, token


def upload_action(html: str) -> str:
    found = re.search(r'formaction="([^"]+)" formenctype="multipart/form-data"', html)
    assert found, "the check page has a no-JavaScript upload button"
    return found.group(1).replace("&amp;", "&")


async def upload(
    web: Client, html: str, token: str, name: str, content: bytes, fields: dict[str, str] | None = None
) -> Any:
    state = STATE_RE.search(html)
    assert state
    data = {"state": state.group(1), "csrf_token": token, "step": "check", **(fields or INSURANCE)}
    return await web.post(
        upload_action(html), data=data, files={"file": (name, content, "application/octet-stream")}
    )


async def send_request(web: Client, html: str, token: str, **extra: str) -> Any:
    state = STATE_RE.search(html)
    assert state
    data = {"state": state.group(1), "csrf_token": token, "step": "check", "nav": "continue", **extra}
    return await web.post("/book", data=data, follow_redirects=False)


async def staged_rows(engine: AsyncEngine) -> list[StagedDocument]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        return list((await s.execute(select(StagedDocument))).scalars())


async def the_case(engine: AsyncEngine) -> VettingCase:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        return (await s.execute(select(VettingCase))).scalar_one()


async def test_a_certificate_sent_in_the_form_goes_with_the_request(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    html, token = await check_page(web, seeded)
    assert "Documents (optional)" in html and "for the check “insurance”" in html
    uploaded = await upload(web, html, token, "insurance.pdf", pdf())
    assert uploaded.status_code == 200, uploaded.text[:2000]
    assert "Documents sent with this request" in uploaded.text and "insurance.pdf" in uploaded.text
    assert "Testshire Mutual" in uploaded.text
    (staged,) = await staged_rows(engine)
    assert staged.kind == "insurance_certificate" and staged.expires_on == dt.date(2099, 3, 31)
    assert store_names(settings) == [staged.file.path] and spool_names(settings) == []
    # A second, the safeguarding policy as a phone photo: re-encoded, as for any upload.
    uploaded = await upload(
        web, uploaded.text, token, "policy.jpg", jpeg_with_exif(), {"kind": "safeguarding_policy"}
    )
    assert uploaded.status_code == 200 and "policy.jpg" in uploaded.text
    sent = await send_request(web, uploaded.text, token)
    assert sent.status_code == 303, sent.text[:2000]
    case = await the_case(engine)
    documents = sorted(await documents_of(engine, str(case.id)), key=lambda d: d.kind)
    assert [(d.kind, d.original_name, d.answers) for d in documents] == [
        ("insurance_certificate", "insurance.pdf", "booking_form"),
        ("safeguarding_policy", "policy.jpg", "booking_form"),
    ]
    assert documents[0].file.path == staged.file.path  # the same stored file: nothing copied
    assert documents[0].insurer == "Testshire Mutual" and documents[0].cover_gbp == 5_000_000
    assert documents[0].organisation_id == case.organisation_id
    assert await staged_rows(engine) == []
    assert len(store_names(settings)) == 2
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        query = select(CaseEvent.action).where(CaseEvent.case_id == case.id)
        events = (await s.execute(query)).scalars().all()
    assert list(events).count("document_received") == 2
    status = await web.get(sent.headers["location"])
    assert "insurance.pdf" in status.text and "Waiting to be checked" in status.text


async def test_refusals_in_the_form_keep_nothing(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    html, token = await check_page(web, seeded)
    wrong = await upload(web, html, token, "certificate.pdf", b"MZ\x90\x00 not a pdf at all " * 20)
    assert wrong.status_code == 400
    assert "must be a PDF, a photo (JPG or PNG) or an office document" in wrong.text
    too_large = await upload(web, html, token, "big.pdf", pdf(size=10 * 1024 * 1024 + 10))
    assert too_large.status_code == 400 and "smaller than 10 MB" in too_large.text
    tricked = await upload(web, html, token, "../../etc/passwd.pdf", pdf(), {**INSURANCE, "insurer": ""})
    assert tricked.status_code == 400 and "Enter the name of the insurer" in tricked.text
    # The typed particulars are shown again to correct.
    assert 'value="5000000"' in tricked.text
    assert await staged_rows(engine) == [] and store_names(settings) == [] and spool_names(settings) == []
    # A file chosen but never uploaded is not silently dropped by "Send request".
    forgot = await send_request(web, html, token, file="insurance.pdf")
    assert forgot.status_code == 400 and "Upload document" in forgot.text
    # A forged draft is refused and the file not kept.
    forged = await web.post(
        upload_action(html),
        data={"state": "forged", "csrf_token": token, **INSURANCE},
        files={"file": ("c.pdf", pdf(), "application/pdf")},
    )
    assert forged.status_code == 400 and spool_names(settings) == []


async def test_names_are_neutralised_and_removal_deletes_the_file(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    html, token = await check_page(web, seeded)
    uploaded = await upload(web, html, token, "..\\..\\evil/../cert<script>.pdf", pdf())
    assert uploaded.status_code == 200
    (staged,) = await staged_rows(engine)
    assert staged.original_name == "cert<script>.pdf" and "<script>" not in uploaded.text
    assert "/" not in staged.file.path and "cert" not in staged.file.path
    removed = await send_request(web, uploaded.text, token, nav=f"remove_document:{staged.id}")
    assert removed.status_code == 200 and "Documents sent with this request" not in removed.text
    assert await staged_rows(engine) == [] and store_names(settings) == []
    sent = await send_request(web, removed.text, token)
    assert sent.status_code == 303
    assert await documents_of(engine, str((await the_case(engine)).id)) == []


async def test_only_what_the_page_listed_is_attached_and_abandoned_drafts_are_purged(
    app: Litestar, web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    html, token = await check_page(web, seeded)
    # Uploaded, but the hirer went on from the page as it was before (an older draft).
    assert (await upload(web, html, token, "old.pdf", pdf())).status_code == 200
    other_html, other_token = await check_page(web, seeded)
    assert (await upload(web, other_html, other_token, "abandoned.pdf", pdf())).status_code == 200
    sent = await send_request(web, html, token)
    assert sent.status_code == 303
    assert await documents_of(engine, str((await the_case(engine)).id)) == []
    assert len(await staged_rows(engine)) == 2 and len(store_names(settings)) == 2
    maker = async_sessionmaker(engine, expire_on_commit=False)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=STAGED_HOURS + 1)
    for now, expected in ((soon, 0), (later, 2), (later, 0)):
        async with maker() as s:
            assert (
                await purge_abandoned_staged(Workflow(session=s, documents=app.state.documents), now)
                == expected
            )
            await s.commit()
    assert await staged_rows(engine) == [] and store_names(settings) == []


async def test_an_infected_file_in_the_form_is_refused_by_a_real_clamd_and_audited(
    scanned_web: Client, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    html, token = await check_page(scanned_web, seeded)
    refused = await upload(scanned_web, html, token, "certificate.pdf", INFECTED_PDF)
    assert refused.status_code == 400 and "contains a virus" in refused.text
    assert await staged_rows(engine) == [] and store_names(settings) == [] and spool_names(settings) == []
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        actions = (await s.execute(select(AuditRecord.action, AuditRecord.object_type))).tuples().all()
    assert ("document_refused_infected", "booking_form") in actions
    clean = await upload(scanned_web, html, token, "certificate.pdf", pdf())
    assert clean.status_code == 200
    (staged,) = await staged_rows(engine)
    assert staged.scan_state == "clean"
    sent = await send_request(scanned_web, clean.text, token)
    assert sent.status_code == 303
    (document,) = await documents_of(engine, str((await the_case(engine)).id))
    assert document.scan_state == "clean" and UUID(str(document.id))
