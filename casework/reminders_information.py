"""Scheduled job: a request for information left unanswered is followed by one reminder after
the policy's ``reminders.information_reminder_working_days``, then the case lapses
``information_lapse_working_days`` working days after that reminder was sent (weekends and bank
holidays skipped, vetting/workdays.py).

The lapse is counted from the reminder actually sent, not from when it was due: a hirer always
gets the reminder and the full time it promises, even if the job did not run for a while. The
lapse is a status change (`lapse`, recorded in the case history) guarded like any other, so of
two processes only one makes it; the hirer is told with the `lapsed` message and the dates are
given up.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from casework.birth_dates import hirer_request
from casework.deps import CaseDeps
from casework.message_language import long_date
from casework.messages import Message, mail_hirer
from casework.notice_claims import claim, sent_at
from casework.staff_alerts import policy_of
from casework.transition import transition
from vetting.actors import SYSTEM
from vetting.errors import Conflict
from vetting.lifecycle import CaseStatus
from vetting.models import CaseEvent, VettingCase
from vetting.workdays import add_working_days

UK = ZoneInfo("Europe/London")


def reminder_key(case: VettingCase, request_event_id: int) -> str:
    # One reminder per request for information: a second request starts again.
    return f"reminder_information:{case.id}:{request_event_id}"


async def _waiting(deps: CaseDeps) -> list[tuple[VettingCase, int, dt.datetime]]:
    """Cases waiting for the hirer's answer, each with its latest request for information."""
    latest = (
        select(
            CaseEvent.case_id, func.max(CaseEvent.id).label("event_id"), func.max(CaseEvent.at).label("at")
        )
        .where(CaseEvent.action == "request_information")
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    rows = await deps.session.execute(
        select(VettingCase, latest.c.event_id, latest.c.at)
        .join(latest, latest.c.case_id == VettingCase.id)
        .where(VettingCase.status == CaseStatus.AWAITING_INFORMATION.value)
        .options(
            load_only(
                VettingCase.id,
                VettingCase.reference,
                VettingCase.status,
                VettingCase.revision,
                VettingCase.contact,
                VettingCase.provider_id,
                VettingCase.policy_id,
                VettingCase.policy_version,
                VettingCase.information_request,
                VettingCase.language,  # the reminder is written in it
                VettingCase.birth_dates,  # whose date of birth the service's own request asks for
            )
        )
    )
    return [(case, int(event_id), at) for case, event_id, at in rows.tuples()]


async def remind_unanswered_information(deps: CaseDeps, now: dt.datetime) -> int:
    """Job: send the reminders due and lapse the cases whose time is up; returns how many of both."""
    today = now.astimezone(UK).date()
    waiting = await _waiting(deps)
    keys = {case.id: reminder_key(case, event_id) for case, event_id, _ in waiting}
    reminded = await sent_at(deps.session, keys.values())
    done = 0
    for case, _event_id, asked_at in waiting:
        rules = (await policy_of(deps, case)).reminders
        key = keys[case.id]
        if key in reminded:
            reminded_on = reminded[key].astimezone(UK).date()
            lapses_on = add_working_days(reminded_on, rules.information_lapse_working_days)
            if today >= lapses_on and await _lapse(deps, case, reminded_on, now):
                done += 1
            continue
        asked_on = asked_at.astimezone(UK).date()
        if today < add_working_days(asked_on, rules.information_reminder_working_days):
            continue
        if not await claim(deps.session, [key], now):
            continue  # another run sent it a moment ago
        lapses_on = add_working_days(today, rules.information_lapse_working_days)
        fields = {
            "reference": case.reference,
            "request": hirer_request(case),
            "asked_on": long_date(asked_on, case.language),
            "lapses_on": long_date(lapses_on, case.language),
        }
        await mail_hirer(deps, case, Message("reminder_information", fields), dedupe_key=key)
        done += 1
    return done


async def _lapse(deps: CaseDeps, case: VettingCase, reminded_on: dt.date, now: dt.datetime) -> bool:
    request = case.information_request or ""
    words = hirer_request(case)  # before the lapse: the request the hirer was sent, in their words
    try:
        await transition(
            deps.session,
            case,
            "lapse",
            SYSTEM,
            {"requested": request, "reminded_on": reminded_on.isoformat()},
        )
    except Conflict:
        return False  # answered, withdrawn or lapsed by another run meanwhile
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.release(booking, now=now)
    message = Message("lapsed", {"reference": case.reference, "request": words})
    await mail_hirer(deps, case, message, dedupe_key=f"lapsed:{case.id}:{case.revision}")
    return True
