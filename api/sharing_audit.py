"""Each partner finding shown to an officer is audited: which agreement, who shared, who saw.

The case view (casework/case_view.py) calls `audit_findings_shown` through the workflow's
``findings_shown`` hook, because casework cannot import the api layer. The record belongs to
the partner that shared (it answers for what it disclosed, and its subject access export lists
these records, api/dataprotection/shared_disclosures.py); it holds ids and codes only, never
names.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from api.audit import actor_label, append
from vetting.actors import Actor
from vetting.models import VettingCase
from vetting.shared_findings import SharedFinding

OBJECT_TYPE = "shared_finding"


async def audit_findings_shown(
    session: AsyncSession, actor: Actor, case: VettingCase, findings: Sequence[SharedFinding]
) -> None:
    for finding in findings:
        await append(
            session,
            actor=actor_label(actor),
            action="show",
            object_type=OBJECT_TYPE,
            # The partner's case the finding comes from: subject access finds it from there.
            object_id=str(finding.source_case_id),
            detail={
                "agreement_id": str(finding.agreement_id),
                "agreement_reference": finding.agreement_reference,
                "shared_by": str(finding.partner_id),
                "seen_by": str(case.provider_id),
                "seen_on_case": str(case.id),
                "finding": finding.kind,
                "basis": finding.basis,
                "about": finding.source_subject,
            },
            provider_id=finding.partner_id,
        )
