"""`venue-hire policies check`: validate vetting policy files."""

from __future__ import annotations

import argparse
import sys

from api.cli.support import Subcommands, add_group
from policies.command import check_files


def policies_check(args: argparse.Namespace) -> int:
    return check_files(args.files, sys.stdout, sys.stderr)


def register(sub: Subcommands) -> None:
    actions = add_group(sub, "policies", help="vetting policy files", dest="policies_command")
    check = actions.add_parser("check", help="validate policy files; one line per problem")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(handler=policies_check)
