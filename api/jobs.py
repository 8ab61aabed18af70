"""The scheduled jobs the service runs: casework's (casework/jobs.py) and the retention purge.

To add one: write it to the job contract of casework/scheduler.py and `register` it here (or in
casework/jobs.py when it is case work) with its `Schedule`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from api.dataprotection.retention import apply_purge, plan_purge
from casework.deps import CaseDeps
from casework.document_expiry import expiring_documents_job
from casework.documents import rescan_quarantined
from casework.jobs import register_casework_jobs
from casework.scheduler import Schedule, register
from casework.staged_documents import purge_abandoned_staged

RETENTION = "retention_purge"
DOCUMENTS_RESCAN = "documents_rescan"
DOCUMENTS_EXPIRING = "documents_expiring"
STAGED_PURGE = "documents_staged_purge"
HOURLY = Schedule(every=dt.timedelta(hours=1))
EVERY_5_MINUTES = Schedule(every=dt.timedelta(minutes=5))
# Daily at 03:00 UTC: nights are quiet, and one day's delay is inside every retention period.
DAILY_AT_3 = Schedule(every=dt.timedelta(days=1), offset=dt.timedelta(hours=3))


async def retention_job(deps: CaseDeps, now: dt.datetime) -> int:
    """Apply the retention periods (the same as `venue-hire retention purge`); a second run
    finds nothing more to do."""
    plan = await plan_purge(deps.session, now=now)
    if plan.empty:
        return 0
    return sum((await apply_purge(deps.session, plan, now=now, store=deps.documents)).values())


async def documents_rescan_job(deps: CaseDeps, now: dt.datetime) -> int:
    """Scan again the documents kept in quarantine while the scanner did not answer."""
    if deps.documents is None or not deps.scanner.configured:
        return 0
    with tempfile.TemporaryDirectory(prefix="venue-hire-rescan-") as spool:
        return await rescan_quarantined(deps, Path(spool))


def register_service_jobs() -> None:
    register_casework_jobs()
    register(RETENTION, retention_job, DAILY_AT_3)
    register(DOCUMENTS_RESCAN, documents_rescan_job, EVERY_5_MINUTES)
    register(DOCUMENTS_EXPIRING, expiring_documents_job, DAILY_AT_3)
    # Files sent from a booking form that was never sent: gone within an hour of their time.
    register(STAGED_PURGE, purge_abandoned_staged, HOURLY)
