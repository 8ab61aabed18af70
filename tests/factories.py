"""Test data built through the real services (invented names only)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.users import create_api_token, create_user
from policies import default_declarations
from venues.charges.models import Invoice
from venues.models import Room, Venue
from venues.venue_service import RoomInput, VenueAdmin, VenueInput
from vetting.actors import Actor
from vetting.provider_directory import provider_for_owner
from vetting.providers import Provider

LONDON = ZoneInfo("Europe/London")
ADMIN = Actor(id=None, name="test admin", role="admin")
ALL_WEEK = {d: [["08:00", "23:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
DECLARATIONS = default_declarations()
_counter = itertools.count(1)


async def make_venue(session: AsyncSession, name: str | None = None, **kw: Any) -> Venue:
    data = VenueInput(
        name=name or f"Test Venue {next(_counter)}",
        owner_kind=kw.pop("owner_kind", "council"),
        owner_name=kw.pop("owner_name", "Testshire Council"),
        address=kw.pop("address", "1 Test Street, Testtown TT1 1TT"),
        **kw,
    )
    return await VenueAdmin(session).create_venue(ADMIN, data)


async def make_room(
    session: AsyncSession,
    venue: Venue,
    name: str | None = None,
    *,
    capacity: int = 50,
    hours: dict[str, list[list[str]]] | None = None,
    buffer_before: int = 0,
    buffer_after: int = 0,
    parts: list[UUID] | None = None,
    accessibility: list[str] | None = None,
) -> Room:
    return await VenueAdmin(session).create_room(
        ADMIN,
        venue.id,
        RoomInput(
            name=name or f"Room {next(_counter)}",
            capacity=capacity,
            accessibility=accessibility or ["step_free"],
            opening_hours=ALL_WEEK if hours is None else hours,
            buffer_before_minutes=buffer_before,
            buffer_after_minutes=buffer_after,
            parts=parts or [],
        ),
    )


async def make_provider(
    session: AsyncSession, name: str = "Testshire Council", kind: str = "council"
) -> Provider:
    """The organisation a test venue's owner name stands for (made on first use, like venues)."""
    return await provider_for_owner(session, kind, name)


async def make_staff(
    session: AsyncSession,
    role: str,
    *,
    email: str | None = None,
    venue_ids: list[UUID] | None = None,
    provider: Provider | None = None,
) -> tuple[Actor, str]:
    """A staff user and a bearer token for them: of `provider`, else of their venues' organisation,
    else (officers) of the default test council; administrators without one run the service."""
    n = next(_counter)
    if provider is None and role == "officer" and not venue_ids:
        provider = await make_provider(session)
    user = await create_user(
        session,
        email=email or f"{role}{n}@testshire.example",
        name=f"Test {role.replace('_', ' ').title()} {n}",
        role=role,
        password="correct horse battery staple",
        venue_ids=venue_ids,
        provider_id=provider.id if provider else None,
    )
    token = await create_api_token(session, user)
    actor = Actor(
        id=user.id,
        name=user.name,
        role=role,
        venue_ids=frozenset(venue_ids or []),
        provider_id=user.provider_id,
    )
    return actor, token


def next_weekday(weekday: int, *, weeks_ahead: int = 3, hour: int = 19, minute: int = 0) -> dt.datetime:
    """A local time on the given weekday a few weeks from today (Europe/London).

    Tests run on any date, so the start moves on a week at a time until none of the next eight
    weekly dates is a bank holiday (venues are closed then).
    """
    from vetting.workdays import bank_holidays

    day = dt.datetime.now(LONDON).date() + dt.timedelta(weeks=weeks_ahead)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    holidays = {d for d, _ in bank_holidays(day, day + dt.timedelta(weeks=60))}
    while any(day + dt.timedelta(weeks=k) in holidays for k in range(8)):
        day += dt.timedelta(weeks=1)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def application_payload(
    room_id: UUID | str,
    start: dt.datetime,
    *,
    hours: float = 2,
    rrule: str | None = None,
    organisation: str = "Testtown Allotment Society",
    people: list[dict[str, str]] | None = None,
    attendance: int = 20,
    open_to_public: bool = False,
    answers: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "room_id": str(room_id),
        "organisation": {"name": organisation, "type": "club", "address": "2 Test Lane"},
        "contact": {"name": "Morgan Testwell", "email": "morgan@testtown.example", "phone": "07700 900555"},
        "people": people if people is not None else [{"name": "Jordan Plotholder", "role": "officer"}],
        "event": {
            "title": "Monthly meeting",
            "description": "Members' meeting",
            "expected_attendance": attendance,
            "open_to_public": open_to_public,
            "under_18s": False,
            "adults_at_risk": False,
        },
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=hours)).isoformat(),
        "declarations": DECLARATIONS,
        "answers": answers if answers is not None else ({"admission": "free"} if open_to_public else {}),
    }
    if rrule:
        body["recurrence"] = {"rrule": rrule}
    body.update(extra)
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def approve_and_invoice(
    client: AsyncTestClient[Any], session: AsyncSession, seeded: dict[str, Any], case: dict[str, Any]
) -> Invoice:
    """The officer approves a charged request; approval issues its (one) invoice."""
    decided = await client.post(
        f"/api/v1/applications/{case['id']}/decision",
        json={"outcome": "approve", "reason": "ok", "conditions": []},
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code == 200, decided.text
    invoice = (await session.execute(select(Invoice))).scalar_one()
    await session.commit()
    return invoice
