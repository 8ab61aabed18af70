"""How every report query is narrowed to the officer's organisation: one gate, explicit filters.

The session's scope (vetting/tenancy.py) would narrow a report's statements by itself, but for a
table reached through its case (decisions, history, matches, dates) its criterion is
`case_id IN (SELECT id FROM vetting_case WHERE provider_id IN ...)`, and SQLite builds that list
of the organisation's case ids again for every statement (about 20 ms at 20,000 cases; the report
has a dozen statements). So the report switches the automatic criteria off for its own statements
(`ALL_PROVIDERS`) and says instead, once per statement, whose rows it reads: the statement is
joined to its case and filtered on `vetting_case.provider_id`, or joined to its venue and filtered
on `venue.provider_id` (room use), which the indexes of migration c17e0000000a serve.

Decisions by outcome, the busiest statement, reads decisions by their own copy of the case's
organisation (`by_own` on `decision.provider_id`, migration d20r00000001) rather than joining
each to its case.

Nothing else may run a report statement: `run` takes only a `Narrowed`, and a `Narrowed` is made
only by `by_case`, `by_venue` or `by_own`. tests/reports/test_report_scope.py checks every statement the
report runs carries the filter, and the isolation tests run with two organisations' data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Result, Select, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Subquery

from venues.models import Venue
from vetting.models import VettingCase
from vetting.tenancy import ALL_PROVIDERS, current_scope

_MINT = object()
"""Only this module makes a `Narrowed` (see `Narrowed.__post_init__`)."""


@dataclass(frozen=True)
class Narrowed:
    """A statement already narrowed to the organisations of a `ReportScope`."""

    statement: Select[Any]
    token: object

    def __post_init__(self) -> None:
        if self.token is not _MINT:
            raise TypeError("a report statement is narrowed by ReportScope.by_case or by_venue only")

    def around(self, outer: Callable[[Subquery], Select[Any]]) -> Narrowed:
        """The narrowed statement as a subquery of `outer` (for grouping by computed columns)."""
        return Narrowed(outer(self.statement.subquery()), _MINT)

    @staticmethod
    def union_all(parts: Sequence[Narrowed]) -> Narrowed:
        """Narrowed statements of the same columns, one after the other (each kept narrowed)."""
        together = union_all(*(p.statement for p in parts)).subquery()
        return Narrowed(select(*together.c), _MINT)


@dataclass(frozen=True)
class ReportScope:
    """The organisations a report reads: `ids` None means every one (a service administrator's
    unscoped session); otherwise exactly those (an officer's: one)."""

    ids: tuple[UUID, ...] | None

    @classmethod
    def of(cls, session: AsyncSession) -> ReportScope:
        scope = current_scope(session)
        return cls(None if scope is None or scope.unrestricted else scope.ids)

    def by_case(self, statement: Select[Any], case_id: Any = None) -> Narrowed:
        """`statement` joined to the case of `case_id` (a column of a table already in it) and kept
        to the organisations' cases. With no `case_id` the statement already reads
        `vetting_case` and is only filtered. (Joined even when unrestricted, so a statement may
        select the case's own columns.)"""
        if case_id is not None:
            statement = statement.join(VettingCase, VettingCase.id == case_id)
        if self.ids is not None:
            statement = statement.where(VettingCase.provider_id.in_(self.ids))
        return Narrowed(statement, _MINT)

    def by_venue(self, statement: Select[Any], venue_id: Any = None) -> Narrowed:
        """The same through a venue: `statement` joined to the venue of `venue_id` (or already
        reading `venue`) and kept to the organisations' venues."""
        if venue_id is not None:
            statement = statement.join(Venue, Venue.id == venue_id)
        if self.ids is not None:
            statement = statement.where(Venue.provider_id.in_(self.ids))
        return Narrowed(statement, _MINT)

    def by_own(self, statement: Select[Any], provider_id: Any) -> Narrowed:
        """Kept to the organisations by a row's own copy of its case's organisation
        (`Decision.provider_id`, written with the row), so no row is joined to its case."""
        if self.ids is not None:
            statement = statement.where(provider_id.in_(self.ids))
        return Narrowed(statement, _MINT)

    async def run(self, session: AsyncSession, narrowed: Narrowed) -> Result[Any]:
        """Run a narrowed statement with the session's automatic criteria off: its own filter
        says whose rows it reads."""
        return await session.execute(narrowed.statement.execution_options(**{ALL_PROVIDERS: True}))
