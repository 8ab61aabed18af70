"""`venue-hire partnerships create|add-member|remove-member|list` and
`venue-hire sharing agree|withdraw|list`: partnerships and what their members agree to share.

The command line acts as a service administrator (vetting/sharing.py says who may do what).
"""

from __future__ import annotations

import argparse
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from api.cli.support import CliError, Subcommands, add_group, in_transaction
from vetting.actors import Actor
from vetting.provider_directory import provider_by_slug
from vetting.providers import SharingAgreement
from vetting.sharing import (
    PartnershipView,
    add_member,
    agreement_by_reference,
    agreement_state,
    create_partnership,
    list_partnerships,
    partnership_named,
    record_agreement,
    remove_member,
    withdraw_agreement,
)

OPERATOR = Actor(id=None, name="command line administrator", role="admin")


def partnerships_create(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> str:
        lead = await provider_by_slug(session, args.lead)
        partnership = await create_partnership(session, OPERATOR, name=args.name, lead_provider_id=lead.id)
        return f"Created partnership {partnership.name} led by {lead.name} ({partnership.id})."

    print(in_transaction(work))
    return 0


def _member_change(args: argparse.Namespace, adding: bool) -> int:
    async def work(session: AsyncSession) -> str:
        partnership = await partnership_named(session, args.partnership)
        provider = await provider_by_slug(session, args.organisation)
        if adding:
            await add_member(session, OPERATOR, partnership.id, provider.id)
            return f"{provider.name} is now a member of {partnership.name}."
        await remove_member(session, OPERATOR, partnership.id, provider.id)
        return f"{provider.name} has left {partnership.name}; nothing is shared with it or by it there."

    print(in_transaction(work))
    return 0


def _agreement_line(a: SharingAgreement) -> str:
    shares = " and ".join(
        w for w, on in (("flagged entries", a.shares_flagged), ("findings", a.shares_findings)) if on
    )
    state = agreement_state(a).value.replace("_", " ")
    return f"    {a.reference:<24} {state:<20} review {a.review_date.isoformat()}  shares {shares}  ({a.id})"


def _print_views(views: list[PartnershipView], agreements_only: bool) -> None:
    if not views:
        print("No partnerships yet.")
    for v in views:
        print(f"{v.partnership.name} (lead {v.lead.name}; {v.partnership.id})")
        if not agreements_only:
            print("  members: " + ", ".join(f"{m.name} ({m.slug})" for m in v.members))
        print("  agreements:" + ("" if v.agreements else " none"))
        for a in v.agreements:
            print(_agreement_line(a))


def partnerships_list(args: argparse.Namespace) -> int:
    _print_views(in_transaction(lambda s: list_partnerships(s, OPERATOR)), agreements_only=False)
    return 0


def sharing_list(args: argparse.Namespace) -> int:
    _print_views(in_transaction(lambda s: list_partnerships(s, OPERATOR)), agreements_only=True)
    return 0


def sharing_agree(args: argparse.Namespace) -> int:
    try:
        review = dt.date.fromisoformat(args.review_date)
    except ValueError:
        raise CliError("--review-date must be a date such as 2027-06-30") from None
    if not (args.flagged or args.findings):
        raise CliError("say what is shared: --flagged, --findings or both")

    async def work(session: AsyncSession) -> str:
        partnership = await partnership_named(session, args.partnership)
        agreement = await record_agreement(
            session,
            OPERATOR,
            partnership.id,
            reference=args.reference,
            review_date=review,
            shares_flagged=args.flagged,
            shares_findings=args.findings,
            note=args.note,
        )
        return f"Recorded agreement {agreement.reference} for {partnership.name}; sharing starts now.\n" + (
            _agreement_line(agreement)
        )

    print(in_transaction(work))
    return 0


def sharing_withdraw(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> str:
        agreement = await agreement_by_reference(session, args.agreement)
        await withdraw_agreement(session, OPERATOR, agreement.id)
        return f"Withdrew agreement {agreement.reference}; nothing is shared under it from now."

    print(in_transaction(work))
    return 0


def register(sub: Subcommands) -> None:
    group = add_group(
        sub, "partnerships", help="partnerships of councils and partners", dest="partnership_command"
    )
    create = group.add_parser("create", help="start a partnership led by a council")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--lead", required=True, metavar="SLUG", help="the lead council (see organisations list)"
    )
    create.set_defaults(handler=partnerships_create)
    for action, adding in (("add-member", True), ("remove-member", False)):
        change = group.add_parser(
            action, help=f"{'add an organisation to' if adding else 'take one out of'} a partnership"
        )
        change.add_argument("--partnership", required=True, metavar="NAME_OR_ID")
        change.add_argument("--organisation", required=True, metavar="SLUG")
        change.set_defaults(handler=lambda args, adding=adding: _member_change(args, adding))
    listing = group.add_parser("list", help="partnerships, their members and agreements")
    listing.set_defaults(handler=partnerships_list)

    sharing = add_group(sub, "sharing", help="what partnerships agree to share", dest="sharing_command")
    agree = sharing.add_parser("agree", help="record a sharing agreement (in force until withdrawn)")
    agree.add_argument("--partnership", required=True, metavar="NAME_OR_ID")
    agree.add_argument("--reference", required=True, help="the agreement's own reference")
    agree.add_argument("--review-date", required=True, metavar="YYYY-MM-DD")
    agree.add_argument(
        "--flagged", action="store_true", help="members share the flagged-list entries they add"
    )
    agree.add_argument("--findings", action="store_true", help="members share refusals and confirmed matches")
    agree.add_argument("--note")
    agree.set_defaults(handler=sharing_agree)
    withdraw = sharing.add_parser("withdraw", help="withdraw an agreement: sharing under it stops at once")
    withdraw.add_argument("agreement", metavar="REFERENCE_OR_ID")
    withdraw.set_defaults(handler=sharing_withdraw)
    listing = sharing.add_parser("list", help="agreements by partnership, with their state")
    listing.set_defaults(handler=sharing_list)
