"""Subject access (UK GDPR art. 15): everything held about a person or an organisation.

A person is found by email address (case contacts and staff accounts) or by name (contacts and
the people named on requests); an organisation by name. The export is a JSON document and a
readable HTML rendering of the same data. Screening matches are criminal-offence data: they
are included and marked, so the officer answering the request decides, before sending it,
whether an exemption (DPA 2018 sch. 2 para. 2, crime prevention) applies to any of them.
Names of staff who acted on a case are third-party data and appear as their role only.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.dataprotection.shared_disclosures import disclosures
from api.models import ApiToken, AuditRecord, LoginFailure, User
from venues.models import Booking, Occurrence, Room, Venue
from vetting.documents import CaseDocument, ScanState
from vetting.errors import Invalid
from vetting.models import Breach, CaseEvent, Decision, Organisation, ScreeningMatch, VettingCase
from vetting.outbox_models import OutboxMessage


def _norm(value: str | None) -> str:
    return " ".join((value or "").lower().split())


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


async def find_cases(
    session: AsyncSession, *, email: str | None, name: str | None, organisation: str | None
) -> tuple[list[VettingCase], list[Organisation]]:
    organisations: list[Organisation] = []
    if organisation:
        organisations = list(
            (
                await session.execute(
                    select(Organisation).where(func.lower(Organisation.name) == _norm(organisation))
                )
            ).scalars()
        )
        org_ids = [o.id for o in organisations]
        # Every name the organisation was submitted under: the cases filed under the record
        # found, and the cases whose request gave this name (their own snapshot).
        cases = list(
            (
                await session.execute(
                    select(VettingCase)
                    .where(
                        VettingCase.organisation_id.in_(org_ids)
                        | (func.lower(VettingCase.organisation_name) == _norm(organisation))
                    )
                    .order_by(VettingCase.created_at)
                )
            ).scalars()
        )
        return cases, organisations
    wanted_email, wanted_name = _norm(email), _norm(name)
    found: list[VettingCase] = []
    # JSON columns differ between SQLite and PostgreSQL; reading contact and people in Python
    # keeps one portable path, and subject access requests are rare.
    for case in (await session.execute(select(VettingCase).order_by(VettingCase.created_at))).scalars():
        contact_email = _norm(str(case.contact.get("email", "")))
        names = {_norm(str(case.contact.get("name", "")))} | {
            _norm(str(p.get("name", ""))) for p in case.people
        }
        if (wanted_email and contact_email == wanted_email) or (wanted_name and wanted_name in names):
            found.append(case)
    return found, organisations


async def export_subject(
    session: AsyncSession,
    *,
    email: str | None = None,
    name: str | None = None,
    organisation: str | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    if sum(1 for v in (email, name, organisation) if v and v.strip()) != 1:
        raise Invalid("name exactly one of email, name or organisation", {"subject": "exactly one"})
    now = now or dt.datetime.now(dt.UTC)
    cases, organisations = await find_cases(session, email=email, name=name, organisation=organisation)
    org_ids = {c.organisation_id for c in cases} | {o.id for o in organisations}
    orgs = {
        o.id: o
        for o in (await session.execute(select(Organisation).where(Organisation.id.in_(org_ids)))).scalars()
    }
    subject_names = {_norm(name)} if name else set()
    if email:
        subject_names |= {
            _norm(str(c.contact.get("name", "")))
            for c in cases
            if _norm(str(c.contact.get("email"))) == _norm(email)
        }
    export: dict[str, Any] = {
        "generated_at": now.isoformat(),
        "subject": {"email": email, "name": name, "organisation": organisation},
        "organisations": [await _organisation_json(session, o) for o in orgs.values()],
        "requests": [await _case_json(session, c, orgs.get(c.organisation_id), subject_names) for c in cases],
        "staff_account": await _staff_json(session, email) if email else None,
        "notes": [
            "Screening matches are criminal-offence data. Before disclosure, an officer decides whether "
            "an exemption applies (DPA 2018 schedule 2 paragraph 2) and records the decision.",
            "Staff who acted on a request are shown by role only.",
            "Shared with partners: refusals and confirmed screening matches that partner organisations "
            "were shown under a sharing agreement, with the partner, the date and the agreement.",
        ],
    }
    return export


async def _organisation_json(session: AsyncSession, o: Organisation) -> dict[str, Any]:
    breaches = (await session.execute(select(Breach).where(Breach.organisation_id == o.id))).scalars()
    return {
        "id": str(o.id),
        "name": o.name,
        "type": o.type,
        "charity_number": o.charity_number,
        "company_number": o.company_number,
        "address": o.address,
        "website": o.website,
        "last_cleared_at": _iso(o.last_cleared_at),
        "recorded_breaches": [
            {
                "occurred_on": _iso(b.occurred_on),
                "code": b.code,
                "description": b.description,
                "serious": b.serious,
            }
            for b in breaches
        ],
    }


async def _documents_json(session: AsyncSession, case: VettingCase) -> list[dict[str, Any]]:
    """The documents the hirer sent, as kept. `file_in_archive` is where the file itself is in
    the subject access archive (api/dataprotection/subject_access_archive.py); a document still
    in quarantine (not yet scanned clean) is listed without its file."""
    rows = await session.execute(
        select(CaseDocument).where(CaseDocument.case_id == case.id).order_by(CaseDocument.uploaded_at)
    )
    return [
        {
            "id": str(d.id),
            "kind": d.kind,
            "file_name": d.original_name,
            "content_type": d.content_type,
            "size": d.size,
            "sha256": d.sha256,
            "sent_at": _iso(d.uploaded_at),
            "insurer": d.insurer,
            "cover_gbp": d.cover_gbp,
            "expires_on": d.expires_on.isoformat() if d.expires_on else None,
            "review": d.review_state,
            "review_note": d.review_note,
            "file_in_archive": archive_name(d),
        }
        for d in rows.scalars()
    ]


def archive_name(document: CaseDocument) -> str | None:
    """The file's name inside the archive: unique (the row's id) and readable (the hirer's own
    name, already neutralised when it arrived); None while the file is in quarantine."""
    if document.scan_state == ScanState.QUARANTINED.value:
        return None
    return f"documents/{str(document.id)[:8]}-{document.original_name}"


async def _case_json(
    session: AsyncSession, case: VettingCase, org: Organisation | None, subject_names: set[str]
) -> dict[str, Any]:
    booking = (await session.execute(select(Booking).where(Booking.case_id == case.id))).scalar_one_or_none()
    room_name = venue_name = None
    occurrences: list[dict[str, Any]] = []
    if booking is not None:
        room = await session.get(Room, booking.room_id)
        venue = await session.get(Venue, room.venue_id) if room else None
        room_name, venue_name = (room.name if room else None), (venue.name if venue else None)
        occurrences = [
            {"start": _iso(o.start_utc), "end": _iso(o.end_utc), "status": o.status}
            for o in (
                await session.execute(
                    select(Occurrence).where(Occurrence.booking_id == booking.id).order_by(Occurrence.seq)
                )
            ).scalars()
        ]
    decisions = (
        await session.execute(
            select(Decision).where(Decision.case_id == case.id).order_by(Decision.decided_at)
        )
    ).scalars()
    org_name = _norm(case.organisation_name)
    matches = [
        m
        for m in (
            await session.execute(select(ScreeningMatch).where(ScreeningMatch.case_id == case.id))
        ).scalars()
        if not subject_names or _norm(m.query_name) in subject_names or _norm(m.query_name) == org_name
    ]
    events = (
        await session.execute(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    ).scalars()
    # What was sent to the hirer about this request (staff mail is about the case, not to them).
    messages = (
        await session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.case_id == case.id, OutboxMessage.audience == "hirer")
            .order_by(OutboxMessage.created_at)
        )
    ).scalars()
    return {
        "reference": case.reference,
        "status": case.status,
        "submitted_at": _iso(case.created_at),
        # As this request gave it; the record it is filed under is listed under "organisations".
        "organisation": case.organisation_name,
        "organisation_as_submitted": case.organisation_submitted,
        "contact": case.contact,
        "people": case.people,
        "event": case.event,
        "declarations": case.declarations,
        "answers": case.answers,
        "room": room_name,
        "venue": venue_name,
        "dates": occurrences,
        "information_request": case.information_request,
        "information_response": case.information_response,
        # Dates of birth the hirer gave when asked, only for the people this export is about.
        "dates_of_birth": [
            item
            for item in case.birth_dates or []
            if not subject_names or _norm(str(item.get("name", ""))) in subject_names
        ],
        "checks": [
            {"check": c.get("check"), "outcome": c.get("outcome"), "summary": c.get("summary")}
            for c in case.checks
        ],
        "documents": await _documents_json(session, case),
        "decisions": [
            {
                "kind": d.kind,
                "outcome": d.outcome,
                "reason": d.reason,
                "reason_code": d.reason_code,
                "conditions": d.conditions,
                "decided_at": _iso(d.decided_at),
                "policy_version": d.policy_version,
            }
            for d in decisions
        ],
        "screening_matches": [
            {
                "criminal_offence_data": True,
                "name_screened": m.query_name,
                "matched_name": m.matched_name,
                "score": round(m.score, 1),
                "explanation": m.explanation,
                "disposition": m.disposition,
                "disposed_at": _iso(m.disposed_at),
            }
            for m in matches
        ],
        # Refusals and confirmed matches of this request that partners were shown under a
        # sharing agreement (issue 24): with whom, when, under which agreement.
        "shared_with_partners": await disclosures(session, case, subject_names, {str(m.id) for m in matches}),
        "history": [
            {"at": _iso(e.at), "by": _role_of(e.actor_id, e.actor_name), "action": e.action} for e in events
        ],
        "messages_sent": [
            {
                "to": o.to_address,
                "channel": o.channel,
                "subject": o.subject,
                "body": o.body,
                "written_at": _iso(o.created_at),
                "sent_at": _iso(o.sent_at),
                "status": o.status,
            }
            for o in messages
        ],
    }


def _role_of(actor_id: UUID | None, actor_name: str) -> str:
    if actor_id is None:
        return actor_name  # "system", "hirer", "retention": no third party named
    return "council staff"


async def _staff_json(session: AsyncSession, email: str) -> dict[str, Any] | None:
    user = (
        await session.execute(select(User).where(User.email == email.strip().lower()))
    ).scalar_one_or_none()
    if user is None:
        return None
    tokens = (await session.execute(select(ApiToken).where(ApiToken.user_id == user.id))).scalars()
    audit = (
        await session.execute(
            select(AuditRecord).where(AuditRecord.actor == f"{user.role}:{user.id}").order_by(AuditRecord.id)
        )
    ).scalars()
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "active": user.active,
        "created_at": _iso(user.created_at),
        "second_factor_enrolled": user.totp_secret is not None,
        "api_tokens": [
            {
                "name": t.name,
                "created_at": _iso(t.created_at),
                "expires_at": _iso(t.expires_at),
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in tokens
        ],
        "failed_sign_ins": [
            {"at": _iso(f.at), "stage": f.stage}
            for f in (
                await session.execute(
                    select(LoginFailure).where(LoginFailure.user_id == user.id).order_by(LoginFailure.at)
                )
            ).scalars()
        ],
        "audit_records": [
            {"at": _iso(a.at), "action": a.action, "object_type": a.object_type, "object_id": a.object_id}
            for a in audit
        ],
    }


def to_json(export: dict[str, Any]) -> str:
    return json.dumps(export, indent=2, ensure_ascii=False, default=str)


def render_html(export: dict[str, Any], council_name: str = "the council") -> str:
    """A readable, self-contained document of the same data (no scripts, no external assets)."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Subject access export</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em;text-align:left;"
        "vertical-align:top}.cod{background:#fff3cd}</style></head><body>",
        f"<h1>Information {e(council_name)} holds</h1>",
        f"<p>Generated {e(export['generated_at'])}.</p>",
    ]
    subject = ", ".join(f"{k}: {v}" for k, v in export["subject"].items() if v)
    parts.append(f"<p>Request about: {e(subject)}</p>")
    for note in export["notes"]:
        parts.append(f"<p><em>{e(note)}</em></p>")
    for org in export["organisations"]:
        parts.append(f"<h2>Organisation: {e(org['name'])}</h2>")
        parts.append(_table({k: v for k, v in org.items() if k != "id"}))
    for req in export["requests"]:
        parts.append(f"<h2>Booking request {e(req['reference'])}</h2>")
        hidden = ("screening_matches", "history", "shared_with_partners", "messages_sent")
        parts.append(_table({k: v for k, v in req.items() if k not in hidden}))
        if req.get("shared_with_partners"):
            parts.append("<h3>Shared with partner organisations</h3>")
            parts.extend(_table(d) for d in req["shared_with_partners"])
        if req["screening_matches"]:
            parts.append("<h3 class='cod'>Screening matches (criminal-offence data)</h3>")
            for m in req["screening_matches"]:
                parts.append(f"<div class='cod'>{_table(m)}</div>")
        if req.get("messages_sent"):
            parts.append("<h3>Messages sent to you</h3>")
            parts.extend(_table(msg) for msg in req["messages_sent"])
        parts.append("<h3>History</h3><ul>")
        parts.extend(f"<li>{e(h['at'] or '')}: {e(h['action'])} ({e(h['by'])})</li>" for h in req["history"])
        parts.append("</ul>")
    if export.get("staff_account"):
        parts.append("<h2>Staff account</h2>")
        parts.append(_table(export["staff_account"]))
    if not export["organisations"] and not export["requests"] and not export.get("staff_account"):
        parts.append("<p>We hold no information matching this request.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _table(data: dict[str, Any]) -> str:
    rows = []
    for key, value in data.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        rows.append(
            f"<tr><th>{html.escape(key.replace('_', ' '))}</th><td>{html.escape(str(shown))}</td></tr>"
        )
    return "<table>" + "".join(rows) + "</table>"
