"""An officer's outcome for a check from the evidence (issue 17 item 2), and what a check shows."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from api.schemas.common import In, Out
from vetting.clean_text import MULTILINE

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), MULTILINE]


class CheckOutcomeIn(In):
    """Settle a check the automatic run left in review: satisfied (pass) or not (fail)."""

    satisfied: bool
    note: Note = Field(description="what the evidence showed; kept in the case history")
    document_id: UUID | None = Field(default=None, description="the case document the outcome rests on")


class CheckAutomaticOut(Out):
    """What the automatic run found before an officer settled the check."""

    outcome: str | None
    summary: str | None = None
    needed: str | None = None


class CheckOfficerOut(Out):
    satisfied: bool
    note: str
    by: str
    by_id: str | None
    at: str = Field(description="ISO date-time")
    document_id: str | None = None
