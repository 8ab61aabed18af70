"""The scheduled jobs of casework (the registry is casework/scheduler.py).

Each follows the job contract there: ``async def job(deps, now) -> int``, no commit, safe to
run twice. Reminders, digests, lapses and decision-due alerts register here the same way.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from casework.deps import CaseDeps
from casework.rescreen import rescreen_upcoming
from casework.scheduler import register, request_job
from vetting.actors import Actor

RESCREEN = "rescreen"
RESCREEN_ACTOR = Actor(id=None, name="scheduled rescreen", role="system")


async def rescreen_job(deps: CaseDeps, now: dt.datetime) -> int:
    """Screen every case with a date still to come against the list as it now stands."""
    return (await rescreen_upcoming(deps.session, RESCREEN_ACTOR, now=now)).cases


def register_casework_jobs() -> None:
    # Requested after a change to the flagged list is committed (casework/rescreen.py).
    register(RESCREEN, rescreen_job)


async def request_rescreen(session: AsyncSession) -> None:
    """After this transaction commits, re-screen the upcoming cases once (a hand-added entry may
    match names already screened; an import re-screens in its own transaction)."""
    await request_job(session, RESCREEN)
