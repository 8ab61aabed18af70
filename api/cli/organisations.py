"""`venue-hire organisations create|update|show|list`: the councils and partners the service works for.

The command line acts as an administrator of the whole service. `update` changes only the
options given; an empty value (``--logo-url ""``) clears an optional field. Every change is
checked by the same input model as the admin pages (colour ``#rrggbb``, https addresses,
known policies, message templates that can be filled in).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from api.cli.support import CliError, Subcommands, add_group, in_transaction
from api.schemas.organisations import OrganisationIn
from vetting.actors import Actor
from vetting.errors import Conflict, NotFound
from vetting.provider_admin import (
    ProviderFields,
    create_provider,
    fields_of,
    update_provider,
)
from vetting.provider_directory import list_providers, provider_by_slug
from vetting.providers import Provider, ProviderKind

CLI_ADMIN = Actor(id=None, name="command line administrator", role="admin")
OPTIONAL = ("contact_email", "contact_phone", "logo_url", "colour", "base_url")


def _checked(values: dict[str, Any]) -> ProviderFields:
    try:
        data = OrganisationIn.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'organisation'}: "
            f"{str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise CliError(problems) from None
    return ProviderFields(
        name=data.name,
        kind=data.kind.value,
        contact_email=data.contact_email,
        contact_phone=data.contact_phone or None,
        logo_url=data.logo_url,
        colour=data.colour,
        base_url=data.base_url,
        policy_ids=data.policy_ids,
        message_templates=data.templates_json(),
        active=data.active,
    )


def _templates_from(path: str) -> dict[str, Any]:
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise CliError(f"{path} is not JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(loaded, dict):
        raise CliError(f"{path} must hold an object: message name -> {{subject, body}}")
    return loaded


def _given(args: argparse.Namespace, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with the options given on the command line applied."""
    for key in ("name", "kind", *OPTIONAL):
        given = getattr(args, key, None)
        if given is not None:
            values[key] = given.strip() or None if key in OPTIONAL else given
    if getattr(args, "policy", None) is not None:
        values["policy_ids"] = [p for p in args.policy if p]
    if getattr(args, "templates", None):
        values["message_templates"] = _templates_from(args.templates)
    if getattr(args, "active", None) is not None:
        values["active"] = args.active
    return values


def organisations_create(args: argparse.Namespace) -> int:
    values = _given(args, {"policy_ids": [], "message_templates": {}, "active": True})
    data = _checked(values)

    async def work(session: AsyncSession) -> Provider:
        try:
            return await create_provider(session, CLI_ADMIN, data, slug=args.slug)
        except Conflict as exc:
            raise CliError(f"{exc.message} (see venue-hire organisations list)") from None

    provider = in_transaction(work)
    print(f"Created {provider.kind.replace('_', ' ')} {provider.name} ({provider.slug}).")
    return 0


def organisations_update(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> Provider:
        provider = await _by_slug(session, args.slug)
        values = _given(args, dict(fields_of(provider).__dict__))
        return await update_provider(session, CLI_ADMIN, provider.id, _checked(values))

    provider = in_transaction(work)
    print(f"Updated {provider.name} ({provider.slug}).")
    return 0


async def _by_slug(session: AsyncSession, slug: str) -> Provider:
    try:
        return await provider_by_slug(session, slug)
    except NotFound:
        raise CliError(f"no organisation {slug!r} (see venue-hire organisations list)") from None


def organisations_show(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> Provider:
        return await _by_slug(session, args.slug)

    p = in_transaction(work)
    rows = [
        ("slug", p.slug),
        ("name", p.name),
        ("kind", p.kind),
        ("active", "yes" if p.active else "no"),
        ("contact email", p.contact_email or ""),
        ("contact phone", p.contact_phone or ""),
        ("logo URL", p.logo_url or ""),
        ("colour", p.colour or ""),
        ("base URL", p.base_url or "(the service's own)"),
        ("policies", ", ".join(p.policy_ids) or "(any)"),
        ("message templates", ", ".join(sorted(p.message_templates)) or "(the default texts)"),
    ]
    for label, value in rows:
        print(f"{label + ':':<19} {value}")
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
        print(f"{p.slug:<40}  {p.kind:<18}  {p.name}{'' if p.active else ' (inactive)'}")
    return 0


def _fields(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--name", required=required)
    parser.add_argument("--kind", required=required, choices=[k.value for k in ProviderKind])
    parser.add_argument("--contact-email")
    parser.add_argument("--contact-phone")
    parser.add_argument("--logo-url", help="https address of its logo")
    parser.add_argument("--colour", help="its colour, #rrggbb")
    parser.add_argument("--base-url", help="https address of its own host name, used in its links")
    parser.add_argument(
        "--policy", action="append", metavar="ID", help="a policy its venues may use (repeat; none: any)"
    )
    parser.add_argument(
        "--templates", metavar="FILE", help="JSON file: message name -> {subject, body} in its own words"
    )
    active = parser.add_mutually_exclusive_group()
    active.add_argument("--active", dest="active", action="store_true", default=None)
    active.add_argument("--inactive", dest="active", action="store_false")


def register(sub: Subcommands) -> None:
    group = add_group(sub, "organisations", help="councils and partner organisations", dest="org_command")
    create = group.add_parser("create", help="add a council or partner organisation")
    _fields(create, required=True)
    create.add_argument("--slug", help="short name used in commands (default: from the name)")
    create.set_defaults(handler=organisations_create)
    update = group.add_parser("update", help="change an organisation (only the options given)")
    update.add_argument("slug")
    _fields(update, required=False)
    update.set_defaults(handler=organisations_update)
    show = group.add_parser("show", help="everything recorded about an organisation")
    show.add_argument("slug")
    show.set_defaults(handler=organisations_show)
    listing = group.add_parser("list", help="list organisations: slug, kind, name")
    listing.set_defaults(handler=organisations_list)
