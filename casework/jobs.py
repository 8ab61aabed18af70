"""The scheduled jobs of casework (the registry is casework/scheduler.py).

Each follows the job contract there: ``async def job(deps, now) -> int``, no commit, safe to
run twice. Reminders, digests, lapses and decision-due alerts register here the same way.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from casework.deps import CaseDeps
from casework.rescreen import rescreen_upcoming
from casework.scheduled_jobs import JOBS as NOTICE_JOBS
from casework.scheduler import Schedule, register, request_job
from vetting.actors import Actor

RESCREEN = "rescreen"
# Reminders, lapses, decision-due alerts and digests look for what is due at each run and claim
# each notice by its key, so running them often costs little and sends nothing twice; a digest
# goes within this interval of the time its reader chose.
NOTICES_EVERY = Schedule(every=dt.timedelta(minutes=5))
RESCREEN_ACTOR = Actor(id=None, name="scheduled rescreen", role="system")


async def rescreen_job(deps: CaseDeps, now: dt.datetime) -> int:
    """Screen every case with a date still to come against the list as it now stands."""
    return (await rescreen_upcoming(deps.session, RESCREEN_ACTOR, now=now)).cases


def register_casework_jobs() -> None:
    # Requested after a change to the flagged list is committed (casework/rescreen.py).
    register(RESCREEN, rescreen_job)
    for name, job in NOTICE_JOBS.items():
        register(name, job, NOTICES_EVERY)


async def request_rescreen(session: AsyncSession) -> None:
    """After this transaction commits, re-screen the upcoming cases once (a hand-added entry may
    match names already screened; an import re-screens in its own transaction)."""
    await request_job(session, RESCREEN)
