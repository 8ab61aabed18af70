"""The flagged list pages: search, add and deactivate entries, import a list with a preview."""

from __future__ import annotations

import base64
import hashlib
from uuid import UUID

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.schemas import DeactivateIn, FlaggedEntryIn
from api.web.common import (
    WEB_EXCEPTION_HANDLERS,
    AnyRequest,
    csrf_guard,
    page,
    redirect,
    sign_blob,
    unsign_blob,
)
from api.web.officer.page_helpers import form_text, validate_form
from casework.jobs import request_rescreen
from casework.rescreen import import_and_rescreen
from policies import HAND_ADDED_SOURCE
from vetting.actors import Actor
from vetting.errors import Invalid
from vetting.flagged import add_entry, deactivate_entry, import_entries
from vetting.flagged_origin import origins
from vetting.flagged_owner import list_ref_of, may_change
from vetting.flagged_query import count_entries, find_entries, parse_status
from vetting.importers import SUPPORTED_FORMATS, FlaggedListFormatError, InputFile, read_flagged_list

WEB_IMPORT_LIMIT = 8 * 1024 * 1024
IMPORT_PURPOSE = "flagged-import"


class OfficerFlaggedController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _flagged_page(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        q = (request.query_params.get("q") or "").strip()[:200]
        active = parse_status(request.query_params.get("active"))
        entries = list(await find_entries(db_session, q=q, active=active, limit=200))
        total = await count_entries(db_session, active="true")
        actor: Actor | None = request.scope.get("state", {}).get("actor")
        return page(
            request,
            "officer_flagged.html",
            {
                "entries": entries,
                "origins": await origins(db_session, entries),
                "changeable": {e.id for e in entries if actor is not None and may_change(actor, e)},
                "list_ref": list_ref_of,
                "q": q,
                "active": active,
                "total": total,
                "errors": errors or {},
                "values": values or {},
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get(
        "/flagged", opt={**roles(*OFFICERS), "audit": ("flagged_list", "view", None)}, name="officer_flagged"
    )
    async def flagged(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        return await self._flagged_page(request, db_session)

    @post("/flagged", opt={**roles(*OFFICERS), "audit": ("flagged_list", "add_entry", None)})
    async def add_flagged(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        values = {k: form_text(form, k) for k in ("kind", "name", "aliases", "reason", "source_detail")}
        entry, problems = validate_form(
            FlaggedEntryIn,
            {
                "kind": values["kind"],
                "name": values["name"],
                "aliases": [a for a in values["aliases"].replace("\r", "").split("\n") if a.strip()],
                "source": values["source_detail"][:200] or HAND_ADDED_SOURCE,
                "reason": values["reason"],
            },
        )
        errors = _entry_errors(problems)
        if not values["reason"]:
            # The API takes an entry without a reason; a page entry needs one.
            errors["reason"] = "Enter why the name is on the list and the source"
        if entry is None or errors:
            return await self._flagged_page(
                request, db_session, errors=errors, values=values, status_code=400
            )
        await add_entry(
            db_session,
            staff,
            kind=entry.kind,
            name=entry.name,
            aliases=entry.aliases,
            source=entry.source,
            reason=entry.reason,
        )
        await request_rescreen(db_session)
        await db_session.commit()
        return redirect("/officer/flagged?done=added")

    @post(
        "/flagged/{entry_id:uuid}/deactivate",
        opt={**roles(*OFFICERS), "audit": ("flagged_entry", "deactivate", "entry_id")},
    )
    async def deactivate(
        self, request: AnyRequest, entry_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        form = await request.form()
        data, problems = validate_form(DeactivateIn, {"reason": form_text(form, "reason")})
        if data is None or not data.reason:
            message = problems.get("reason") or "Enter why the entry is removed"
            return await self._flagged_page(
                request, db_session, errors={f"reason-{entry_id}": message}, status_code=400
            )
        await deactivate_entry(db_session, staff, entry_id, data.reason)
        await db_session.commit()
        return redirect("/officer/flagged?done=deactivated")

    @get("/flagged/import", opt=roles(*OFFICERS), name="officer_import")
    async def import_form(self, request: AnyRequest) -> Template:
        return page(request, "officer_import.html", {"formats": SUPPORTED_FORMATS, "values": {}})

    @post("/flagged/import", opt=roles(*OFFICERS))
    async def import_preview(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template:
        form = await request.form()
        fmt = form_text(form, "format")
        skip = form_text(form, "skip_bad_rows") == "yes"
        uploads = [u for u in form.getall("file") if isinstance(u, UploadFile)] if "file" in form else []
        errors: dict[str, str] = {}
        files: list[InputFile] = []
        if fmt not in SUPPORTED_FORMATS:
            errors["format"] = "Select the format of the file"
        for upload in uploads:
            data = await upload.read()
            if data:
                files.append(InputFile(upload.filename or "", data))
        if not uploads or not any(u.filename for u in uploads):
            errors["file"] = "Select a file"
        elif not files:
            errors["file"] = "The selected file is empty"
        elif sum(len(f.data or b"") for f in files) > WEB_IMPORT_LIMIT:
            errors["file"] = "The files are larger than 8 MB: import them with the command line"
        read = None
        if not errors:
            try:
                read = read_flagged_list(files, fmt, skip_bad_rows=skip)
            except FlaggedListFormatError as exc:
                errors["file"] = str(exc)
        values = {"format": fmt, "skip_bad_rows": "yes" if skip else ""}
        if errors or read is None:
            return page(
                request,
                "officer_import.html",
                {"formats": SUPPORTED_FORMATS, "errors": errors, "values": values},
                status_code=400,
            )
        try:
            counts = await import_entries(db_session, staff, read.entries, dry_run=True)
        except Invalid as exc:
            return page(
                request,
                "officer_import.html",
                {
                    "formats": SUPPORTED_FORMATS,
                    "errors": {"file": exc.errors.get("file", str(exc))},
                    "values": values,
                },
                status_code=400,
            )
        blob = sign_blob(
            request,
            IMPORT_PURPOSE,
            {
                "format": fmt,
                "skip_bad_rows": skip,
                "files": [
                    {
                        "name": f.name,
                        "data": base64.b64encode(f.data or b"").decode(),
                        "sha256": hashlib.sha256(f.data or b"").hexdigest(),
                    }
                    for f in files
                ],
            },
        )
        entries = read.entries
        return page(
            request,
            "officer_import_preview.html",
            {
                "counts": counts,
                "format": fmt,
                "blob": blob,
                "sample": entries[:15],
                "total": len(entries),
                "skipped": read.skipped,
            },
        )

    @post("/flagged/import/confirm", opt={**roles(*OFFICERS), "audit": ("flagged_list", "import", None)})
    async def import_confirm(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template:
        form = await request.form()
        payload = unsign_blob(request, IMPORT_PURPOSE, form_text(form, "blob"))
        if not isinstance(payload, dict) or not isinstance(payload.get("files"), list):
            return page(
                request,
                "error.html",
                {"title": "The import could not be read", "message": "Upload the file again."},
                status_code=400,
            )
        files = [InputFile(str(f["name"]), base64.b64decode(f["data"])) for f in payload["files"]]
        read = read_flagged_list(files, payload["format"], skip_bad_rows=bool(payload.get("skip_bad_rows")))
        done = await import_and_rescreen(db_session, staff, read.entries)
        assert done.rescreen is not None  # not a dry run
        await db_session.commit()
        return page(
            request,
            "officer_import_done.html",
            {"counts": done.counts, "rescreen": done.rescreen.as_dict(), "skipped": read.skipped},
        )


def _entry_errors(problems: dict[str, str]) -> dict[str, str]:
    """The add-entry form's error keys and texts for the model's problems."""
    errors: dict[str, str] = {}
    for key, msg in problems.items():
        if key == "kind":
            errors["kind-person"] = "Select whether this is a person or an organisation"
        elif key == "name" and msg.startswith("String should have at least"):
            errors["name"] = "Enter the name"
        elif key == "aliases":
            errors["aliases"] = "Enter at most 50 other names"
        elif key.startswith("aliases."):
            errors.setdefault("aliases", f"Each other name: {msg}")
        else:
            errors[{"source": "source_detail"}.get(key, key)] = msg
    return errors
