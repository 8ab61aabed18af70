"""The acting user, passed into domain code so it never reads a request."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

ROLES = ("admin", "officer", "venue_manager")


@dataclass(frozen=True)
class Actor:
    """Who is acting: a staff member, a hirer holding a token, or the system itself."""

    id: UUID | None
    name: str
    role: str  # "admin", "officer", "venue_manager", "hirer" or "system"
    venue_ids: frozenset[UUID] = field(default_factory=frozenset)
    # The council or partner whose staff they are; None for a service administrator (and for
    # hirers and the system, whose reach is decided by what they hold, not by an organisation).
    provider_id: UUID | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in ROLES

    @property
    def is_service_admin(self) -> bool:
        """An administrator of the whole service: no organisation, every organisation's data."""
        return self.role == "admin" and self.provider_id is None

    @property
    def is_officer(self) -> bool:
        return self.role in ("officer", "admin")


SYSTEM = Actor(id=None, name="system", role="system")
HIRER = Actor(id=None, name="hirer", role="hirer")
