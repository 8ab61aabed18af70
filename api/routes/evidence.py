"""Officers' outcomes for checks from the evidence (issue 17 item 2) over the JSON API."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, post
from litestar.params import Parameter

from api.auth.actor import OFFICERS, roles
from api.schemas import CaseSummaryOut
from api.schemas.evidence import CheckOutcomeIn
from casework.workflow import Workflow
from vetting.actors import Actor

# No pattern: an unknown check is the 404 of a missing one, not a 400.
CheckId = Annotated[str, Parameter(min_length=1, max_length=60)]


class CheckEvidenceController(Controller):
    path = "/api/v1/applications"
    tags = ["applications"]

    @post(
        "/{case_id:uuid}/checks/{check_id:str}/outcome",
        operation_id="recordCheckOutcome",
        opt=roles(*OFFICERS),
        status_code=200,
        summary="Record a check's outcome from the evidence",
        description=(
            "Settles a check the automatic run left in review: satisfied turns it to pass, not "
            "satisfied to fail, with the officer, the time and the note. The automatic result is "
            "kept beside it and in the history. 409 when the check is not in review or the case "
            "is closed."
        ),
    )
    async def record_outcome(
        self, case_id: UUID, check_id: CheckId, data: CheckOutcomeIn, staff: Actor, workflow: Workflow
    ) -> CaseSummaryOut:
        case = await workflow.record_check_outcome(
            staff, case_id, check_id, data.satisfied, data.note, data.document_id
        )
        return CaseSummaryOut(id=case.id, reference=case.reference, status=case.status)
