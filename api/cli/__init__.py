"""`venue-hire` command line.

Each command group (serve.py, db.py, demo.py, organisations.py, partnerships.py, users.py,
flagged.py, screening.py, venues.py, policies.py, data_protection.py) registers its own subcommands; this
module assembles them and runs one.
Each command runs in one transaction: it commits when it succeeds and leaves nothing behind
when it fails. Errors print one line, never a traceback (set VENUE_HIRE_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from api.cli import (
    data_protection,
    db,
    demo,
    flagged,
    invoices,
    organisations,
    outbox,
    partnerships,
    policies,
    registers,
    screening,
    serve,
    users,
    venues,
)
from api.cli.support import CliError, CliParser, Handler
from vetting.errors import DomainError

# In the order `venue-hire --help` lists them.
GROUPS = (
    serve,
    outbox,
    db,
    demo,
    organisations,
    partnerships,
    users,
    flagged,
    screening,
    registers,
    venues,
    invoices,
    policies,
    data_protection,
)


def build_parser() -> argparse.ArgumentParser:
    parser = CliParser(prog="venue-hire", description="Venue hire and premises vetting service.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=CliParser)
    for group in GROUPS:
        group.register(sub)
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
