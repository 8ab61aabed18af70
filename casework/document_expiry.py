"""Documents that expire before a booking ends (issue 20 item 5): a scheduled job asks the
hirer for a renewed one and alerts the case's officers, ahead of time (the policy's
``documents.expiry_notice_days``), once per document.

The officers' alert is `alert_document_expiring`, routed by `casework.staff_alerts` like every
other staff alert: each officer's choice at /account/alerts sends it at once, keeps it for the
daily digest, or drops it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from casework import messages
from casework import staff_alerts as alerts
from casework.deps import CaseDeps
from casework.documents import document_json
from casework.message_language import ENGLISH, long_date
from casework.notice_claims import claim
from policies.welsh import in_language
from vetting.documents import CaseDocument, ReviewState
from vetting.models import VettingCase
from vetting.policy_store import policy_version

BOOKED = ("awaiting_acceptance", "confirmed")


def _words(day: dt.date, language: str = ENGLISH) -> str:
    return long_date(day, language, "%A %-d %B %Y")


async def expiring_documents_job(deps: CaseDeps, now: dt.datetime) -> int:
    """Notices sent; safe to run twice (each document's notice is claimed once)."""
    today = now.date()
    rows = await deps.session.execute(
        select(CaseDocument, VettingCase)
        .join(VettingCase, VettingCase.id == CaseDocument.case_id)
        .where(
            VettingCase.status.in_(BOOKED),
            CaseDocument.review_state == ReviewState.VERIFIED.value,
            CaseDocument.expires_on.is_not(None),
            CaseDocument.expires_on >= today,
        )
    )
    sent = 0
    for document, case in rows.all():
        assert document.expires_on is not None
        policy = await policy_version(deps.session, case.policy_id, case.policy_version)
        if (document.expires_on - today).days > policy.documents.expiry_notice_days:
            continue
        booking = await deps.bookings.booking_for_case(case.id)
        dates = [
            o.local_end.date() for o in await deps.bookings.occurrences(booking.id) if o.status == "held"
        ]
        if not dates or max(dates) <= document.expires_on:
            continue
        if await _renewed(deps, document):
            continue
        if not await claim(deps.session, [f"document-expiring:{document.id}"], now):
            continue
        label = document_json(document, policy)["kind_label"]
        fields = (case.reference, label, _words(document.expires_on), _words(max(dates)))
        # The hirer's notice in their request's language: the kind and the dates in its words.
        hirer_label = document_json(document, in_language(policy, case.language))["kind_label"]
        expires, last = (_words(d, case.language) for d in (document.expires_on, max(dates)))
        hirer = (case.reference, hirer_label, expires, last)
        await messages.mail_hirer(deps, case, messages.document_expiring(*hirer, staff=False))
        kind = "alert_document_expiring"
        await alerts.alert(
            deps,
            case,
            await alerts.officers(deps, case, kind),
            messages.document_expiring(*fields, staff=True),
            dedupe_key=f"document-expiring:{document.id}",
            now=now,
        )
        sent += 1
    return sent


async def _renewed(deps: CaseDeps, document: CaseDocument) -> bool:
    """A newer verified document of the same kind for the case that lasts longer."""
    newer = await deps.session.execute(
        select(CaseDocument.id).where(
            CaseDocument.case_id == document.case_id,
            CaseDocument.kind == document.kind,
            CaseDocument.review_state == ReviewState.VERIFIED.value,
            CaseDocument.expires_on > document.expires_on,
        )
    )
    return newer.first() is not None
