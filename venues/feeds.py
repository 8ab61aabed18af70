"""Calendar feeds: who may subscribe to what, and turning bookings into feed content.

The bytes come from `venues.calendar` through `venues.feed_render`, whose ETag is a hash of the
bytes themselves; this module chooses the bookings and loads what their events show, keeping
screening detail and applicants' emails out (they are never loaded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.calendar import (
    BookingStatus,
    DueCase,
    FeedBooking,
    FeedCondition,
    FeedDecision,
    FeedOccurrence,
    FeedSpec,
    default_window,
    visible_in_feed,
)
from venues.feed_render import render_decisions_due_with_etag, render_feed_with_etag
from venues.linked_spaces import units_by_room
from venues.models import Booking, Feed, Occurrence, Room, Venue
from venues.recurrence import MAX_DURATION
from venues.venue_service import parts_map
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid, NotFound
from vetting.models import Decision, VettingCase
from vetting.tenancy import Scope
from vetting.tokens import new_token, token_hash

DETAILS = ("busy", "standard", "full")
SCOPES = ("room", "venue", "owner", "decisions")
FEED_CASE_STATUSES = ("awaiting_acceptance", "confirmed", "cancelled", "withdrawn")
CANCELLED_GRACE = dt.timedelta(days=30)


@dataclass(frozen=True)
class FeedMeta:
    spec: FeedSpec
    window: tuple[dt.datetime, dt.datetime]
    booking_ids: list[UUID]
    etag: str  # of `body`: it changes exactly when the bytes do
    body: bytes


async def _venues_in_scope(session: AsyncSession, feed_scope: str, target: str) -> list[Venue]:
    if feed_scope == "venue":
        venue = await session.get(Venue, UUID(target))
        return [venue] if venue else []
    if feed_scope == "room":
        room = await session.get(Room, UUID(target))
        venue = await session.get(Venue, room.venue_id) if room else None
        return [venue] if venue else []
    rows = await session.execute(select(Venue).where(Venue.owner_name == target))
    return list(rows.scalars())


async def check_may_create(session: AsyncSession, actor: Actor, feed_scope: str, target: str) -> str:
    """Object-level rule: managers only for their venues; the decisions feed for officers. Returns a name."""
    if feed_scope == "decisions":
        if not actor.is_officer:
            raise Forbidden("only officers may subscribe to decisions due")
        return "Decisions due"
    venues = await _venues_in_scope(session, feed_scope, target)
    if not venues:
        raise NotFound(f"no such {feed_scope}")
    if actor.role == "venue_manager" and not all(v.id in actor.venue_ids for v in venues):
        # 404 rather than 403: a manager learns nothing about venues that are not theirs.
        raise NotFound(f"no such {feed_scope}")
    if actor.role not in ("admin", "venue_manager", "officer"):
        raise Forbidden("staff only")
    if feed_scope == "room":
        room = await session.get(Room, UUID(target))
        assert room is not None
        return f"{room.name}, {venues[0].name}"
    if feed_scope == "venue":
        return venues[0].name
    return f"All venues of {target}"


async def create_feed(
    session: AsyncSession, actor: Actor, feed_scope: str, target: str, detail: str
) -> tuple[Feed, str]:
    if feed_scope not in SCOPES:
        raise Invalid("unknown feed scope", {"scope": f"one of {', '.join(SCOPES)}"})
    if detail not in DETAILS:
        raise Invalid("unknown detail level", {"detail": f"one of {', '.join(DETAILS)}"})
    await check_may_create(session, actor, feed_scope, target)
    assert actor.id is not None
    token = new_token()
    feed = Feed(
        token_hash=token_hash(token),
        owner_id=actor.id,
        provider_id=actor.provider_id,
        scope=feed_scope,
        target=target,
        detail=detail,
    )
    session.add(feed)
    await session.flush()
    return feed, token


async def own_feed(session: AsyncSession, actor: Actor, feed_id: UUID) -> Feed:
    feed = await session.get(Feed, feed_id)
    if feed is None or feed.revoked_at is not None or (feed.owner_id != actor.id and actor.role != "admin"):
        raise NotFound("no such feed")
    return feed


async def revoke_feed(session: AsyncSession, actor: Actor, feed_id: UUID) -> None:
    feed = await own_feed(session, actor, feed_id)
    feed.revoked_at = dt.datetime.now(dt.UTC)
    await session.flush()


async def rotate_feed(session: AsyncSession, actor: Actor, feed_id: UUID) -> tuple[Feed, str]:
    """A new secret for the same feed; the old URL stops answering at once."""
    feed = await own_feed(session, actor, feed_id)
    token = new_token()
    feed.token_hash = token_hash(token)
    await session.flush()
    return feed, token


async def list_feeds(session: AsyncSession, actor: Actor) -> list[Feed]:
    query = select(Feed).where(Feed.revoked_at.is_(None))
    if actor.role != "admin":
        query = query.where(Feed.owner_id == actor.id)
    return list((await session.execute(query.order_by(Feed.created_at))).scalars())


async def feed_by_token(session: AsyncSession, token: str) -> Feed | None:
    feed = (
        await session.execute(select(Feed).where(Feed.token_hash == token_hash(token)))
    ).scalar_one_or_none()
    if feed is None or feed.revoked_at is not None:
        return None
    return feed


def reach_of(feed: Feed) -> Scope | None:
    """What a feed may show: what its owner's organisation may read (a service administrator's
    feed, everything). Its token is the only credential, so the owner's reach is the feed's."""
    return None if feed.provider_id is None else Scope.of(feed.provider_id)


async def _room_ids_in_scope(session: AsyncSession, feed: Feed) -> list[UUID]:
    venues = await _venues_in_scope(session, feed.scope, feed.target)
    if feed.scope != "room":
        rows = await session.execute(select(Room.id).where(Room.venue_id.in_([v.id for v in venues])))
        return list(rows.scalars())
    # A room's feed shows what occupies it, including bookings of linked spaces that share a part.
    room_id = UUID(feed.target)
    room = await session.get(Room, room_id)
    assert room is not None
    parts = await parts_map(session, room.venue_id)
    rows = await session.execute(select(Room.id).where(Room.venue_id == room.venue_id))
    all_rooms = [str(r) for r in rows.scalars()]
    units = units_by_room({r: parts.get(r, []) for r in all_rooms})
    mine = units[str(room_id)]
    return [UUID(r) for r in all_rooms if units[r] & mine]


def _spec(council: str, name: str, detail: str) -> FeedSpec:
    return FeedSpec(
        calendar_name=name,
        council_name=council,
        description=f"Room bookings from {council}'s venue hire service ({detail} detail). "
        "Read-only; refreshed hourly.",
        detail=detail,  # type: ignore[arg-type]  # validated against DETAILS when the feed was made
    )


async def feed_meta(session: AsyncSession, feed: Feed, council: str, now: dt.datetime) -> FeedMeta:
    """What the feed shows now and its ETag (each booking's events come from a cache when unchanged)."""
    window = default_window(now)
    if feed.scope == "decisions":
        cases = list(
            (
                await session.execute(
                    select(VettingCase).where(
                        VettingCase.status.in_(("under_review", "awaiting_information"))
                    )
                )
            ).scalars()
        )
        spec = _spec(council, "Decisions due", "standard")
        rendered = render_decisions_due_with_etag(spec, [_due_case(c) for c in cases])
        return FeedMeta(spec, window, [c.id for c in cases], rendered.etag, rendered.body)
    room_ids = await _room_ids_in_scope(session, feed)
    name = await _feed_name(session, feed)
    # The bookings with a date in the window, found from the feed's rooms' dates in it (the index
    # on occurrence (room_id, start_utc)): one read of those dates, however many years are kept,
    # rather than each of the rooms' bookings tested for a date in the window.
    dated = select(Occurrence.booking_id).where(
        Occurrence.room_id.in_(room_ids),
        Occurrence.end_utc > window[0],
        Occurrence.start_utc < window[1],
        # Implied (no date is longer than MAX_DURATION); lets the index bound the read.
        Occurrence.start_utc > window[0] - MAX_DURATION,
    )
    in_scope = (
        Booking.room_id.in_(room_ids),
        VettingCase.status.in_(FEED_CASE_STATUSES),
        Booking.id.in_(dated),
    )
    rows = [
        r
        for r in (await session.execute(_BOOKING_COLUMNS.where(*in_scope))).all()
        if visible_in_feed(_feed_status(r.status), r.changed_at, now, CANCELLED_GRACE)
    ]
    visible = [r.id for r in rows]
    spec = _spec(council, name, feed.detail)
    rendered = render_feed_with_etag(
        spec,
        await _feed_bookings(session, rows),
        window_start=window[0],
        window_end=window[1],
        cancelled_grace=CANCELLED_GRACE,
        now=now,
    )
    return FeedMeta(spec, window, visible, rendered.etag, rendered.body)


async def _feed_name(session: AsyncSession, feed: Feed) -> str:
    if feed.scope == "room":
        room = await session.get(Room, UUID(feed.target))
        venue = await session.get(Venue, room.venue_id) if room else None
        return f"{room.name}, {venue.name}" if room and venue else "Room"
    if feed.scope == "venue":
        venue = await session.get(Venue, UUID(feed.target))
        return venue.name if venue else "Venue"
    return f"All venues of {feed.target}"


def _feed_status(case_status: str) -> BookingStatus:
    if case_status in ("cancelled", "withdrawn"):
        return "cancelled"
    return "awaiting_acceptance" if case_status == "awaiting_acceptance" else "confirmed"


def _due_case(c: VettingCase) -> DueCase:
    return DueCase(
        uid=f"{c.id}@decisions.venue-hire",
        sequence=c.revision,
        last_modified=c.updated_at,
        reference=c.reference,
        title=str(c.event.get("title", "")),
        target_date=c.target_date or c.first_start.date(),
        tier=c.tier or "standard",
    )


# What an event shows, as columns rather than ORM objects: every poll loads these (the ETag is a
# hash of the bytes, see venues.feed_render), and whole cases with their JSON made a 304 ten
# times slower.
_BOOKING_COLUMNS = (
    select(
        Booking.id,
        Booking.uid,
        Booking.sequence,
        Booking.changed_at,
        Booking.rrule,
        VettingCase.id.label("case_id"),
        VettingCase.status,
        VettingCase.reference,
        VettingCase.event,
        VettingCase.contact,
        # As the request gave it (or as an officer rectified it), never another request's.
        VettingCase.organisation_name,
        Room.name.label("room_name"),
        Room.buffer_before_minutes,
        Room.buffer_after_minutes,
        Venue.name.label("venue_name"),
        Venue.address,
    )
    .join(VettingCase, VettingCase.id == Booking.case_id)
    .join(Room, Room.id == Booking.room_id)
    .join(Venue, Venue.id == Room.venue_id)
)


async def _feed_bookings(session: AsyncSession, rows: Sequence[Row[Any]]) -> list[FeedBooking]:
    """The bookings of `rows` (from _BOOKING_COLUMNS) with their dates and their own decision."""
    if not rows:
        return []
    booking_ids = [r.id for r in rows]
    occurrences: dict[UUID, list[Row[Any]]] = {}
    for occ in await session.execute(
        select(
            Occurrence.booking_id,
            Occurrence.start_utc,
            Occurrence.end_utc,
            Occurrence.status,
            Occurrence.original_start_utc,
        )
        .where(Occurrence.booking_id.in_(list(booking_ids)))
        .order_by(Occurrence.seq)
    ):
        occurrences.setdefault(occ.booking_id, []).append(occ)
    # Each case's own effective approval, the latest if there are several; each event below is
    # built from its own case's entry only.
    decisions: dict[UUID, Row[Any]] = {}
    for decision in await session.execute(
        select(Decision.case_id, Decision.conditions, Decision.decided_at, Decision.officer_name)
        .where(
            Decision.case_id.in_([r.case_id for r in rows]),
            Decision.outcome == "approve",
            Decision.effective.is_(True),
        )
        .order_by(Decision.decided_at)
    ):
        decisions[decision.case_id] = decision
    out: list[FeedBooking] = []
    for row in rows:
        approved = decisions.get(row.case_id)
        case_cancelled = row.status in ("cancelled", "withdrawn")
        out.append(
            FeedBooking(
                uid=row.uid,
                sequence=row.sequence,
                last_modified=row.changed_at,
                status=_feed_status(row.status),
                reference=row.reference,
                venue_name=row.venue_name,
                room_name=row.room_name,
                venue_address=row.address,
                organisation_name=row.organisation_name,
                event_title=str(row.event.get("title", "")),
                expected_attendance=row.event.get("expected_attendance"),
                setup_minutes=row.buffer_before_minutes,
                cleardown_minutes=row.buffer_after_minutes,
                conditions=tuple(
                    FeedCondition(c["code"], c["text"], c.get("rationale"))
                    for c in (approved.conditions if approved else [])
                ),
                decision=(
                    FeedDecision(
                        "approved with conditions" if approved.conditions else "approved",
                        approved.decided_at,
                        approved.officer_name,
                    )
                    if approved
                    else None
                ),
                contact_name=row.contact.get("name"),
                contact_phone=row.contact.get("phone"),
                rrule=row.rrule,
                occurrences=tuple(
                    FeedOccurrence(
                        o.start_utc,
                        o.end_utc,
                        # A cancelled booking shows its dates as one cancelled event (STATUS:CANCELLED).
                        "cancelled" if o.status == "cancelled" and not case_cancelled else "held",
                        o.original_start_utc,
                    )
                    for o in occurrences.get(row.id, [])
                    if o.status in ("held", "cancelled") or case_cancelled
                ),
            )
        )
    return out
