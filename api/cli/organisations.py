"""`venue-hire organisations create|list`: the councils and partners the service works for."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from api.cli.support import CliError, Subcommands, add_group, in_transaction
from vetting.provider_directory import list_providers, slug_for
from vetting.providers import Provider, ProviderKind


def organisations_create(args: argparse.Namespace) -> int:
    name = args.name.strip()
    if not name:
        raise CliError("--name must not be empty")
    slug = args.slug or slug_for(name)

    async def work(session: AsyncSession) -> Provider:
        if any(p.slug == slug for p in await list_providers(session)):
            raise CliError(f"an organisation {slug!r} already exists (see venue-hire organisations list)")
        provider = Provider(
            id=uuid4(),
            slug=slug,
            name=name,
            kind=args.kind,
            contact_email=args.contact_email,
            policy_ids=[],
            message_templates={},
        )
        session.add(provider)
        await session.flush()
        return provider

    provider = in_transaction(work)
    print(f"Created {provider.kind.replace('_', ' ')} {provider.name} ({provider.slug}).")
    return 0


def organisations_list(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> Sequence[Provider]:
        return await list_providers(session)

    providers = in_transaction(work)
    if not providers:
        print("No organisations yet.")
        return 0
    print(f"{'slug':<40}  {'kind':<18}  name")
    for p in providers:
        print(f"{p.slug:<40}  {p.kind:<18}  {p.name}")
    return 0


def register(sub: Subcommands) -> None:
    group = add_group(sub, "organisations", help="councils and partner organisations", dest="org_command")
    create = group.add_parser("create", help="add a council or partner organisation")
    create.add_argument("--name", required=True)
    create.add_argument("--kind", required=True, choices=[k.value for k in ProviderKind])
    create.add_argument("--slug", help="short name used in commands (default: from the name)")
    create.add_argument("--contact-email")
    create.set_defaults(handler=organisations_create)
    listing = group.add_parser("list", help="list organisations: slug, kind, name")
    listing.set_defaults(handler=organisations_list)
