"""`venue-hire venues|rooms|closures ...`: venues, rooms, linked spaces and closures (administrators)."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cli.support import CliError, Subcommands, add_group, in_transaction, parse_uuid
from venues.models import Room, Venue
from venues.venue_service import RoomInput, VenueAdmin, VenueInput
from vetting.actors import Actor


def _admin_actor() -> Actor:
    return Actor(id=None, name="command line administrator", role="admin")


def venues_create(args: argparse.Namespace) -> int:
    data = VenueInput(
        name=args.name,
        owner_kind=args.owner_kind,
        owner_name=args.owner_name,
        address=args.address,
        timezone=args.timezone,
        policy_id=args.policy,
        bank_holidays_region=None if args.bank_holidays == "none" else args.bank_holidays,
    )
    venue = in_transaction(lambda s: VenueAdmin(s).create_venue(_admin_actor(), data))
    print(f"Created venue {venue.name}: {venue.id}")
    return 0


def venues_list(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> list[tuple[Venue, list[Room]]]:
        venues = (await session.execute(select(Venue).order_by(Venue.name))).scalars().all()
        out = []
        for venue in venues:
            rooms = (
                await session.execute(select(Room).where(Room.venue_id == venue.id).order_by(Room.name))
            ).scalars()
            out.append((venue, list(rooms)))
        return out

    for venue, rooms in in_transaction(work):
        print(f"{venue.id}  {venue.name} ({venue.owner_kind}: {venue.owner_name})")
        for room in rooms:
            print(f"    {room.id}  {room.name}, capacity {room.capacity}")
    return 0


def rooms_create(args: argparse.Namespace) -> int:
    try:
        hours = json.loads(args.opening_hours) if args.opening_hours else {}
    except json.JSONDecodeError as exc:
        raise CliError(f"--opening-hours is not JSON: {exc.msg}") from None
    data = RoomInput(
        name=args.name,
        capacity=args.capacity,
        accessibility=args.accessibility or [],
        opening_hours=hours,
        buffer_before_minutes=args.buffer_before,
        buffer_after_minutes=args.buffer_after,
        parts=[parse_uuid(p, "--part") for p in args.part or []],
    )
    venue_id = parse_uuid(args.venue, "--venue")
    room = in_transaction(lambda s: VenueAdmin(s).create_room(_admin_actor(), venue_id, data))
    print(f"Created room {room.name}: {room.id}")
    return 0


def rooms_parts(args: argparse.Namespace) -> int:
    room_id = parse_uuid(args.room, "room")
    parts = [parse_uuid(p, "--part") for p in args.part or []]
    in_transaction(lambda s: VenueAdmin(s).set_parts(_admin_actor(), room_id, parts))
    print(f"Room {room_id} is now made of {len(parts)} part(s).")
    return 0


def closures_add(args: argparse.Namespace) -> int:
    try:
        start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end or args.start)
    except ValueError:
        raise CliError("dates must look like 2027-01-31") from None
    venue_id = parse_uuid(args.venue, "--venue")
    room_id = parse_uuid(args.room, "--room") if args.room else None
    closure = in_transaction(
        lambda s: VenueAdmin(s).add_closure(_admin_actor(), venue_id, start, end, args.reason, room_id)
    )
    print(f"Closed {closure.start_date} to {closure.end_date}: {closure.reason}")
    return 0


def register(sub: Subcommands) -> None:
    venues = add_group(sub, "venues", help="venues (administrators)", dest="venues_command")
    vcreate = venues.add_parser("create", help="create a venue")
    vcreate.add_argument("--name", required=True)
    vcreate.add_argument("--owner-kind", required=True, choices=["council", "partner"])
    vcreate.add_argument("--owner-name", required=True)
    vcreate.add_argument("--address", required=True)
    vcreate.add_argument("--timezone", default="Europe/London")
    vcreate.add_argument("--policy", default="council-default")
    vcreate.add_argument("--bank-holidays", default="ENG", choices=["ENG", "WLS", "SCT", "NIR", "none"])
    vcreate.set_defaults(handler=venues_create)
    venues.add_parser("list", help="list venues and their rooms").set_defaults(handler=venues_list)

    rooms = add_group(sub, "rooms", help="rooms and linked spaces (administrators)", dest="rooms_command")
    rcreate = rooms.add_parser("create", help="create a room")
    rcreate.add_argument("--venue", required=True)
    rcreate.add_argument("--name", required=True)
    rcreate.add_argument("--capacity", required=True, type=int)
    rcreate.add_argument("--accessibility", action="append", help="feature code (repeatable)")
    rcreate.add_argument("--opening-hours", help='JSON, e.g. \'{"mon": [["09:00", "22:00"]]}\'')
    rcreate.add_argument("--buffer-before", type=int, default=0, help="set-up minutes")
    rcreate.add_argument("--buffer-after", type=int, default=0, help="clear-down minutes")
    rcreate.add_argument("--part", action="append", help="id of a room this one is made of (repeatable)")
    rcreate.set_defaults(handler=rooms_create)
    rparts = rooms.add_parser("parts", help="set the parts a room is made of (linked spaces)")
    rparts.add_argument("room")
    rparts.add_argument("--part", action="append", help="id of a part (repeatable; none to clear)")
    rparts.set_defaults(handler=rooms_parts)

    closures = add_group(sub, "closures", help="closures (administrators)", dest="closures_command")
    cadd = closures.add_parser("add", help="close a venue (or one room) for a date range")
    cadd.add_argument("--venue", required=True)
    cadd.add_argument("--room")
    cadd.add_argument("--start", required=True, help="first closed date, YYYY-MM-DD")
    cadd.add_argument("--end", help="last closed date (default: the start date)")
    cadd.add_argument("--reason", required=True)
    cadd.set_defaults(handler=closures_add)
