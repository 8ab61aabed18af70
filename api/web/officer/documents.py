"""Officers' document pages (issue 20 item 4): the viewer per case, the file itself (as an
attachment, or shown in the browser's own viewer for PDFs and images), verify or reject."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Redirect, Stream, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from api.web.officer.page_helpers import form_text
from casework.document_review import Confirmed, review_document, staff_document
from casework.documents import case_documents, document_json, reusable_documents
from casework.workflow import Workflow
from policies import Policy
from vetting.actors import Actor
from vetting.documents import CaseDocument
from vetting.errors import Conflict, Invalid, NotFound
from vetting.policy_store import policy_version


async def officer_documents(workflow: Workflow, case_id: UUID, policy: Policy) -> list[dict[str, Any]]:
    """The case's documents as the case page and the viewer list them, then its organisation's
    verified documents from earlier requests still in date (marked as reused)."""
    own = [{**document_json(d, policy), "reused_from": None} for d in await case_documents(workflow, case_id)]
    case = await workflow.get_case(case_id)
    reused = [
        {
            **document_json(d, policy),
            "reused_from": reference,
            "label": f"{document_json(d, policy)['label']} (on file from {reference})",
        }
        for d, reference in await reusable_documents(workflow, case)
    ]
    return own + reused


# Nothing in a document may run scripts or load anything from the service's origin. Shown
# inline, a PDF or image may be framed by the service's own viewer page (and the PDF needs the
# browser's viewer, an object); downloaded, nothing may frame it.
DOCUMENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
INLINE_CSP = (
    "default-src 'none'; object-src 'self'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
)


def file_response(workflow: Workflow, document: CaseDocument, disposition: str) -> Stream:
    assert workflow.documents is not None
    store = workflow.documents
    # Read now: the session is committed (and the row expired) before the body is sent.
    file = document.file

    async def body() -> AsyncIterator[bytes]:
        async for chunk in store.stream(file):
            yield chunk

    name = document.original_name
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return Stream(
        body(),
        media_type=document.content_type,
        headers={
            "Content-Disposition": (
                f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
            ),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
            "Content-Security-Policy": INLINE_CSP if disposition == "inline" else DOCUMENT_CSP,
            "X-Frame-Options": "SAMEORIGIN" if disposition == "inline" else "DENY",
        },
    )


async def kept_document(workflow: Workflow, staff: Actor, document_id: UUID) -> CaseDocument:
    """A document staff may open whose file is still in the store (a 404, not a broken stream,
    for a row whose file is gone)."""
    document = await staff_document(workflow, staff, document_id)
    if workflow.documents is None or not await workflow.documents.exists(document.file):
        raise NotFound("the document's file is no longer kept")
    return document


class OfficerDocumentsController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _viewer(
        self,
        request: AnyRequest,
        staff: Actor,
        workflow: Workflow,
        case_id: UUID,
        *,
        errors: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> Template:
        if not staff.is_officer:
            raise NotFound("no such application")
        case = await workflow.get_case(case_id)
        policy = await policy_version(workflow.session, case.policy_id, case.policy_version)
        documents = await officer_documents(workflow, case_id, policy)
        shown_id = request.query_params.get("show")
        shown = next((d for d in documents if d["id"] == shown_id), None)
        return page(
            request,
            "officer_documents.html",
            {
                "case": {
                    "id": str(case.id),
                    "reference": case.reference,
                    "status": case.status,
                    "organisation": case.organisation_name,
                },
                "documents": documents,
                "shown": shown,
                "scanner": workflow.scanner.configured,
                "errors": errors or {},
                "message": message,
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get(
        "/cases/{case_id:uuid}/documents",
        opt={**roles(*OFFICERS), "audit": ("case", "view_documents", "case_id")},
    )
    async def viewer(self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow) -> Template:
        return await self._viewer(request, staff, workflow, case_id)

    @get(
        "/documents/{document_id:uuid}/file",
        opt={**roles(*OFFICERS), "audit": ("document", "download", "document_id")},
    )
    async def download(self, document_id: UUID, staff: Actor, workflow: Workflow) -> Stream:
        document = await kept_document(workflow, staff, document_id)
        return file_response(workflow, document, "attachment")

    @get(
        "/documents/{document_id:uuid}/view",
        opt={**roles(*OFFICERS), "audit": ("document", "view", "document_id")},
    )
    async def view(self, document_id: UUID, staff: Actor, workflow: Workflow) -> Stream:
        document = await kept_document(workflow, staff, document_id)
        if document.content_type not in ("application/pdf", "image/png", "image/jpeg"):
            # Only what the browser shows by itself is shown inline; the rest is downloaded.
            return file_response(workflow, document, "attachment")
        return file_response(workflow, document, "inline")

    @post(
        "/documents/{document_id:uuid}/review",
        opt={**roles(*OFFICERS), "audit": ("document", "review", "document_id")},
    )
    async def review(
        self,
        request: AnyRequest,
        document_id: UUID,
        staff: Actor,
        workflow: Workflow,
        db_session: AsyncSession,
    ) -> Template | Redirect:
        form = await request.form()
        document = await staff_document(workflow, staff, document_id)
        case_id = document.case_id
        outcome = form_text(form, "outcome")
        note = form_text(form, "note")
        errors: dict[str, str] = {}
        if outcome not in ("verify", "reject"):
            errors["review-outcome-" + str(document_id)] = "Choose whether to accept or reject the document"
        if not note:
            errors["review-note-" + str(document_id)] = "Enter what you found in the document"
        confirmed = Confirmed(insurer=form_text(form, "insurer") or None)
        cover = form_text(form, "cover_gbp").replace(",", "").replace("£", "")
        if cover:
            if cover.isdigit() and len(cover) <= 10:
                confirmed.cover_gbp = int(cover)
            else:
                errors["review-cover-" + str(document_id)] = (
                    "Enter the amount of cover in pounds, for example 5000000"
                )
        expires = form_text(form, "expires_on")
        if expires:
            try:
                confirmed.expires_on = dt.date.fromisoformat(expires)
            except ValueError:
                errors["review-expires-" + str(document_id)] = "Enter the expiry date as a real date"
        if errors:
            return await self._viewer(request, staff, workflow, case_id, errors=errors, status_code=400)
        try:
            await review_document(workflow, staff, document_id, outcome == "verify", note, confirmed)
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            return await self._viewer(
                request,
                staff,
                workflow,
                case_id,
                errors={"review-note-" + str(document_id): exc.message},
                status_code=400,
            )
        except Conflict as exc:
            await db_session.rollback()
            return await self._viewer(request, staff, workflow, case_id, message=exc.message, status_code=409)
        return redirect(f"/officer/cases/{case_id}/documents?done={outcome}")
