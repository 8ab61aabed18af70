"""The flagged list, its imports, ad hoc screening and officers' dispositions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from api.schemas.common import In, Name, Out, Reason, SparseOut


class FlaggedEntryIn(In):
    kind: Literal["person", "organisation"]
    name: Name
    aliases: list[Name] = Field(default_factory=list, max_length=50)
    # Provenance only: hand-added entries always have the screened source "local" (see the route).
    source: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
        Field(description="where the name came from, e.g. 'council records'; kept as source_detail"),
    ] = "local"
    source_ref: Annotated[str, StringConstraints(max_length=120)] | None = None
    reason: Reason | None = None
    listed_date: dt.date | None = None


class DeactivateIn(In):
    reason: Reason


class DispositionIn(In):
    disposition: Literal["cleared", "possible", "confirmed"]
    note: Reason | None = None


class ScreenNamesIn(In):
    names: list[Name] = Field(min_length=1, max_length=100)
    kind: Literal["person", "organisation"] | None = None


class FlaggedEntryOriginOut(Out):
    """Where the entry comes from, as the caller's organisation sees it."""

    kind: str = Field(
        description="service (the service-wide list), own (the caller's organisation), partner (shared "
        "by a partner under a sharing agreement) or organisation (another's own, for service administrators)"
    )
    organisation: str | None
    agreement_reference: str | None = Field(description="the sharing agreement, for a partner's entry")
    label: str


class FlaggedEntryOut(Out):
    id: UUID
    origin: FlaggedEntryOriginOut | None = None
    kind: str
    name: str
    aliases: list[str]
    weak_aliases: list[str] = Field(
        default_factory=list,
        description="aliases the list marks as low quality: screened with a lower weight, per the policy",
    )
    births: list[str] = Field(
        default_factory=list,
        description="dates of birth the list gives: 1968-07-02, 1968-07, 1968, or a span 1966/1970",
    )
    source: str
    source_ref: str | None
    source_detail: str | None = Field(description="where a hand-added name came from (provenance only)")
    hand_added: bool
    reason: str | None
    listed_date: str | None = Field(description="ISO date")
    added_by: str
    active: bool
    deactivated_reason: str | None
    deactivated_at: str | None = Field(description="ISO timestamp")
    list_version: int


class DeactivatedEntryOut(Out):
    """An entry an import deactivated (or, in a dry run, would deactivate)."""

    id: UUID
    kind: str
    name: str
    source: str
    source_ref: str


class RescreenOut(Out):
    cases: int
    new_matches: int


class FlaggedImportOut(SparseOut):
    """Counts of an import; ``rescreen`` only when it was not a dry run."""

    version: int
    added: int
    changed: int
    removed: int
    unchanged: int
    deactivated: list[DeactivatedEntryOut]
    dry_run: bool
    rescreen: RescreenOut | None = None
    skipped: list[str] = Field(
        default_factory=list,
        description="with skip_bad_rows: each row left out, with its line and why",
    )


class NameMatchOut(Out):
    entry_id: str
    score: float
    matched_name: str
    explanation: str


class NameScreenedOut(Out):
    name: str
    matches: list[NameMatchOut]


class ScreenNamesOut(Out):
    list_version: int
    threshold: float
    results: list[NameScreenedOut]


class DispositionOut(Out):
    id: UUID
    disposition: str
    note: str | None
