"""`venue-hire demo load`: the demo councils and partners, loaded once."""

from __future__ import annotations

import argparse

from api.cli.support import Subcommands, add_group, in_transaction


def demo_load(args: argparse.Namespace) -> int:
    # The demo builds its requests through the whole booking workflow; only this command needs
    # it, and importing it would cost every other command about half a second.
    from api.demo import load_demo

    result = in_transaction(load_demo)
    if not result.created:
        print("Demo data is already loaded (credentials were printed when it was first loaded).")
        return 0
    print(
        "Demo data loaded: Westmarch County Council (lead), Harrowmere Borough Council, Harrowmere "
        "Leisure Trust and Millbrook Community Trust in the Westmarch Prevent Partnership; "
        "6 venues, 15 rooms, 7 requests."
    )
    print("Demo staff accounts by organisation (shown once; keep them):")
    shown: str | None = None
    for organisation, role, email, password in result.credentials:
        if organisation != shown:
            print(f"  {organisation}")
            shown = organisation
        print(f"    {role:<14} {email:<36} password: {password}")
    for email, secret in result.totp_secrets.items():
        print(f"  second factor for {email}: TOTP secret {secret}")
    print(f"  API token for officer@harrowmere.example: {result.api_token}")
    return 0


def register(sub: Subcommands) -> None:
    actions = add_group(sub, "demo", help="demo data", dest="demo_command")
    actions.add_parser("load", help="load the demo council once (idempotent)").set_defaults(handler=demo_load)
