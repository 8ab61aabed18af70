"""The scheduled jobs of staff alerts and reminders (issue 16), for the scheduled work runner.

Each is ``async def job(deps: CaseDeps, now: datetime) -> int`` (how many things it did). A job
may run twice, or in two processes at once, and stays correct: every notice is claimed by a key
before it is sent (casework/notice_claims.py) and the lapse is a guarded status change. A job
does not commit: the runner commits, and mail goes only after that commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from casework.deps import CaseDeps
from casework.digests import send_digests
from casework.reminders_booking import send_booking_reminders
from casework.reminders_decision import remind_officers_of_decisions
from casework.reminders_information import remind_unanswered_information

Job = Callable[[CaseDeps, dt.datetime], Awaitable[int]]

JOBS: dict[str, Job] = {
    "booking_reminders": send_booking_reminders,
    "information_reminders": remind_unanswered_information,
    "decision_reminders": remind_officers_of_decisions,
    # Last, so the alerts the jobs above keep for digests can go out in the same round.
    "alert_digests": send_digests,
}


async def run_all(deps: CaseDeps, now: dt.datetime) -> dict[str, int]:
    """Every job once, in order, in the caller's transaction (the caller commits)."""
    return {name: await job(deps, now) for name, job in JOBS.items()}
