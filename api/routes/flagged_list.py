"""The flagged list, its imports, ad hoc screening and officers' dispositions."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.schemas import (
    DeactivateIn,
    DispositionIn,
    DispositionOut,
    FlaggedEntryIn,
    FlaggedEntryOut,
    FlaggedImportOut,
    ScreenNamesIn,
    ScreenNamesOut,
)
from casework.jobs import request_rescreen
from casework.rescreen import import_and_rescreen
from policies import HAND_ADDED_SOURCE
from vetting.actors import Actor
from vetting.case_screening import dispose
from vetting.errors import Invalid
from vetting.flagged import add_entry, deactivate_entry
from vetting.flagged_origin import Origin, origins
from vetting.flagged_owner import list_ref_of
from vetting.flagged_query import Status, find_entries
from vetting.importers import (
    MAX_INPUT_BYTES,
    SUPPORTED_FORMATS,
    FlaggedListFormatError,
    InputFile,
    read_flagged_list,
)
from vetting.models import FlaggedEntry
from vetting.policy_store import current_policy
from vetting.screener_cache import SCREENERS
from vetting.screening import ScreeningWeights


def entry_json(e: FlaggedEntry, origin: Origin | None = None) -> dict[str, Any]:
    return {
        "origin": origin.as_dict() if origin else None,
        "id": str(e.id),
        "kind": e.kind,
        "name": e.name,
        "aliases": e.aliases,
        "weak_aliases": e.weak_aliases or [],
        "births": e.births or [],
        "source": e.source,
        "source_ref": list_ref_of(e),
        "source_detail": e.source_detail,
        "hand_added": e.source == HAND_ADDED_SOURCE,
        "reason": e.reason,
        "listed_date": e.listed_date.isoformat() if e.listed_date else None,
        "added_by": e.added_by,
        "active": e.active,
        "deactivated_reason": e.deactivated_reason,
        "deactivated_at": e.deactivated_at.isoformat() if e.deactivated_at else None,
        "list_version": e.list_version,
    }


LIST_DESCRIPTION = (
    "Flagged entries by name. `q` finds names containing the text (any case; `%` and `_` are "
    "ordinary characters) or an exact `source_ref`. `active` chooses which entries: `true` "
    "(default) those screened now, `false` those deactivated (kept with the reason, never "
    "deleted), `all` both. `include_inactive=true` is the older spelling of `active=all`."
)
ADD_DESCRIPTION = (
    "Add an entry by hand. Hand-added entries are always screened: they get the source "
    f"`{HAND_ADDED_SOURCE}`, which every venue policy screens and no import can claim or replace. "
    'The `source` you send is provenance only (where the name came from, e.g. "council records"); '
    "it is kept as `source_detail` and does not decide screening. `source_ref` is optional "
    "(generated when absent) and must be unique among hand-added entries (409 otherwise)."
)
IMPORT_DESCRIPTION = (
    "Import a whole published list (the body is the file; `format` one of: "
    + ", ".join(SUPPORTED_FORMATS)
    + "). Entries are added or updated, and entries of the same source(s) that the file no longer "
    f"lists are deactivated. An import replaces only its own sources: a file with the source "
    f"`{HAND_ADDED_SOURCE}` (or rows without a source) is refused with 422, so hand-added entries are "
    "never replaced. A source that no venue policy screens is refused too (422 naming the sources "
    "that are screened): its entries would be listed as active and never matched. "
    "The answer gives the counts and `deactivated`: every entry the import "
    "deactivated (with `dry_run=true`: would deactivate), each with id, kind, name, source and "
    "source_ref. Upcoming bookings are re-screened after a real import."
)


class FlaggedListController(Controller):
    path = "/api/v1"
    tags = ["screening"]

    @get(
        "/flagged-entries",
        operation_id="listFlaggedEntries",
        opt=roles(*OFFICERS),
        description=LIST_DESCRIPTION,
    )
    async def list_entries(
        self,
        db_session: AsyncSession,
        q: Annotated[str | None, Parameter(max_length=200)] = None,
        active: Annotated[Status | None, Parameter(description="true (default), false or all")] = None,
        include_inactive: Annotated[bool, Parameter(description="older spelling of active=all")] = False,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    ) -> list[FlaggedEntryOut]:
        which: Status = active or ("all" if include_inactive else "true")
        rows = await find_entries(db_session, q=q or "", active=which, limit=limit)
        where_from = await origins(db_session, rows)
        return [FlaggedEntryOut.model_validate(entry_json(e, where_from[e.id])) for e in rows]

    @post(
        "/flagged-entries",
        operation_id="addFlaggedEntry",
        opt=roles(*OFFICERS),
        status_code=201,
        description=ADD_DESCRIPTION,
    )
    async def add(self, data: FlaggedEntryIn, staff: Actor, db_session: AsyncSession) -> FlaggedEntryOut:
        entry = await add_entry(
            db_session,
            staff,
            kind=data.kind,
            name=data.name,
            aliases=data.aliases,
            source=data.source,
            source_ref=data.source_ref,
            reason=data.reason,
            listed_date=data.listed_date,
        )
        await request_rescreen(db_session)  # runs once this is committed (casework/jobs.py)
        return FlaggedEntryOut.model_validate(
            entry_json(entry, (await origins(db_session, [entry]))[entry.id])
        )

    @post(
        "/flagged-entries/{entry_id:uuid}/deactivate",
        operation_id="deactivateFlaggedEntry",
        opt=roles(*OFFICERS),
        status_code=200,
    )
    async def deactivate(
        self, entry_id: UUID, data: DeactivateIn, staff: Actor, db_session: AsyncSession
    ) -> FlaggedEntryOut:
        return FlaggedEntryOut.model_validate(
            entry_json(await deactivate_entry(db_session, staff, entry_id, data.reason))
        )

    @post(
        "/flagged-entries/import",
        operation_id="importFlaggedEntries",
        opt=roles(*OFFICERS),
        status_code=200,
        description=IMPORT_DESCRIPTION,
    )
    async def import_file(
        self,
        request: Request[Any, Any, Any],
        staff: Actor,
        db_session: AsyncSession,
        format: Annotated[
            str, Parameter(query="format", max_length=40)
        ],  # the contract names the parameter so
        dry_run: bool = False,
        skip_bad_rows: Annotated[
            bool, Parameter(description="import the rows that can be read; `skipped` lists the others")
        ] = False,
    ) -> FlaggedImportOut:
        if format not in SUPPORTED_FORMATS:
            raise Invalid("unknown format", {"format": f"one of {', '.join(SUPPORTED_FORMATS)}"})
        body = await request.body()
        if not body:
            raise Invalid("send the file as the request body", {"body": "is empty"})
        if len(body) > MAX_INPUT_BYTES:
            raise Invalid("the file is too large", {"body": f"at most {MAX_INPUT_BYTES // 1_000_000} MB"})
        try:
            read = read_flagged_list([InputFile("", body)], format, skip_bad_rows=skip_bad_rows)
        except FlaggedListFormatError as exc:
            raise Invalid(str(exc), {"file": str(exc)}) from exc
        done = await import_and_rescreen(db_session, staff, read.entries, dry_run=dry_run)
        result: dict[str, Any] = done.counts.as_dict() | {
            "dry_run": dry_run,
            "skipped": [str(row) for row in read.skipped],
        }
        if done.rescreen is not None:
            result["rescreen"] = done.rescreen.as_dict()
        return FlaggedImportOut.model_validate(result)

    @post("/screening", operation_id="screenNames", opt=roles(*OFFICERS), status_code=200)
    async def screen(self, data: ScreenNamesIn, db_session: AsyncSession, state: State) -> ScreenNamesOut:
        policy = await current_policy(db_session, "council-default")
        version, screener = await SCREENERS.get(
            db_session,
            threshold=policy.screening.threshold,
            weights=ScreeningWeights.from_mapping(dict(policy.screening.weights)),
            sources=policy.screening.sources,
        )
        results = []
        for name in data.names:
            matches = screener.screen(name, kind=data.kind)
            results.append(
                {
                    "name": name,
                    "matches": [
                        {
                            "entry_id": m.entry_id,
                            "score": round(m.score, 1),
                            "matched_name": m.matched_name,
                            "explanation": m.explanation,
                        }
                        for m in matches
                    ],
                }
            )
        return ScreenNamesOut.model_validate(
            {"list_version": version, "threshold": policy.screening.threshold, "results": results}
        )

    @post(
        "/screening-matches/{match_id:uuid}/disposition",
        operation_id="disposeScreeningMatch",
        opt=roles(*OFFICERS),
        status_code=200,
    )
    async def disposition(
        self, match_id: UUID, data: DispositionIn, staff: Actor, db_session: AsyncSession
    ) -> DispositionOut:
        match = await dispose(db_session, staff, match_id, data.disposition, data.note)
        return DispositionOut(id=match.id, disposition=match.disposition, note=match.note)
