"""Calendar feeds: the request body and the answer (with the address only when a token was made)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import In, Name, SparseOut


class FeedIn(In):
    venue_id: UUID | None = None
    room_id: UUID | None = None
    owner: Name | None = None
    decisions_due: bool = False
    detail: Literal["busy", "standard", "full"] = "standard"


class FeedOut(SparseOut):
    """A feed; ``url`` and ``webcal_url`` only in the answers that create or rotate its token
    (the token is never stored in clear, so a list cannot show them)."""

    id: UUID
    scope: str
    target: str
    detail: str
    created_at: str = Field(description="ISO date-time")
    url: str | None = None
    webcal_url: str | None = None
