"""Telling people apart by date of birth (issue 21 item 2).

An officer asks the hirer, as a request for information with one structured field per person,
for the date of birth of people named on the request; the hirer answers on the status page (or
through the API) and the answer is kept on the case beside that person, nowhere else.

Least data (design.md principle 4): only a person with a screening match on the case may be
asked about, and nothing is asked unless an officer asks. The answers go with the case's
due-diligence detail (retention), are exported on a subject access request and are never shown
to venue managers or in feeds. What they are used for is an annotation on the person's matches
(vetting/birth_dates.py): "likely a different person" when the years of birth are further apart
than the policy's margin. A match is never cleared or hidden by it: only an officer disposes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from casework import messages
from casework.birth_date_words import request_words, reworded
from casework.decision_records import pending_refusal
from casework.deps import CaseDeps, get_case, utcnow
from casework.transition import transition
from policies import Policy
from vetting.actors import Actor
from vetting.birth_dates import BirthComparison, compare
from vetting.errors import Conflict, Forbidden, Invalid
from vetting.models import FlaggedEntry, ScreeningMatch, VettingCase

MAX_NOTE = 2000
# The oldest plausible year of birth: anything earlier is a typing slip, not a person.
EARLIEST_YEAR = 1900


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def asked(case: VettingCase) -> list[dict[str, Any]]:
    """The people whose date of birth an officer asked for, with the hirer's answer if any."""
    return list(case.birth_dates or [])


def waiting(case: VettingCase) -> list[dict[str, Any]]:
    """The people asked about in the open request whose date of birth the hirer has not given."""
    if case.status != "awaiting_information":
        return []
    return [item for item in asked(case) if item.get("date_of_birth") is None]


def latest_asked(case: VettingCase) -> list[str]:
    """The names the latest request for dates of birth asked about, in the order it named them."""
    items = asked(case)
    latest = max((str(item.get("asked_at") or "") for item in items), default="")
    return [str(item["name"]) for item in items if str(item.get("asked_at") or "") == latest]


def hirer_request(case: VettingCase) -> str:
    """The open request as the hirer's messages word it: the service's own request for dates of
    birth in the request's language, an officer's own words as written."""
    return reworded(case.information_request or "", latest_asked(case), case.language)


async def askable(session: AsyncSession, case: VettingCase) -> list[tuple[str, str]]:
    """(name, role) of each person on the case with a screening match: the only people whose date
    of birth may be asked for, since it serves nothing else."""
    rows = await session.execute(
        select(ScreeningMatch.query_name, ScreeningMatch.subject_role)
        .where(ScreeningMatch.case_id == case.id, ScreeningMatch.subject_kind == "person")
        .order_by(ScreeningMatch.query_name)
    )
    found: dict[str, tuple[str, str]] = {}
    for name, role in rows.all():
        found.setdefault(_key(name), (name, role))
    return list(found.values())


async def ask_birth_dates(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    names: Sequence[str],
    note: str | None = None,
    *,
    expected_revision: int | None = None,
) -> VettingCase:
    """Ask the hirer for the dates of birth of ``names`` (people with a match on this case).

    Unlike the decision's request for information, this is open while screening referrals are:
    it is how an officer gathers what resolving them needs.
    """
    if not actor.is_officer:
        raise Forbidden("only officers ask for dates of birth")
    session = deps.session
    case = await get_case(deps, case_id)
    if expected_revision is not None and expected_revision != case.revision:
        raise Conflict("the case has changed since you opened it; reload it")
    if case.status != "under_review":
        raise Conflict(
            f"the case is {case.status.replace('_', ' ')}; ask for information while it is under review"
        )
    if await pending_refusal(session, case.id):
        raise Conflict("a refusal on this case is waiting for a second officer's countersignature")
    allowed = {_key(name): (name, role) for name, role in await askable(session, case)}
    chosen: dict[str, tuple[str, str]] = {}
    for name in names:
        found = allowed.get(_key(name))
        if found is None:
            raise Invalid(
                "a date of birth can only be asked for a person with a screening match on this case",
                {"people": f"{name!r} has no screening match on this case"},
            )
        chosen[_key(name)] = found
    if not chosen:
        raise Invalid("choose whose date of birth to ask for", {"people": "Select at least one person"})
    extra = " ".join((note or "").split())
    if len(extra) > MAX_NOTE:
        raise Invalid("the note is too long", {"note": f"at most {MAX_NOTE} characters"})
    people = [name for name, _ in chosen.values()]
    request = request_words(people, extra)  # kept in English: officers read it
    await transition(
        session,
        case,
        "request_information",
        actor,
        {"requested": request, "dates_of_birth_of": people},
        expected_revision=case.revision if expected_revision is None else expected_revision,
    )
    now = utcnow().isoformat()
    kept = [item for item in asked(case) if _key(str(item.get("name", ""))) not in chosen]
    # Asked again, a person's earlier answer is replaced by the new one (it is asked afresh).
    kept.extend(
        {"name": name, "role": role, "asked_by": actor.name, "asked_at": now, "date_of_birth": None}
        for name, role in chosen.values()
    )
    case.birth_dates = kept
    case.information_request = request
    case.information_response = None
    await session.flush()
    hirer_words = request_words(people, extra, case.language)  # the hirer reads their language
    await messages.mail_hirer(deps, case, messages.information_requested(case.reference, hirer_words))
    return case


def date_from_parts(day: str, month: str, year: str, *, today: dt.date | None = None) -> dt.date:
    """A date of birth typed as day, month and year (the GOV.UK date input), or ``Invalid`` with
    the Design System's message for what is wrong."""
    parts = [p.strip() for p in (day, month, year)]
    if not any(parts):
        raise Invalid("Enter the date of birth")
    missing = [name for name, p in zip(("day", "month", "year"), parts, strict=True) if not p]
    if missing:
        raise Invalid(f"Date of birth must include a {' and a '.join(missing)}")
    if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        raise Invalid("Date of birth must be a real date")
    try:
        when = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        raise Invalid("Date of birth must be a real date") from None
    return check_birth_date(when, today=today)


def check_birth_date(when: dt.date, *, today: dt.date | None = None) -> dt.date:
    if when >= (today or dt.date.today()):
        raise Invalid("Date of birth must be in the past")
    if when.year < EARLIEST_YEAR:
        raise Invalid(f"Date of birth must be after {EARLIEST_YEAR}")
    return when


def record_answers(case: VettingCase, answers: Mapping[str, dt.date]) -> list[dict[str, Any]] | None:
    """The case's dates of birth with the hirer's answers for the people the open request asks
    about (for the caller to keep once the case has moved on), or None when it asks for none.

    Every person asked about needs an answer (field errors name each one missing); a name not
    asked about is refused rather than kept.
    """
    wanted = waiting(case)
    if not wanted:
        if answers:
            raise Invalid("no date of birth was asked for", {"dates_of_birth": "was not asked for"})
        return None
    given = {_key(name): when for name, when in answers.items()}
    unknown = [name for name in answers if _key(name) not in {_key(str(i["name"])) for i in wanted}]
    if unknown:
        raise Invalid("a date of birth was given for someone not asked about", {"dates_of_birth": unknown[0]})
    problems = {
        f"dob-{i}": f"Enter the date of birth of {item['name']}"
        for i, item in enumerate(wanted)
        if _key(str(item["name"])) not in given
    }
    if problems:
        raise Invalid("enter each date of birth asked for", problems)
    now = utcnow().isoformat()
    updated = []
    for item in asked(case):
        when = given.get(_key(str(item.get("name", ""))))
        if when is not None and item.get("date_of_birth") is None:
            item = {**item, "date_of_birth": check_birth_date(when).isoformat(), "answered_at": now}
        updated.append(item)
    return updated


def known_birth_date(case: VettingCase, name: str) -> dt.date | None:
    """The date of birth the hirer gave on this case for the person named ``name``, if any."""
    for item in asked(case):
        if _key(str(item.get("name", ""))) == _key(name) and item.get("date_of_birth"):
            return dt.date.fromisoformat(str(item["date_of_birth"]))
    return None


async def birth_notes(
    session: AsyncSession, case: VettingCase, matches: Sequence[ScreeningMatch], policy: Policy
) -> dict[UUID, BirthComparison]:
    """What the dates of birth say about each of the case's person matches (organisations: none)."""
    people = [m for m in matches if m.subject_kind == "person"]
    if not people:
        return {}
    rows = await session.execute(
        select(FlaggedEntry.id, FlaggedEntry.births).where(FlaggedEntry.id.in_({m.entry_id for m in people}))
    )
    # Not dict(rows): a Result has keys(), so dict() would read it as a mapping.
    births = {entry_id: listed for entry_id, listed in rows.tuples()}  # noqa: C416
    margin = policy.screening.birth_year_margin
    return {
        m.id: compare(known_birth_date(case, m.query_name), list(births.get(m.entry_id) or ()), margin)
        for m in people
    }
