"""Case documents over the JSON API (issue 20): list a case's documents, download one, verify or
reject it. Staff only (officers of the case's own council or partner); the hirer sends documents
from the booking form and the status page (api/web/booking_documents.py, api/web/status_documents.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.response import Stream

from api.auth.actor import OFFICERS, roles
from api.schemas.documents import DocumentOut, DocumentReviewIn
from api.web.officer.documents import file_response, kept_document, officer_documents
from casework.document_review import Confirmed, review_document
from casework.documents import document_json
from casework.workflow import Workflow
from vetting.actors import Actor
from vetting.errors import NotFound
from vetting.policy_store import policy_version

# What the pages use to lay a document out, not part of the API's answer.
_PAGE_ONLY = ("label", "usable", "inline")


def _out(shown: dict[str, Any]) -> DocumentOut:
    url = f"/api/v1/documents/{shown['id']}/file" if shown["usable"] else None
    fields = {k: v for k, v in shown.items() if k not in _PAGE_ONLY}
    return DocumentOut.model_validate({**fields, "file_url": url})


class DocumentsController(Controller):
    path = "/api/v1"
    tags = ["documents"]

    @get(
        "/applications/{case_id:uuid}/documents",
        operation_id="listCaseDocuments",
        opt=roles(*OFFICERS),
        summary="A case's documents",
        description=(
            "The documents the hirer sent for the case (with their scan and review state and, for "
            "insurance, the particulars), then the organisation's documents verified on earlier "
            "requests and still in date (`reused_from`)."
        ),
    )
    async def list_documents(self, case_id: UUID, staff: Actor, workflow: Workflow) -> list[DocumentOut]:
        if not staff.is_officer:
            raise NotFound("no such application")
        case = await workflow.get_case(case_id)  # scoped: another organisation's case is not found
        policy = await policy_version(workflow.session, case.policy_id, case.policy_version)
        return [_out(d) for d in await officer_documents(workflow, case_id, policy)]

    @get(
        "/documents/{document_id:uuid}/file",
        operation_id="downloadCaseDocument",
        opt=roles(*OFFICERS),
        summary="Download a document",
        description=(
            "The file as kept, as an attachment with the type judged from its content and "
            "`nosniff`. 409 while it waits in quarantine for the virus scanner."
        ),
    )
    async def download(self, document_id: UUID, staff: Actor, workflow: Workflow) -> Stream:
        document = await kept_document(workflow, staff, document_id)
        return file_response(workflow, document, "attachment")

    @post(
        "/documents/{document_id:uuid}/review",
        operation_id="reviewCaseDocument",
        opt=roles(*OFFICERS),
        status_code=200,
        summary="Verify or reject a document",
        description=(
            "Verify: the check the document answers passes (with who and when) when it was in "
            "review. Reject: the hirer is asked for a new one. 409 when already reviewed, in "
            "quarantine, or the case is closed."
        ),
    )
    async def review(
        self, document_id: UUID, data: DocumentReviewIn, staff: Actor, workflow: Workflow
    ) -> DocumentOut:
        confirmed = Confirmed(insurer=data.insurer, cover_gbp=data.cover_gbp, expires_on=data.expires_on)
        document = await review_document(
            workflow, staff, document_id, data.outcome == "verify", data.note, confirmed
        )
        case = await workflow.get_case(document.case_id)
        policy = await policy_version(workflow.session, case.policy_id, case.policy_version)
        return _out({**document_json(document, policy), "reused_from": None})
