"""Case documents over the JSON API (issue 20): what staff see of one, and an officer's review."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.schemas.common import In, Out
from vetting.clean_text import MULTILINE

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), MULTILINE]
Insurer = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class DocumentOut(Out):
    """A document a hirer sent, as staff see it (never its stored name)."""

    id: str
    kind: str
    kind_label: str
    check: str | None = Field(description="the check it answers, for example insurance")
    answers: str | None = Field(description="the question or information request it answers")
    original_name: str = Field(description="the name the hirer's file had, made harmless")
    content_type: str = Field(description="the type judged from the content")
    size: int
    scan_state: Literal["not_scanned", "quarantined", "clean"]
    review_state: Literal["submitted", "verified", "rejected"]
    insurer: str | None
    cover_gbp: int | None
    expires_on: str | None = Field(description="ISO date")
    uploaded_at: str
    reviewed_by: str | None
    reviewed_at: str | None
    review_note: str | None
    reused_from: str | None = Field(
        default=None,
        description="the organisation's earlier request it was verified on (reused while in date)",
    )
    file_url: str | None = Field(description="where staff download it; null while it waits for the scanner")


class DocumentReviewIn(In):
    """Verify a document (the check it answers passes) or reject it (the hirer is asked again).
    For insurance, the particulars as the officer confirms them (default: as the hirer gave them)."""

    outcome: Literal["verify", "reject"]
    note: Note = Field(description="what the officer found; kept in the case history")
    insurer: Insurer | None = None
    cover_gbp: int | None = Field(default=None, gt=0, lt=10_000_000_000)
    expires_on: dt.date | None = None
