"""Calendar feeds: who may subscribe to what, and turning bookings into feed content.

The bytes come from `venues.calendar`; this module chooses the bookings, keeps screening detail
and applicants' emails out (they are never loaded), and computes the validator that lets a
poll be answered with 304 without rendering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.admin import parts_map
from venues.calendar import (
    BookingStatus,
    DueCase,
    FeedBooking,
    FeedCondition,
    FeedDecision,
    FeedOccurrence,
    FeedSpec,
    default_window,
    feed_fingerprint,
    render_decisions_due,
    render_feed,
    visible_in_feed,
)
from venues.linked_spaces import units_by_room
from venues.models import Booking, Feed, Occurrence, Room, Venue
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid, NotFound
from vetting.models import Decision, Organisation, VettingCase
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
    etag: str


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
        token_hash=token_hash(token), owner_id=actor.id, scope=feed_scope, target=target, detail=detail
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
    """The validator of what the feed would show now, from one narrow query (no rendering)."""
    window = default_window(now)
    if feed.scope == "decisions":
        rows = (
            await session.execute(
                select(
                    VettingCase.id, VettingCase.reference, VettingCase.revision, VettingCase.updated_at
                ).where(VettingCase.status.in_(("under_review", "awaiting_information")))
            )
        ).all()
        spec = _spec(council, "Decisions due", "standard")
        etag = feed_fingerprint(spec, [(str(r.id), r.revision, r.updated_at) for r in rows], window)
        return FeedMeta(spec, window, [r.id for r in rows], etag)
    room_ids = await _room_ids_in_scope(session, feed)
    name = await _feed_name(session, feed)
    booking_rows = (
        await session.execute(
            select(Booking.id, Booking.uid, Booking.sequence, Booking.changed_at, VettingCase.status)
            .join(VettingCase, VettingCase.id == Booking.case_id)
            .where(Booking.room_id.in_(room_ids), VettingCase.status.in_(FEED_CASE_STATUSES))
            .where(
                select(Occurrence.id)
                .where(
                    Occurrence.booking_id == Booking.id,
                    Occurrence.end_utc > window[0],
                    Occurrence.start_utc < window[1],
                )
                .exists()
            )
        )
    ).all()
    visible = [
        r for r in booking_rows if visible_in_feed(_feed_status(r.status), r.changed_at, now, CANCELLED_GRACE)
    ]
    spec = _spec(council, name, feed.detail)
    etag = feed_fingerprint(spec, [(r.uid, r.sequence, r.changed_at) for r in visible], window)
    return FeedMeta(spec, window, [r.id for r in visible], etag)


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


async def render(session: AsyncSession, feed: Feed, meta: FeedMeta, now: dt.datetime) -> bytes:
    if feed.scope == "decisions":
        cases = [await session.get(VettingCase, cid) for cid in meta.booking_ids]
        due = [
            DueCase(
                uid=f"{c.id}@decisions.venue-hire",
                sequence=c.revision,
                last_modified=c.updated_at,
                reference=c.reference,
                title=str(c.event.get("title", "")),
                target_date=c.target_date or c.first_start.date(),
                tier=c.tier or "standard",
            )
            for c in cases
            if c is not None
        ]
        return render_decisions_due(meta.spec, due)
    bookings = await _feed_bookings(session, meta.booking_ids)
    return render_feed(
        meta.spec,
        bookings,
        window_start=meta.window[0],
        window_end=meta.window[1],
        cancelled_grace=CANCELLED_GRACE,
        now=now,
    )


async def _feed_bookings(session: AsyncSession, booking_ids: Sequence[UUID]) -> list[FeedBooking]:
    if not booking_ids:
        return []
    rows = (
        await session.execute(
            select(Booking, VettingCase, Organisation.name, Room, Venue)
            .join(VettingCase, VettingCase.id == Booking.case_id)
            .join(Organisation, Organisation.id == VettingCase.organisation_id)
            .join(Room, Room.id == Booking.room_id)
            .join(Venue, Venue.id == Room.venue_id)
            .where(Booking.id.in_(list(booking_ids)))
        )
    ).all()
    occurrences: dict[UUID, list[Occurrence]] = {}
    for occ in (
        await session.execute(
            select(Occurrence).where(Occurrence.booking_id.in_(list(booking_ids))).order_by(Occurrence.seq)
        )
    ).scalars():
        occurrences.setdefault(occ.booking_id, []).append(occ)
    decisions: dict[UUID, Decision] = {}
    for decision in (
        await session.execute(
            select(Decision)
            .where(
                Decision.case_id.in_([r[1].id for r in rows]),
                Decision.outcome == "approve",
                Decision.effective.is_(True),
            )
            .order_by(Decision.decided_at)
        )
    ).scalars():
        decisions[decision.case_id] = decision
    out: list[FeedBooking] = []
    for booking, case, org_name, room, venue in rows:
        approved = decisions.get(case.id)
        out.append(
            FeedBooking(
                uid=booking.uid,
                sequence=booking.sequence,
                last_modified=booking.changed_at,
                status=_feed_status(case.status),
                reference=case.reference,
                venue_name=venue.name,
                room_name=room.name,
                venue_address=venue.address,
                organisation_name=org_name,
                event_title=str(case.event.get("title", "")),
                expected_attendance=case.event.get("expected_attendance"),
                setup_minutes=room.buffer_before_minutes,
                cleardown_minutes=room.buffer_after_minutes,
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
                contact_name=case.contact.get("name"),
                contact_phone=case.contact.get("phone"),
                rrule=booking.rrule,
                occurrences=tuple(
                    FeedOccurrence(
                        o.start_utc,
                        o.end_utc,
                        # A cancelled booking shows its dates as one cancelled event (STATUS:CANCELLED).
                        "cancelled"
                        if o.status == "cancelled" and case.status not in ("cancelled", "withdrawn")
                        else "held",
                        o.original_start_utc,
                    )
                    for o in occurrences.get(booking.id, [])
                    if o.status in ("held", "cancelled") or case.status in ("cancelled", "withdrawn")
                ),
            )
        )
    return out
