"""`venue-hire api-token create|list|revoke`: named, expiring bearer tokens for API clients."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import api_tokens


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def token_create(args: argparse.Namespace) -> int:
    from api.cli import in_transaction
    from api.users import user_by_email

    async def work(session: AsyncSession) -> str:
        user = await user_by_email(session, args.email)
        return await api_tokens.create_api_token(
            session, user, name=args.name, expires_in_days=args.expires_in_days
        )

    token = in_transaction(work)
    days = args.expires_in_days
    print(f"New API token, expires in {days} day{'' if days == 1 else 's'} (shown once; send it as")
    print("'Authorization: Bearer <token>'):")
    print(token)
    return 0


def token_list(args: argparse.Namespace) -> int:
    from api.cli import in_transaction
    from api.users import user_by_email

    async def work(session: AsyncSession) -> list[api_tokens.TokenInfo]:
        user_id = (await user_by_email(session, args.email)).id if args.email else None
        return await api_tokens.list_api_tokens(session, user_id=user_id)

    tokens = in_transaction(work)
    if not tokens:
        print("No API tokens.")
        return 0
    now = api_tokens.utcnow()
    print(f"{'id':<36}  {'state':<7}  {'user':<30}  {'expires':<20}  {'last used':<20}  name")
    for t in tokens:
        print(
            f"{t.id!s:<36}  {t.state(now):<7}  {t.email:<30}  {_when(t.expires_at):<20}  "
            f"{_when(t.last_used_at):<20}  {t.name}"
        )
    return 0


def token_revoke(args: argparse.Namespace) -> int:
    from api.cli import in_transaction

    async def work(session: AsyncSession) -> Any:
        return await api_tokens.revoke_api_token(session, args.id)

    token = in_transaction(work)
    print(f"Revoked API token {token.id} ({token.name}); it now answers 401.")
    return 0


def _token_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not a token id (see venue-hire api-token list)"
        ) from None


def _days(raw: str) -> int:
    try:
        days = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number of days") from None
    if not 1 <= days <= api_tokens.MAX_EXPIRES_IN_DAYS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {api_tokens.MAX_EXPIRES_IN_DAYS}")
    return days


def add_token_commands(token_sub: Any) -> None:
    """The api-token actions, on the subparsers of `venue-hire api-token`."""
    create = token_sub.add_parser("create", help="create a bearer token for a user (printed once)")
    create.add_argument("--email", required=True)
    create.add_argument("--name", help="what the token is for (default: 'API token' and the date)")
    create.add_argument(
        "--expires-in-days",
        type=_days,
        default=api_tokens.DEFAULT_EXPIRES_IN_DAYS,
        metavar="D",
        help=f"days until it stops working (default {api_tokens.DEFAULT_EXPIRES_IN_DAYS})",
    )
    create.set_defaults(handler=token_create)
    listing = token_sub.add_parser("list", help="list tokens: id, state, user, expiry, last use, name")
    listing.add_argument("--email", help="only this user's tokens")
    listing.set_defaults(handler=token_list)
    revoke = token_sub.add_parser("revoke", help="revoke one token by its id")
    revoke.add_argument("id", type=_token_id)
    revoke.set_defaults(handler=token_revoke)
