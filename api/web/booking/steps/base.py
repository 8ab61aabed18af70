"""What every page of the booking form is: the common protocol of the step objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.web.booking.draft import Draft
from api.web.common import AnyRequest
from api.web.i18n import current_language
from policies import Policy
from policies.welsh import in_language
from venues.models import Venue
from vetting.policy_store import current_policy


@dataclass(frozen=True)
class StepContext:
    """What a step may reach for one request: the request itself and the database."""

    request: AnyRequest
    db: AsyncSession

    async def venue(self, draft: Draft) -> Venue:
        """The venue the draft names (only asked once the room page has accepted it).

        Read each time rather than kept: a rolled-back send expires what the session held."""
        venue = await self.db.get(Venue, UUID(draft["venue_id"]))
        assert venue is not None
        return venue

    async def policy(self, draft: Draft) -> Policy:
        """The venue's policy in the reader's language: only its words differ by language, so
        what the form sends (declaration ids, answers, choices) is the same either way."""
        venue = await self.venue(draft)
        return in_language(await current_policy(self.db, venue.policy_id), current_language())


class Step(Protocol):
    """One page: the fields it reads, how it checks and stores them, what it shows, what follows."""

    name: ClassVar[str]
    title: ClassVar[str]
    fields: ClassVar[tuple[str, ...]]  # the form fields it reads
    next: ClassVar[str | None]  # the page that follows when this one is complete
    resumes_check: ClassVar[bool]  # after "Change" on the check page, go back there when done

    @property
    def template(self) -> str:
        """The page's own part, which `book_step.html` wraps in the form and its buttons."""
        ...

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        """Store the page's fields in the draft as typed; the errors, by field anchor."""
        ...

    async def view(self, ctx: StepContext, draft: Draft) -> dict[str, Any]:
        """What the page's template shows beyond the draft itself."""
        ...

    async def skip(self, ctx: StepContext, draft: Draft) -> bool:
        """Whether moving forward passes over this page (it has nothing to ask)."""
        ...


class BaseStep:
    """Defaults: a page that shows the draft only and is never passed over."""

    name: ClassVar[str]
    resumes_check: ClassVar[bool] = True

    @property
    def template(self) -> str:
        return f"book/{self.name}.html"

    async def view(self, ctx: StepContext, draft: Draft) -> dict[str, Any]:
        return {}

    async def skip(self, ctx: StepContext, draft: Draft) -> bool:
        return False
