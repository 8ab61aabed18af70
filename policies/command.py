"""`policies check FILE...`: the body of ``venue-hire policies check`` (also ``python -m policies``)."""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Sequence
from typing import TextIO

from policies.loader import PolicyError, check_policy_file, load_policy
from policies.rate_card_loader import is_rate_card, load_rate_card


def check_files(paths: Sequence[str], out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Print each problem as ``FILE: path.to.field: message`` to `err`; 0 when every file is valid."""
    failed = False
    for path in paths:
        if _looks_like_rate_card(path):
            try:
                card = load_rate_card(path)
            except PolicyError as exc:
                failed = True
                for line in exc.lines():
                    print(line, file=err)
            else:
                print(f"{path}: ok (rate card {card.id} version {card.version})", file=out)
            continue
        problems = check_policy_file(path)
        if problems:
            failed = True
            for line in problems:
                print(line, file=err)
        else:
            policy = load_policy(path)
            print(f"{path}: ok ({policy.id} version {policy.version})", file=out)
    return 1 if failed else 0


def _looks_like_rate_card(path: str) -> bool:
    """A file that says ``kind = "rate_card"`` is checked as a rate card, anything else as a policy."""
    try:
        with open(path, "rb") as f:
            return is_rate_card(tomllib.load(f))
    except (OSError, tomllib.TOMLDecodeError):
        return False  # the policy check reports it


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="policies", description="Validate venue-hire policy files.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate policy files")
    check.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    return check_files(args.files)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
