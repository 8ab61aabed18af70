"""Each organisation's venues under its own name, colour and logo on the public pages.

The pages' Content-Security-Policy allows images from the service only, and no inline styles.
Colours therefore come from a stylesheet the service writes (`/branding.css`: the council's
colour as govuk-frontend's brand colour, then one class per organisation, from colours
validated as ``#rrggbb``), and a page that shows logos widens
``img-src`` by exactly the origins of the logos it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from litestar import Request, Response, get
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, roles
from api.security.middleware import CONTENT_SECURITY_POLICY
from api.web.common import settings_of
from venues.models import Venue
from vetting.providers import Provider


@dataclass
class BrandGroup:
    """An organisation's venues, with what its public pages show of it."""

    name: str
    slug: str | None = None
    colour: str | None = None
    logo_url: str | None = None
    venues: list[Venue] = field(default_factory=list)


async def grouped_venues(session: AsyncSession, venues: Sequence[Venue]) -> list[BrandGroup]:
    """`venues` grouped under their organisations, by the organisations' names; inactive
    organisations' venues are left out."""
    ids = {v.provider_id for v in venues if v.provider_id is not None}
    providers: dict[UUID, Provider] = {}
    if ids:
        rows = await session.execute(select(Provider).where(Provider.id.in_(ids)))
        providers = {p.id: p for p in rows.scalars()}
    groups: dict[str, BrandGroup] = {}
    for venue in venues:
        provider = providers.get(venue.provider_id) if venue.provider_id else None
        if provider is not None and not provider.active:
            continue
        key = provider.slug if provider else f"owner:{venue.owner_name}"
        if key not in groups:
            groups[key] = (
                BrandGroup(provider.name, provider.slug, provider.colour, provider.logo_url)
                if provider
                else BrandGroup(venue.owner_name)
            )
        groups[key].venues.append(venue)
    for group in groups.values():
        group.venues.sort(key=lambda v: v.name)
    return sorted(groups.values(), key=lambda g: g.name)


def with_logos(response: Template, groups: Sequence[BrandGroup]) -> Template:
    """Allow the page to load the logos it shows (their origins only)."""
    origins = sorted({_origin(g.logo_url) for g in groups if g.logo_url})
    if origins:
        policy = CONTENT_SECURITY_POLICY.replace(
            "img-src 'self' data:", "img-src 'self' data: " + " ".join(origins)
        )
        response.headers["Content-Security-Policy"] = policy
    return response


def _origin(url: str | None) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}"


@get("/branding.css", opt=roles(PUBLIC), include_in_schema=False, name="branding_css")
async def branding_css(request: Request[Any, Any, Any], db_session: AsyncSession) -> Response[str]:
    # The council's colour is govuk-frontend's brand colour (its custom property), so the
    # header's and footer's rules and every component that uses it follow the council.
    council = settings_of(request).council_colour
    lines = [f":root {{ --govuk-brand-colour: {council}; }}"] if _is_colour(council) else []
    rows = await db_session.execute(
        select(Provider.slug, Provider.colour).where(Provider.colour.is_not(None)).order_by(Provider.slug)
    )
    # Slugs are [a-z0-9-] and colours were validated as #rrggbb when saved; re-checked here so
    # that nothing else can reach the stylesheet.
    lines += [
        f".brand--{slug} {{ border-left: 10px solid {colour}; padding-left: 15px; }}"
        for slug, colour in rows
        if _safe(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") and _is_colour(colour)
    ]
    return Response(
        "\n".join(lines) + "\n",
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=300"},
    )


def _safe(text: str, allowed: str) -> bool:
    return bool(text) and all(ch in allowed for ch in text)


def _is_colour(value: str | None) -> bool:
    return (
        value is not None
        and len(value) == 7
        and value[0] == "#"
        and _safe(value[1:].lower(), "0123456789abcdef")
    )
