"""For subject access: what a partner was shown about the subject, when, under which agreement.

Read from the audit records written each time a shared finding is shown (api/sharing_audit.py).
Those records hold ids and codes; this turns them into the partner's name, the agreement's
reference and what was disclosed, for the case of the request the finding came from.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import AuditRecord
from api.sharing_audit import OBJECT_TYPE
from vetting.models import VettingCase
from vetting.providers import Provider


def _norm(value: str | None) -> str:
    return " ".join((value or "").lower().split())


def _about_subject(
    about: dict[str, Any], case: VettingCase, subject_names: Collection[str], match_ids: Collection[str]
) -> bool:
    """Whether a disclosure concerns this export's subject (all of them for an organisation's)."""
    kind = about.get("kind")
    if kind == "match":
        return str(about.get("match_id")) in match_ids
    if not subject_names:
        return True
    if kind == "person":
        names = [str(p.get("name", "")) for p in case.people] + [str(case.contact.get("name", ""))]
        position = about.get("position")
        return (
            isinstance(position, int)
            and 0 <= position < len(names)
            and _norm(names[position]) in subject_names
        )
    return False


async def disclosures(
    session: AsyncSession, case: VettingCase, subject_names: Collection[str], match_ids: Collection[str]
) -> list[dict[str, Any]]:
    rows = (
        await session.execute(
            select(AuditRecord)
            .where(AuditRecord.object_type == OBJECT_TYPE, AuditRecord.object_id == str(case.id))
            .order_by(AuditRecord.id)
        )
    ).scalars()
    names: dict[str, str] = {}

    async def name_of(provider_id: str | None) -> str | None:
        if not provider_id:
            return None
        if provider_id not in names:
            provider = await session.get(Provider, UUID(provider_id))
            names[provider_id] = provider.name if provider else "an organisation no longer on the service"
        return names[provider_id]

    out = []
    for row in rows:
        detail = json.loads(row.detail or "{}")
        if not _about_subject(detail.get("about") or {}, case, subject_names, match_ids):
            continue
        out.append(
            {
                "at": row.at.isoformat(),
                "shared_by": await name_of(detail.get("shared_by")),
                "shared_with": await name_of(detail.get("seen_by")),
                "agreement_reference": detail.get("agreement_reference"),
                "what": "a refusal" if detail.get("finding") == "refusal" else "a confirmed screening match",
                "matched_by": detail.get("basis"),
            }
        )
    return out
