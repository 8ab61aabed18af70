"""`venue-hire invoices issue --month 2027-03 [--venue ID]`: invoice a month's confirmed bookings
that have no invoice yet, in batches (casework/bulk_invoicing.py), with progress on stderr."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import time

from sqlalchemy.ext.asyncio import async_sessionmaker

from api.cli.support import CliError, Subcommands, add_group, parse_uuid
from api.db.engine import create_engine
from api.settings import get_settings
from casework.bulk_invoicing import BATCH, BulkResult, issue_month, month_bounds
from casework.charging import local_today


def invoices_issue(args: argparse.Namespace) -> int:
    try:
        month_bounds(args.month)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    venue_id = parse_uuid(args.venue, "venue") if args.venue else None
    try:
        today = dt.date.fromisoformat(args.issued_on) if args.issued_on else local_today()
    except ValueError:
        raise CliError(f"--issued-on {args.issued_on!r} is not a date like 2027-04-01") from None
    if args.batch < 1:
        raise CliError("--batch must be at least 1")
    started = time.monotonic()

    def show(done: int, listed: int) -> None:
        print(
            f"  {done:,} of {listed:,} bookings ({time.monotonic() - started:.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    async def run() -> BulkResult:
        engine = create_engine(get_settings().database_url)
        try:
            maker = async_sessionmaker(engine, expire_on_commit=False)
            return await issue_month(
                maker, args.month, today=today, venue_id=venue_id, batch=args.batch, progress=show
            )
        finally:
            await engine.dispose()

    result = asyncio.run(run())
    print(f"{result.issued:,} invoices issued for {args.month} ({time.monotonic() - started:.1f} s)")
    for issuer, (first, last) in sorted(result.numbers.items()):
        print(f"  issuer {issuer}: {first} to {last}")
    if result.not_priced:
        shown = ", ".join(result.not_priced[:10]) + (" ..." if len(result.not_priced) > 10 else "")
        print(f"{len(result.not_priced):,} bookings the rate card cannot price, not invoiced: {shown}")
    if result.changed:
        print(f"{result.changed:,} bookings changed or were invoiced meanwhile, left alone")
    return 0


def register(sub: Subcommands) -> None:
    actions = add_group(sub, "invoices", help="invoices for confirmed bookings", dest="invoices_command")
    issue = actions.add_parser(
        "issue",
        help="invoice a month's confirmed bookings that have no invoice yet",
        description="Issue the invoice of every confirmed booking with a charged date in the month (at "
        "charging venues) that has none yet, exactly as on confirmation, numbered without gaps per council. "
        "One transaction per batch: a failed batch leaves nothing behind, and running it again carries on.",
    )
    issue.add_argument(
        "--month", required=True, help="the month, like 2027-03 (dates in the venue's local time)"
    )
    issue.add_argument("--venue", help="one venue's id (default: every charging venue)")
    issue.add_argument("--issued-on", help="the invoices' issue date, like 2027-04-01 (default: today, UK)")
    issue.add_argument("--batch", type=int, default=BATCH, help=f"bookings per transaction (default {BATCH})")
    issue.set_defaults(handler=invoices_issue)
