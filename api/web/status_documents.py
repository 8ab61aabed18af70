"""The hirer sends a document from their private status page (issue 20 item 1)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from litestar import Controller, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.auth.actor import PUBLIC, roles
from api.settings import Settings
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, redirect
from api.web.i18n import gettext as _
from api.web.status import StatusController
from api.web.uploads import read_upload, refused_words
from casework.documents import DocumentDetails, receive_for_token, upload_limit_for_token
from casework.workflow import Workflow
from vetting.errors import Conflict, Invalid

# Litestar refuses bodies over its limit (10 MB) before a handler runs; the policy's own limit
# (at most 100 MB, policies/model.py) is enforced while the file streams (api/web/uploads.py).
BODY_LIMIT = 101 * 1024 * 1024
FIELD_IDS = {
    "kind": "document-kind",
    "insurer": "document-insurer",
    "cover_gbp": "document-cover",
    "expires_on": "document-expires",
}


def details_from(fields: dict[str, str]) -> tuple[DocumentDetails, dict[str, str]]:
    """The form's particulars; a number or date that cannot be read is an error on its field."""
    errors: dict[str, str] = {}
    cover: int | None = None
    raw_cover = fields.get("cover_gbp", "").replace(",", "").replace("£", "").strip()
    if raw_cover:
        if raw_cover.isdigit() and len(raw_cover) <= 10:
            cover = int(raw_cover)
        else:
            errors["document-cover"] = _("Enter the amount of cover in pounds, for example 5000000")
    expires: dt.date | None = None
    raw_date = fields.get("expires_on", "").strip()
    if raw_date:
        try:
            expires = dt.date.fromisoformat(raw_date)
        except ValueError:
            errors["document-expires"] = _("Enter the expiry date as a real date, for example 31 3 2027")
    details = DocumentDetails(
        kind=fields.get("kind", "").strip(),
        answers=fields.get("answers", "").strip()[:80] or None,
        insurer=fields.get("insurer", "").strip()[:200] or None,
        cover_gbp=cover,
        expires_on=expires,
    )
    return details, errors


async def show_status(
    request: AnyRequest,
    token: str,
    workflow: Workflow,
    *,
    errors: dict[str, str],
    values: dict[str, str],
    status_code: int,
    message: str | None = None,
) -> Template:
    # The status page is drawn by its own controller; its builder reads nothing from the
    # controller instance, so it is called unbound rather than copied here.
    return await StatusController._show(
        cast(StatusController, None),
        request,
        token,
        workflow,
        errors=errors,
        values=values,
        message=message,
        status_code=status_code,
    )


class StatusDocumentsController(Controller):
    path = "/status"
    # No page CSRF guard: it would read the whole form into memory. read_upload checks the
    # token itself once the body has streamed through.
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @post(
        "/{token:str}/documents",
        opt={**roles(PUBLIC), "audit": ("case", "send_document", "token")},
        request_max_body_size=BODY_LIMIT,
    )
    async def send(
        self,
        request: AnyRequest,
        token: str,
        workflow: Workflow,
        db_session: AsyncSession,
        settings: Settings,
    ) -> Template | Redirect:
        limit = await upload_limit_for_token(workflow, token)
        upload = await read_upload(request, settings.documents_spool_dir, limit)
        values = {k: v for k, v in upload.fields.items() if k != "csrf_token"}
        details, errors = details_from(upload.fields)
        if upload.refused is None and upload.file is None:
            errors["document-file"] = _("Choose the file to send")
        if upload.refused is not None:
            errors["document-file"] = refused_words(upload.refused)
        if errors:
            if upload.file is not None:
                upload.file.discard()
            return await show_status(request, token, workflow, errors=errors, values=values, status_code=400)
        assert upload.file is not None
        try:
            received = await receive_for_token(workflow, token, upload.file, details)
        except Invalid as exc:
            await db_session.rollback()
            shown = {FIELD_IDS.get(k, "document-file"): v for k, v in exc.errors.items()}
            return await show_status(request, token, workflow, errors=shown, values=values, status_code=400)
        except Conflict as exc:
            await db_session.rollback()
            return await show_status(
                request, token, workflow, errors={}, values=values, message=exc.message, status_code=409
            )
        if received.refused is not None:
            if received.refused.reason == "infected":
                # Kept: the case history says so, and the audit chain records the refusal.
                await audit.append(
                    db_session,
                    actor="hirer",
                    action="document_refused_infected",
                    object_type="case",
                    object_id=str(received.case_id),
                )
                await db_session.commit()
            else:
                await db_session.rollback()
            return await show_status(
                request,
                token,
                workflow,
                errors={"document-file": refused_words(received.refused)},
                values=values,
                status_code=400,
            )
        await db_session.commit()
        return redirect(f"/status/{token}?done=document#documents")
