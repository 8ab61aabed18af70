"""Scheduled job: tell whoever decides a case under review that its decision falls due within two
working days (`alert_decision_due`), and remind them on the target date itself
(`reminder_decision_date`). Each is sent once per case and target date.

Cases waiting for the hirer's information are left out: the next step is the hirer's.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import load_only

from casework import staff_alerts as alerts
from casework.deps import CaseDeps
from casework.messages import Message
from casework.notice_claims import claim
from venues.models import Booking, Room, Venue
from vetting.lifecycle import CaseStatus
from vetting.models import VettingCase
from vetting.workdays import add_working_days

UK = ZoneInfo("Europe/London")
DUE_WITHIN_WORKING_DAYS = 2


async def remind_officers_of_decisions(deps: CaseDeps, now: dt.datetime) -> int:
    """Job: alerts for decisions falling due and reminders on the target date; returns how many cases."""
    today = now.astimezone(UK).date()
    horizon = add_working_days(today, DUE_WITHIN_WORKING_DAYS)
    rows = await deps.session.execute(
        select(VettingCase, Venue.id, Venue.name)
        .join(Booking, Booking.case_id == VettingCase.id)
        .join(Room, Room.id == Booking.room_id)
        .join(Venue, Venue.id == Room.venue_id)
        .where(
            VettingCase.status == CaseStatus.UNDER_REVIEW.value,
            VettingCase.target_date >= today,
            VettingCase.target_date <= horizon,
        )
        .options(
            load_only(
                VettingCase.id,
                VettingCase.reference,
                VettingCase.provider_id,
                VettingCase.policy_id,
                VettingCase.policy_version,
                VettingCase.tier,
                VettingCase.target_date,
                VettingCase.status,
            )
        )
    )
    found = rows.tuples().all()
    kinds = {
        case.id: "reminder_decision_date" if case.target_date == today else "alert_decision_due"
        for case, _, _ in found
    }
    keys = {case.id: f"{kinds[case.id]}:{case.id}:{case.target_date}" for case, _, _ in found}
    claimed = await claim(deps.session, keys.values(), now)
    done = 0
    for case, venue_id, venue in found:
        key = keys[case.id]
        if key not in claimed:
            continue
        kind = kinds[case.id]
        assert case.target_date is not None  # the query asked for one
        fields = {"reference": case.reference, "venue": venue, "target": f"{case.target_date:%A %d %B %Y}"}
        recipients = await alerts.deciders(deps, case, kind, venue_id=venue_id)
        await alerts.alert(deps, case, recipients, Message(kind, fields), dedupe_key=key, now=now)
        done += 1
    return done
