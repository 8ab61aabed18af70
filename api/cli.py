"""`venue-hire` command line.

Each command runs in one transaction: it commits when it succeeds and leaves nothing behind
when it fails. Errors print one line, never a traceback (set VENUE_HIRE_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.settings import get_settings

T = TypeVar("T")
Handler = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def in_transaction(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    from api.db.engine import create_engine

    async def run() -> T:
        engine = create_engine(get_settings().database_url)
        try:
            async with async_sessionmaker(engine, expire_on_commit=False)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    base = f"http://{args.host}:{args.port}"
    print(f"Venue hire is serving on {base}")
    print(f"  health:         {base}/health")
    print(f"  API docs:       {base}/schema")
    print(f"  booking form:   {base}/book")
    print(f"  officer login:  {base}/login")
    print(f"  database:       {settings.database_url.split('@')[-1]}")
    print("Press Ctrl+C to stop.")
    uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port, log_level="warning")
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from api.db.migrate import upgrade

    upgrade(get_settings().database_url)
    print("Database is at the latest revision.")
    return 0


def _demo_load(args: argparse.Namespace) -> int:
    from api.demo import load_demo

    result = in_transaction(load_demo)
    if not result.created:
        print("Demo data is already loaded (credentials were printed when it was first loaded).")
        return 0
    print("Demo data loaded: Harrowmere Borough Council, 4 venues, 12 rooms, 5 requests.")
    print("Demo staff accounts (shown once; keep them):")
    for role, email, password in result.credentials:
        print(f"  {role:<14} {email:<32} password: {password}")
    for email, secret in result.totp_secrets.items():
        print(f"  second factor for {email}: TOTP secret {secret}")
    print(f"  API token for officer@harrowmere.example: {result.api_token}")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if not args.password_stdin:
        raise CliError("pass the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise CliError("no password on standard input")
    return password


def _users_create(args: argparse.Namespace) -> int:
    from api.users import create_user

    password = _read_password(args)
    venues = []
    for raw in args.venue or []:
        try:
            venues.append(UUID(raw))
        except ValueError:
            raise CliError(f"--venue {raw!r} is not a venue id") from None
    settings = get_settings()

    async def work(session: AsyncSession) -> Any:
        return await create_user(
            session,
            email=args.email,
            name=args.name or args.email,
            role=args.role,
            password=password,
            venue_ids=venues,
            council_words=tuple(settings.council_name.lower().split()),
        )

    user = in_transaction(work)
    print(f"Created {user.role} {user.email}.")
    return 0


def _flagged_import(args: argparse.Namespace) -> int:
    from venues.rescreen import rescreen_upcoming
    from vetting.actors import Actor
    from vetting.errors import Invalid
    from vetting.flagged import import_entries
    from vetting.importers import SUPPORTED_FORMATS, FlaggedListFormatError, parse_flagged_list

    if args.format not in SUPPORTED_FORMATS:
        raise CliError(f"unknown format {args.format!r}; supported: {', '.join(SUPPORTED_FORMATS)}")
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    print(f"Reading {path} as {args.format} ...")
    try:
        entries = parse_flagged_list(path.read_bytes(), args.format, filename=path.name)
    except FlaggedListFormatError as exc:
        raise CliError(f"{exc} (nothing was imported)") from None
    print(f"  {len(entries)} entries read")
    actor = Actor(id=None, name="command line import", role="system")

    async def work(session: AsyncSession) -> tuple[Any, Any]:
        try:
            counts = await import_entries(session, actor, entries, dry_run=args.dry_run)
        except Invalid as exc:
            raise CliError(f"{exc} (nothing was imported)") from None
        if args.dry_run:
            return counts, None
        print("  re-screening organisations with upcoming bookings ...")
        return counts, await rescreen_upcoming(session, actor)

    counts, rescreen = in_transaction(work)
    verb = "Would change" if args.dry_run else f"List version {counts.version}:"
    print(
        f"{verb} added {counts.added}, changed {counts.changed}, removed {counts.removed}, "
        f"unchanged {counts.unchanged}"
    )
    # Every entry leaving the list is named, so a wrong file is caught before (--dry-run) or after.
    for gone in counts.deactivated:
        print(
            f"  {'would deactivate' if args.dry_run else 'deactivated'}: {gone.id} {gone.name} "
            f"({gone.kind}, {gone.source} {gone.source_ref})"
        )
    if rescreen is not None:
        print(f"Re-screened {rescreen.cases} cases; {rescreen.new_matches} new matches referred to officers.")
    return 0


def _rescreen(args: argparse.Namespace) -> int:
    from venues.rescreen import rescreen_upcoming
    from vetting.actors import Actor

    actor = Actor(id=None, name="command line rescreen", role="system")
    result = in_transaction(lambda s: rescreen_upcoming(s, actor))
    print(f"Re-screened {result.cases} cases; {result.new_matches} new matches referred to officers.")
    return 0


def _uuid(raw: str, what: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise CliError(f"{what} {raw!r} is not an id") from None


def _admin_actor() -> Any:
    from vetting.actors import Actor

    return Actor(id=None, name="command line administrator", role="admin")


def _venues_create(args: argparse.Namespace) -> int:
    from venues.admin import VenueAdmin, VenueInput

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


def _venues_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from venues.models import Room, Venue

    async def work(session: AsyncSession) -> list[tuple[Any, list[Any]]]:
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


def _rooms_create(args: argparse.Namespace) -> int:
    import json

    from venues.admin import RoomInput, VenueAdmin

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
        parts=[_uuid(p, "--part") for p in args.part or []],
    )
    venue_id = _uuid(args.venue, "--venue")
    room = in_transaction(lambda s: VenueAdmin(s).create_room(_admin_actor(), venue_id, data))
    print(f"Created room {room.name}: {room.id}")
    return 0


def _rooms_parts(args: argparse.Namespace) -> int:
    from venues.admin import VenueAdmin

    room_id = _uuid(args.room, "room")
    parts = [_uuid(p, "--part") for p in args.part or []]
    in_transaction(lambda s: VenueAdmin(s).set_parts(_admin_actor(), room_id, parts))
    print(f"Room {room_id} is now made of {len(parts)} part(s).")
    return 0


def _closures_add(args: argparse.Namespace) -> int:
    import datetime as dt

    from venues.admin import VenueAdmin

    try:
        start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end or args.start)
    except ValueError:
        raise CliError("dates must look like 2027-01-31") from None
    venue_id = _uuid(args.venue, "--venue")
    room_id = _uuid(args.room, "--room") if args.room else None
    closure = in_transaction(
        lambda s: VenueAdmin(s).add_closure(_admin_actor(), venue_id, start, end, args.reason, room_id)
    )
    print(f"Closed {closure.start_date} to {closure.end_date}: {closure.reason}")
    return 0


def _policies_check(args: argparse.Namespace) -> int:
    from policies.command import check_files

    return check_files(args.files, sys.stdout, sys.stderr)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="venue-hire", description="Venue hire and premises vetting service.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)

    serve = sub.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=_serve)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True, parser_class=_Parser)
    db_sub.add_parser("upgrade", help="apply migrations up to the latest revision").set_defaults(
        handler=_db_upgrade
    )

    demo = sub.add_parser("demo", help="demo data")
    demo_sub = demo.add_subparsers(dest="demo_command", metavar="ACTION", required=True, parser_class=_Parser)
    demo_sub.add_parser("load", help="load the demo council once (idempotent)").set_defaults(
        handler=_demo_load
    )

    users = sub.add_parser("users", help="staff accounts")
    users_sub = users.add_subparsers(
        dest="users_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    create = users_sub.add_parser("create", help="create a staff account")
    create.add_argument("--email", required=True)
    create.add_argument("--name")
    create.add_argument("--role", required=True, choices=["admin", "officer", "venue_manager"])
    create.add_argument("--venue", action="append", help="venue id (venue managers; repeatable)")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(handler=_users_create)

    token = sub.add_parser("api-token", help="API tokens")
    token_sub = token.add_subparsers(
        dest="token_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    from api.token_commands import add_token_commands

    add_token_commands(token_sub)

    flagged = sub.add_parser("flagged", help="the flagged list")
    flagged_sub = flagged.add_subparsers(
        dest="flagged_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    imp = flagged_sub.add_parser(
        "import",
        help="import a published list and re-screen upcoming bookings",
        description="Replace the entries of the file's own source(s) with the file's, naming every "
        "entry deactivated. Entries officers added by hand (source 'local') are never replaced: "
        "a file with the source 'local', or rows without a source, is refused.",
    )
    imp.add_argument("file")
    imp.add_argument(
        "--format",
        required=True,
        help="uk-sanctions-csv, ofac-sdn-csv, proscribed-text, native-csv, native-json",
    )
    imp.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would change (naming every entry it would deactivate) without changing anything",
    )
    imp.set_defaults(handler=_flagged_import)

    sub.add_parser("rescreen", help="re-screen every organisation with upcoming bookings").set_defaults(
        handler=_rescreen
    )

    venues = sub.add_parser("venues", help="venues (administrators)")
    venues_sub = venues.add_subparsers(
        dest="venues_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    vcreate = venues_sub.add_parser("create", help="create a venue")
    vcreate.add_argument("--name", required=True)
    vcreate.add_argument("--owner-kind", required=True, choices=["council", "partner"])
    vcreate.add_argument("--owner-name", required=True)
    vcreate.add_argument("--address", required=True)
    vcreate.add_argument("--timezone", default="Europe/London")
    vcreate.add_argument("--policy", default="council-default")
    vcreate.add_argument("--bank-holidays", default="ENG", choices=["ENG", "WLS", "SCT", "NIR", "none"])
    vcreate.set_defaults(handler=_venues_create)
    venues_sub.add_parser("list", help="list venues and their rooms").set_defaults(handler=_venues_list)

    rooms = sub.add_parser("rooms", help="rooms and linked spaces (administrators)")
    rooms_sub = rooms.add_subparsers(
        dest="rooms_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    rcreate = rooms_sub.add_parser("create", help="create a room")
    rcreate.add_argument("--venue", required=True)
    rcreate.add_argument("--name", required=True)
    rcreate.add_argument("--capacity", required=True, type=int)
    rcreate.add_argument("--accessibility", action="append", help="feature code (repeatable)")
    rcreate.add_argument("--opening-hours", help='JSON, e.g. \'{"mon": [["09:00", "22:00"]]}\'')
    rcreate.add_argument("--buffer-before", type=int, default=0, help="set-up minutes")
    rcreate.add_argument("--buffer-after", type=int, default=0, help="clear-down minutes")
    rcreate.add_argument("--part", action="append", help="id of a room this one is made of (repeatable)")
    rcreate.set_defaults(handler=_rooms_create)
    rparts = rooms_sub.add_parser("parts", help="set the parts a room is made of (linked spaces)")
    rparts.add_argument("room")
    rparts.add_argument("--part", action="append", help="id of a part (repeatable; none to clear)")
    rparts.set_defaults(handler=_rooms_parts)

    closures = sub.add_parser("closures", help="closures (administrators)")
    closures_sub = closures.add_subparsers(
        dest="closures_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    cadd = closures_sub.add_parser("add", help="close a venue (or one room) for a date range")
    cadd.add_argument("--venue", required=True)
    cadd.add_argument("--room")
    cadd.add_argument("--start", required=True, help="first closed date, YYYY-MM-DD")
    cadd.add_argument("--end", help="last closed date (default: the start date)")
    cadd.add_argument("--reason", required=True)
    cadd.set_defaults(handler=_closures_add)

    policies = sub.add_parser("policies", help="vetting policy files")
    policies_sub = policies.add_subparsers(
        dest="policies_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    check = policies_sub.add_parser("check", help="validate policy files; one line per problem")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(handler=_policies_check)

    # --- security and data protection commands ---
    from api.security import commands as security_commands

    backup = db_sub.add_parser(
        "backup", help="copy the SQLite database safely while it runs (PostgreSQL: pg_dump)"
    )
    backup.add_argument("--out", required=True, metavar="FILE", help="where to write the copy")
    backup.set_defaults(handler=security_commands.db_backup)

    audit = sub.add_parser("audit", help="the hash-chained audit log")
    audit_sub = audit.add_subparsers(
        dest="audit_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    audit_sub.add_parser(
        "verify", help="recompute the chain; exit 1 naming the first broken record"
    ).set_defaults(handler=security_commands.audit_verify)

    retention = sub.add_parser("retention", help="retention periods from the policy")
    retention_sub = retention.add_subparsers(
        dest="retention_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    purge = retention_sub.add_parser("purge", help="remove what is past its retention period")
    purge.add_argument(
        "--dry-run", action="store_true", help="list what would go, by category, without changing anything"
    )
    purge.set_defaults(handler=security_commands.retention_purge)

    sar = sub.add_parser("subject-access", help="subject access requests")
    sar_sub = sar.add_subparsers(dest="sar_command", metavar="ACTION", required=True, parser_class=_Parser)
    sar_export = sar_sub.add_parser(
        "export", help="everything held about a person or organisation (JSON and HTML)"
    )
    sar_export.add_argument("--email")
    sar_export.add_argument("--name")
    sar_export.add_argument("--organisation")
    sar_export.add_argument("--out", required=True, metavar="DIR")
    sar_export.set_defaults(handler=security_commands.subject_access_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except CliError as exc:
        print(f"venue-hire: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from vetting.errors import DomainError

        if os.environ.get("VENUE_HIRE_DEBUG"):
            raise
        if isinstance(exc, DomainError):
            detail = "; ".join(
                [f"{k}: {v}" for k, v in getattr(exc, "errors", {}).items()]
                + list(getattr(exc, "details", []))
            )
            print(f"venue-hire: error: {exc.message}{' (' + detail + ')' if detail else ''}", file=sys.stderr)
            return 1
        print(f"venue-hire: error: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
