"""Data protection endpoints: privacy notice, subject access export, rectification."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, MediaType, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import File
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, OFFICERS, PUBLIC, roles
from api.dataprotection.privacy import privacy_notice_html
from api.dataprotection.rectification import rectify_contact, rectify_organisation
from api.dataprotection.subject_access import export_subject, render_html
from api.dataprotection.subject_access_archive import archive_path, write_archive
from api.schemas import (
    ContactRectifiedOut,
    ContactRectifyIn,
    OrganisationRectifiedOut,
    OrganisationRectifyIn,
    SubjectAccessIn,
    SubjectAccessOut,
)
from api.settings import Settings
from vetting.actors import Actor


@get("/privacy", operation_id="privacyNotice", opt=roles(PUBLIC), media_type=MediaType.HTML, tags=["pages"])
async def privacy_notice(state: State) -> Response[str]:
    settings: Settings = state.settings
    return Response(privacy_notice_html(settings.council_name), media_type=MediaType.HTML)


class DataProtectionController(Controller):
    path = "/api/v1"
    tags = ["data protection"]

    @post("/subject-access", operation_id="subjectAccessExport", opt=roles(*ADMIN), status_code=200)
    async def subject_access(
        self, data: SubjectAccessIn, db_session: AsyncSession, state: State
    ) -> SubjectAccessOut:
        settings: Settings = state.settings
        export = await export_subject(
            db_session, email=data.email, name=data.name, organisation=data.organisation
        )
        return SubjectAccessOut.model_validate(
            {"export": export, "document_html": render_html(export, settings.council_name)}
        )

    @post(
        "/subject-access/archive",
        operation_id="subjectAccessArchive",
        opt=roles(*ADMIN),
        status_code=200,
        media_type="application/zip",
        responses={
            200: ResponseSpec(None, description="a zip: the export, its HTML and the documents' files")
        },
    )
    async def subject_access_archive(
        self, data: SubjectAccessIn, db_session: AsyncSession, state: State
    ) -> File:
        """The same export as a zip with the files of the documents it lists."""
        settings: Settings = state.settings
        export = await export_subject(
            db_session, email=data.email, name=data.name, organisation=data.organisation
        )
        path = archive_path(settings.documents_spool_dir)
        try:
            await write_archive(db_session, export, state.documents, path, settings.council_name)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        stamp = export["generated_at"][:19].replace(":", "").replace("-", "")
        return File(
            path=path,
            filename=f"subject-access-{stamp}.zip",
            media_type="application/zip",
            content_disposition_type="attachment",
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
            background=BackgroundTask(path.unlink, missing_ok=True),
        )

    @post(
        "/organisations/{organisation_id:uuid}/rectify",
        operation_id="rectifyOrganisation",
        opt=roles(*OFFICERS),
        status_code=200,
    )
    async def rectify_organisation(
        self, organisation_id: UUID, data: OrganisationRectifyIn, staff: Actor, db_session: AsyncSession
    ) -> OrganisationRectifiedOut:
        changes = data.model_dump(exclude_unset=True, exclude={"reason"})
        org, changed, new_matches = await rectify_organisation(
            db_session, staff, organisation_id, changes, data.reason
        )
        return OrganisationRectifiedOut(id=org.id, changed=changed, new_screening_matches=new_matches)

    @post(
        "/applications/{case_id:uuid}/contact",
        operation_id="rectifyContact",
        opt=roles(*OFFICERS),
        status_code=200,
    )
    async def rectify_contact(
        self, case_id: UUID, data: ContactRectifyIn, staff: Actor, db_session: AsyncSession
    ) -> ContactRectifiedOut:
        changes = data.model_dump(exclude_unset=True, exclude={"reason"}, mode="json")
        case, changed, new_matches = await rectify_contact(db_session, staff, case_id, changes, data.reason)
        return ContactRectifiedOut(
            id=case.id, reference=case.reference, changed=changed, new_screening_matches=new_matches
        )


def data_protection_handlers() -> list[Any]:
    return [privacy_notice, DataProtectionController]
