"""Rectification (UK GDPR art. 16): officers correct an organisation's or a contact's details.

Each correction lands in the history of every case it touches, naming the fields changed and
the officer's reason (not the old values: the point of correcting them is to stop using them).
Corrections reach the organisation record and the cases filed under it (their snapshot of
the request). A changed name is screened again on every case still open or holding a slot, so a correction
cannot carry a name past the flagged list.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.actors import Actor
from vetting.case_screening import screen_case
from vetting.errors import Forbidden, Invalid, NotFound
from vetting.history import record
from vetting.lifecycle import CLOSED_STATUSES
from vetting.models import Organisation, VettingCase
from vetting.phone import uk_mobile
from vetting.policy_store import policy_version

ORGANISATION_FIELDS = ("name", "type", "charity_number", "company_number", "address", "website")
CONTACT_FIELDS = ("name", "email", "phone")


def _require_officer(actor: Actor) -> None:
    if not actor.is_officer:
        raise Forbidden("only officers correct records")


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid("say why the record is being corrected", {"reason": "is required"})
    return text


async def _rescreen(session: AsyncSession, case: VettingCase, actor: Actor) -> int:
    if case.status in CLOSED_STATUSES:
        return 0
    policy = await policy_version(session, case.policy_id, case.policy_version)
    return len(await screen_case(session, case, policy, actor))


async def rectify_organisation(
    session: AsyncSession, actor: Actor, organisation_id: UUID, changes: dict[str, Any], reason: str | None
) -> tuple[Organisation, list[str], int]:
    _require_officer(actor)
    why = _reason(reason)
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("no such organisation")
    for required in ("name", "type"):
        if required in changes and not changes[required]:
            raise Invalid("a required detail cannot be emptied", {required: "is required"})
    changed = [f for f in ORGANISATION_FIELDS if f in changes and changes[f] != getattr(organisation, f)]
    if not changed:
        raise Invalid("nothing to correct", {"fields": "give at least one changed field"})
    for f in changed:
        setattr(organisation, f, changes[f])
    await session.flush()
    cases = (
        await session.execute(select(VettingCase).where(VettingCase.organisation_id == organisation.id))
    ).scalars()
    new_matches = 0
    for case in list(cases):
        # A correction is the one change an officer makes to what a request submitted: the old
        # details must stop being used (shown, put in feeds), and the history says so.
        case.organisation_submitted = {**case.organisation_submitted, **{f: changes[f] for f in changed}}
        case.organisation_name = case.organisation_submitted["name"]
        await record(session, case, actor, "rectified_organisation", {"fields": changed, "reason": why})
        if "name" in changed:
            new_matches += await _rescreen(session, case, actor)
    return organisation, changed, new_matches


def _texts_number(contact: dict[str, Any], changes: dict[str, Any], changed: list[str]) -> dict[str, Any]:
    """A contact who agreed to texts keeps a mobile number that texts can reach, or no consent.

    Emptying the number withdraws the consent with it (no number, no texts); another number
    must be a UK mobile, kept in the one written form `vetting.phone.uk_mobile` gives."""
    if "phone" not in changed or contact.get("sms_consent") is not True:
        return {}
    if not changes["phone"]:
        return {"sms_consent": False}
    number = uk_mobile(str(changes["phone"]))
    if number is None:
        raise Invalid(
            "the contact agreed to text messages: give a UK mobile number, or empty it to stop the texts",
            {"phone": "must be a UK mobile number"},
        )
    return {"phone": number}


async def rectify_contact(
    session: AsyncSession, actor: Actor, case_id: UUID, changes: dict[str, Any], reason: str | None
) -> tuple[VettingCase, list[str], int]:
    _require_officer(actor)
    why = _reason(reason)
    case = await session.get(VettingCase, case_id)
    if case is None:
        raise NotFound("no such application")
    for required in ("name", "email"):
        if required in changes and not changes[required]:
            raise Invalid("a required detail cannot be emptied", {required: "is required"})
    changed = [f for f in CONTACT_FIELDS if f in changes and changes[f] != case.contact.get(f)]
    if not changed:
        raise Invalid("nothing to correct", {"fields": "give at least one changed field"})
    corrected = {f: changes[f] for f in changed} | _texts_number(case.contact, changes, changed)
    changed += [f for f in corrected if f not in changed]
    case.contact = {**case.contact, **corrected}
    await session.flush()
    await record(session, case, actor, "rectified_contact", {"fields": changed, "reason": why})
    new_matches = 0
    if "name" in changed:
        new_matches = await _rescreen(session, case, actor)
    return case, changed, new_matches
