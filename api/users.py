"""Staff accounts and API tokens."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import api_tokens
from api.auth.passwords import hash_password, password_problems
from api.models import ApiToken, User, UserVenue, WebSession
from api.web.session_store import SessionStore
from venues.models import Feed, Venue
from vetting.actors import ROLES
from vetting.errors import Conflict, Invalid, NotFound
from vetting.provider_directory import get_provider, list_providers
from vetting.tenancy import ALL_PROVIDERS


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    venue_ids: list[UUID] | None = None,
    council_words: tuple[str, ...] = (),
    provider_id: UUID | None = None,
) -> User:
    """A member of staff of `provider_id`; without one, a venue manager joins the organisation of
    their venues, an officer the only organisation there is, and an administrator administers
    the whole service."""
    email = email.strip().lower()
    errors: dict[str, str] = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = "is not an email address"
    if role not in ROLES:
        errors["role"] = f"must be one of {', '.join(ROLES)}"
    problems = password_problems(
        password, context_words=(*council_words, "venue", "hire", email.split("@")[0])
    )
    if problems:
        errors["password"] = "; ".join(problems)
    if role == "venue_manager" and not venue_ids:
        errors["venue"] = "a venue manager needs at least one venue"
    if errors:
        raise Invalid("the user is not valid", errors)
    # Email addresses are unique across the service, whoever's staff already has this one.
    taken = select(User.id).where(User.email == email).execution_options(**{ALL_PROVIDERS: True})
    if (await session.execute(taken)).first():
        raise Conflict(f"a user with email {email} already exists")
    venues = []
    for venue_id in venue_ids or []:
        venue = await session.get(Venue, venue_id)
        if venue is None:
            raise NotFound(f"no venue {venue_id}")
        venues.append(venue)
    provider_id = await _provider_of_new_user(session, role, provider_id, venues)
    user = User(
        email=email,
        name=name.strip() or email,
        role=role,
        password_hash=hash_password(password),
        active=True,
        provider_id=provider_id,
    )
    session.add(user)
    await session.flush()
    for venue in venues:
        session.add(UserVenue(user_id=user.id, venue_id=venue.id))
    await session.flush()
    return user


async def _provider_of_new_user(
    session: AsyncSession, role: str, provider_id: UUID | None, venues: list[Venue]
) -> UUID | None:
    if provider_id is not None:
        await get_provider(session, provider_id)
    elif role == "venue_manager":
        provider_id = venues[0].provider_id
    elif role == "officer":
        providers = await list_providers(session)
        if len(providers) != 1:
            raise Invalid(
                "the user is not valid", {"organisation": "say which organisation the officer works for"}
            )
        provider_id = providers[0].id
    if any(v.provider_id != provider_id for v in venues):
        raise Invalid(
            "the user is not valid", {"venue": "every venue must belong to the user's organisation"}
        )
    return provider_id


async def user_by_email(session: AsyncSession, email: str) -> User:
    user = (
        await session.execute(select(User).where(User.email == email.strip().lower()))
    ).scalar_one_or_none()
    if user is None:
        raise NotFound(f"no user with email {email}")
    return user


async def create_api_token(
    session: AsyncSession,
    user: User,
    *,
    name: str | None = None,
    expires_in_days: int = api_tokens.DEFAULT_EXPIRES_IN_DAYS,
) -> str:
    """A named, expiring token (api/auth/api_tokens.py); the name defaults to one with the date."""
    return await api_tokens.create_api_token(session, user, name=name, expires_in_days=expires_in_days)


async def disable_user(session: AsyncSession, user: User, *, sessions: SessionStore | None = None) -> None:
    """Disabling ends every session, token and calendar feed the user had.

    `sessions` is where browser sessions live when that is not the database (Redis); the
    table is cleared as well either way, so nothing survives a change of store.
    """
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    user.active = False
    await session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    if sessions is not None:
        await sessions.delete_for_user(user.id)
    for token in (await session.execute(select(ApiToken).where(ApiToken.user_id == user.id))).scalars():
        token.revoked_at = token.revoked_at or now
    for feed in (await session.execute(select(Feed).where(Feed.owner_id == user.id))).scalars():
        feed.revoked_at = feed.revoked_at or now
    await session.flush()


async def remove_venue_access(session: AsyncSession, user: User, venue_id: UUID) -> None:
    """A manager who loses a venue loses its feeds too."""
    import datetime as dt

    from venues.models import Room

    await session.execute(
        delete(UserVenue).where(UserVenue.user_id == user.id, UserVenue.venue_id == venue_id)
    )
    room_ids = {
        str(r) for r in (await session.execute(select(Room.id).where(Room.venue_id == venue_id))).scalars()
    }
    now = dt.datetime.now(dt.UTC)
    for feed in (
        await session.execute(select(Feed).where(Feed.owner_id == user.id, Feed.revoked_at.is_(None)))
    ).scalars():
        if (feed.scope == "venue" and feed.target == str(venue_id)) or (
            feed.scope == "room" and feed.target in room_ids
        ):
            feed.revoked_at = now
    await session.flush()
