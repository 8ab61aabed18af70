"""Documents sent from inside the booking form (issue 20 item 1): the check page's "Upload
document" button posts the whole form as multipart/form-data here (its `formaction`), so it
works without JavaScript. The file streams to the spool with the policy's size limit checked as
it arrives (api/web/uploads.py), goes through the same checks and scan as every upload, and is
staged against the draft (casework/staged_documents.py); the check page is shown again with it
listed. "Send request" attaches what the page lists to the new request."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, post
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.auth.actor import PUBLIC, roles
from api.settings import Settings
from api.web.booking.controller import FormPages
from api.web.booking.draft import Draft, open_draft
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, page
from api.web.i18n import N_
from api.web.i18n import gettext as _
from api.web.status_documents import BODY_LIMIT, FIELD_IDS, details_from
from api.web.uploads import read_upload, refused_words
from casework.staged_documents import stage
from casework.workflow import Workflow
from venues.models import Room, Venue
from vetting.errors import Invalid
from vetting.policy_store import current_policy

MEGABYTE = 1024 * 1024
# Particulars typed beside an upload, kept in the draft so a refused upload shows them again.
DETAIL_FIELDS = ("kind", "insurer", "cover_gbp", "expires_on")


async def upload_limit(db: AsyncSession, room: str | None) -> int:
    """The streaming limit: the room's policy's (the `room` query the page puts in the button's
    address). Without a room that reads, the largest a policy may set; the draft's own policy's
    limit is checked again once the file is in (casework.documents.vet_upload)."""
    try:
        found = await db.get(Room, UUID(str(room or "")))
    except ValueError:
        found = None
    venue = await db.get(Venue, found.venue_id) if found is not None else None
    if venue is None:
        return BODY_LIMIT - MEGABYTE
    policy = await current_policy(db, venue.policy_id)
    return policy.documents.max_size_mb * MEGABYTE


class BookingDocumentsController(Controller):
    path = "/book"
    # No page CSRF guard: it would read the whole form into memory. read_upload checks the
    # token itself once the body has streamed through.
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @post("/documents", opt=roles(PUBLIC), request_max_body_size=BODY_LIMIT)
    async def upload(
        self, request: AnyRequest, db_session: AsyncSession, workflow: Workflow, settings: Settings
    ) -> Template:
        limit = await upload_limit(db_session, request.query_params.get("room"))
        upload = await read_upload(request, settings.documents_spool_dir, limit)
        draft = open_draft(request, upload.fields.get("state", ""))
        if draft is None or not draft.get("venue_id") or not draft.get("room_id"):
            if upload.file is not None:
                upload.file.discard()
            return page(
                request,
                "error.html",
                {"title": N_("Your answers could not be read"), "message": N_("Start your request again.")},
                status_code=400,
            )
        pages = FormPages(request, db_session)
        draft["document_form"] = {k: upload.fields.get(k, "").strip()[:200] for k in DETAIL_FIELDS}
        details, errors = details_from(upload.fields)
        if upload.refused is not None:
            errors["document-file"] = refused_words(upload.refused)
        elif upload.file is None:
            errors["document-file"] = _("Choose the file to send")
        if errors:
            if upload.file is not None:
                upload.file.discard()
            return await pages.render("check", draft, errors, status_code=400)
        assert upload.file is not None
        policy = await pages.ctx.policy(draft)
        try:
            staged = await stage(workflow, policy, draft["token"], upload.file, details)
        except Invalid as exc:
            await db_session.rollback()
            shown = {FIELD_IDS.get(k, "document-file"): v for k, v in exc.errors.items()}
            return await pages.render("check", draft, shown, status_code=400)
        if staged.document is None:
            assert staged.refused is not None
            if staged.signature is not None:
                # No case yet: the audit chain records the refusal (no file, no personal data).
                await audit.append(
                    db_session, actor="hirer", action="document_refused_infected", object_type="booking_form"
                )
                await db_session.commit()
            else:
                await db_session.rollback()
            return await pages.render(
                "check", draft, {"document-file": refused_words(staged.refused)}, status_code=400
            )
        listed = _listed(staged.document, policy)  # read before the commit expires the row
        await db_session.commit()
        draft.pop("document_form", None)
        draft.setdefault("documents", []).append(listed)
        return await pages.render("check", draft, {})


def _listed(document: Any, policy: Any) -> Draft:
    """What the check page shows of a staged document (its id ties it to the stored row)."""
    kind = policy.documents.kind(document.kind)
    return {
        "id": str(document.id),
        "kind_label": kind.label if kind else document.kind,
        "name": document.original_name,
        "insurer": document.insurer,
        "cover_gbp": document.cover_gbp,
        "expires_on": document.expires_on.isoformat() if document.expires_on else None,
    }
