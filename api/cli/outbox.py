"""`venue-hire worker` and `venue-hire outbox list|retry`: delivery outside the service, and the
messages that failed."""

from __future__ import annotations

import argparse
from uuid import UUID

from api.cli.support import CliError, Subcommands, add_group, in_transaction, parse_uuid
from api.settings import get_settings
from vetting.errors import Conflict, NotFound
from vetting.outbox_admin import FAILING, list_messages, retry
from vetting.outbox_models import STATUSES


def worker(args: argparse.Namespace) -> int:
    from api.worker import main

    try:
        return main(get_settings())
    except ValueError as exc:
        raise CliError(str(exc)) from None


def outbox_list(args: argparse.Namespace) -> int:
    statuses = tuple(args.status) if args.status else FAILING
    rows = in_transaction(lambda s: list_messages(s, statuses, limit=args.limit))
    if not rows:
        print("No messages.")
    for row in rows:
        print(
            f"{row.id}  {row.status:<15} attempts={row.attempts}  {row.created_at:%Y-%m-%d %H:%M}"
            f"  {row.template or '-'}  to={row.to_address}  {row.last_error or ''}".rstrip()
        )
    return 0


def outbox_retry(args: argparse.Namespace) -> int:
    message_id: UUID = parse_uuid(args.id, "message id")
    try:
        in_transaction(lambda s: retry(s, message_id))
    except (NotFound, Conflict) as exc:
        raise CliError(exc.message) from None
    print(f"Message {message_id} queued again; the service or a worker delivers it shortly.")
    return 0


def register(sub: Subcommands) -> None:
    sub.add_parser(
        "worker",
        help="deliver messages and run scheduled work (with VENUE_HIRE_DELIVERY=worker and Redis)",
    ).set_defaults(handler=worker)
    actions = add_group(sub, "outbox", help="messages waiting, failed or dead", dest="outbox_command")
    listing = actions.add_parser("list", help="list messages (by default: dead and being retried)")
    listing.add_argument("--status", action="append", choices=STATUSES, help="repeat for several")
    listing.add_argument("--limit", type=int, default=200)
    listing.set_defaults(handler=outbox_list)
    again = actions.add_parser("retry", help="send a dead or retrying message again")
    again.add_argument("id")
    again.set_defaults(handler=outbox_retry)
