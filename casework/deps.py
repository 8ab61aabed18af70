"""What every use case is given (session, mailer, settings), and finding a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from venues.booking import BookingService
from vetting.actors import Actor
from vetting.document_files import DocumentStore
from vetting.errors import NotFound
from vetting.models import VettingCase
from vetting.notify import Mailer, NullMailer
from vetting.scanner import NoScanner, Scanner
from vetting.shared_findings import SharedFinding
from vetting.status_links import case_for_token

FindingsHook = Callable[[AsyncSession, Actor, VettingCase, Sequence[SharedFinding]], Awaitable[None]]
"""Called each time partners' shared findings are shown to an officer (the API audits them)."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class CaseDeps:
    session: AsyncSession
    mailer: Mailer = field(default_factory=NullMailer)
    registry_backend: str = "null"
    horizon_months: int = 12
    base_url: str = "http://127.0.0.1:8000"
    findings_shown: FindingsHook | None = None
    # Documents (issue 20): where their files are kept and the virus scanner, from settings.
    documents: DocumentStore | None = None
    scanner: Scanner = field(default_factory=NoScanner)

    @property
    def bookings(self) -> BookingService:
        return BookingService(self.session, horizon_months=self.horizon_months)


async def get_case(deps: CaseDeps, case_id: UUID) -> VettingCase:
    case = await deps.session.get(VettingCase, case_id)
    if case is None:
        raise NotFound("no such application")
    return case


async def case_by_token(deps: CaseDeps, token: str) -> VettingCase:
    """The case a hirer's private status link points at (any of its links not revoked)."""
    case = await case_for_token(deps.session, token)
    if case is None:
        raise NotFound("no such application")
    return case
