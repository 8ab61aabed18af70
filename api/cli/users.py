"""`venue-hire users create` and `venue-hire api-token create|list|revoke`: staff accounts and
their named, expiring bearer tokens."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import api_tokens
from api.cli.support import CliError, Subcommands, add_group, in_transaction
from api.models import ApiToken, User
from api.settings import get_settings
from api.users import create_user, user_by_email
from vetting.provider_directory import provider_by_slug


def _read_password(args: argparse.Namespace) -> str:
    if not args.password_stdin:
        raise CliError("pass the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise CliError("no password on standard input")
    return password


def users_create(args: argparse.Namespace) -> int:
    password = _read_password(args)
    venues = []
    for raw in args.venue or []:
        try:
            venues.append(UUID(raw))
        except ValueError:
            raise CliError(f"--venue {raw!r} is not a venue id") from None
    settings = get_settings()

    async def work(session: AsyncSession) -> User:
        provider = await provider_by_slug(session, args.organisation) if args.organisation else None
        return await create_user(
            session,
            email=args.email,
            name=args.name or args.email,
            role=args.role,
            password=password,
            venue_ids=venues,
            council_words=tuple(settings.council_name.lower().split()),
            provider_id=provider.id if provider else None,
        )

    user = in_transaction(work)
    print(f"Created {user.role} {user.email}.")
    return 0


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def token_create(args: argparse.Namespace) -> int:
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
    async def work(session: AsyncSession) -> ApiToken:
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


def register(sub: Subcommands) -> None:
    users = add_group(sub, "users", help="staff accounts", dest="users_command")
    create = users.add_parser("create", help="create a staff account")
    create.add_argument("--email", required=True)
    create.add_argument("--name")
    create.add_argument("--role", required=True, choices=["admin", "officer", "venue_manager"])
    create.add_argument("--venue", action="append", help="venue id (venue managers; repeatable)")
    create.add_argument(
        "--organisation",
        metavar="SLUG",
        help="whose staff (see venue-hire organisations list); an admin without one runs the whole service",
    )
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(handler=users_create)

    tokens = add_group(sub, "api-token", help="API tokens", dest="token_command")
    token = tokens.add_parser("create", help="create a bearer token for a user (printed once)")
    token.add_argument("--email", required=True)
    token.add_argument("--name", help="what the token is for (default: 'API token' and the date)")
    token.add_argument(
        "--expires-in-days",
        type=_days,
        default=api_tokens.DEFAULT_EXPIRES_IN_DAYS,
        metavar="D",
        help=f"days until it stops working (default {api_tokens.DEFAULT_EXPIRES_IN_DAYS})",
    )
    token.set_defaults(handler=token_create)
    listing = tokens.add_parser("list", help="list tokens: id, state, user, expiry, last use, name")
    listing.add_argument("--email", help="only this user's tokens")
    listing.set_defaults(handler=token_list)
    revoke = tokens.add_parser("revoke", help="revoke one token by its id")
    revoke.add_argument("id", type=_token_id)
    revoke.set_defaults(handler=token_revoke)
