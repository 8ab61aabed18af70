"""The staff alerts the case's own steps raise (issue 16, item 3): each says which message goes
to whom. The scheduled ones (decision falling due, decision date) are in `reminders_decision`."""

from __future__ import annotations

from uuid import UUID

from casework import staff_alerts as alerts
from casework.deps import CaseDeps
from casework.messages import Message
from policies import Policy
from vetting.actors import Actor
from vetting.models import VettingCase


def _day(value: object) -> str:
    return f"{value:%A %d %B %Y}" if value is not None else "the target date"


async def new_request(
    deps: CaseDeps, case: VettingCase, *, venue_id: UUID, venue: str, room: str, policy: Policy
) -> None:
    kind = "alert_new_request"
    tier = policy.tier(case.tier).title if case.tier else ""
    recipients = await alerts.deciders(deps, case, kind, venue_id=venue_id, policy=policy)
    fields = {
        "reference": case.reference,
        "venue": venue,
        "room": room,
        "tier": tier,
        "target": _day(case.target_date),
    }
    await alerts.alert(deps, case, recipients, Message(kind, fields))


async def referral(deps: CaseDeps, case: VettingCase) -> None:
    """A screening match to resolve: officers only (a human confirms a match), never off."""
    await alerts.alert(
        deps,
        case,
        await alerts.officers(deps, case, "referral"),
        Message("referral", {"reference": case.reference}),
    )


async def information_received(deps: CaseDeps, case: VettingCase, venue: str) -> None:
    kind = "alert_information_received"
    recipients = await alerts.deciders(deps, case, kind)
    await alerts.alert(deps, case, recipients, Message(kind, {"reference": case.reference, "venue": venue}))


async def countersignature(deps: CaseDeps, case: VettingCase, proposer: Actor, reason: str) -> None:
    """To the other officers (and, for a tier delegated to the venue's managers, its other
    managers): the one who proposed the refusal cannot countersign it."""
    kind = "alert_countersignature"
    recipients = await alerts.officers(deps, case, kind, exclude=proposer.id)
    if proposer.role == "venue_manager":
        venue_id = await alerts.venue_of(deps, case)
        managers = await alerts.venue_managers(deps, venue_id, kind) if venue_id else []
        recipients += [r for r in managers if r.id != proposer.id]
    fields = {"reference": case.reference, "proposed_by": proposer.name, "reason": reason}
    await alerts.alert(deps, case, recipients, Message(kind, fields))


async def appeal_lodged(deps: CaseDeps, case: VettingCase, venue: str) -> None:
    kind = "alert_appeal_lodged"
    recipients = await alerts.officers(deps, case, kind)
    await alerts.alert(deps, case, recipients, Message(kind, {"reference": case.reference, "venue": venue}))


async def booking_changed(
    deps: CaseDeps, case: VettingCase, change: str, *, venue_id: UUID, venue: str, room: str
) -> None:
    """A booking holding its room was cancelled or a date of it moved: the venue's managers."""
    kind = "alert_booking_changed"
    recipients = await alerts.venue_managers(deps, venue_id, kind)
    fields = {"reference": case.reference, "venue": venue, "room": room, "change": change}
    await alerts.alert(deps, case, recipients, Message(kind, fields))
