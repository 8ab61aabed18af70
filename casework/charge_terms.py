"""What a request asks of its venue's rate card, kept on the case when it is sent: the extras
chosen, and the concession its organisation type claims (a charity's rate, say), which stands
only once an officer has verified it. The claim is a case check in review (`concession_check`),
settled like any other check from the evidence (`casework.check_evidence`); recorded as not
satisfied, every quote and the invoice fall back to the standard rate
(`venues.charges.booking_quote.case_terms`)."""

from __future__ import annotations

from typing import Any

from casework.input import ApplicationRequest
from venues.booking import PlannedSeries
from venues.charges.booking_quote import CONCESSION_CHECK, slots_quote
from vetting.errors import Invalid
from vetting.models import VettingCase


def charges_at_submit(request: ApplicationRequest, plan: PlannedSeries) -> dict[str, Any] | None:
    """The case's charges terms, or None when its venue does not charge; Invalid when an extra
    asked for is not offered with the room."""
    extras = list(dict.fromkeys(request.extras))
    slots = [(o.local_start, o.local_end) for o in plan.occurrences]
    priced = slots_quote(plan.venue, plan.room, request.organisation.type, slots, extras)
    if priced.card is None:
        if extras:
            raise Invalid("this venue offers no extras", {"extras": "this venue offers no extras"})
        return None
    if priced.quote is None:
        offered = {e.id for e in priced.card.extras if not e.rooms or plan.room.name in e.rooms}
        if any(e not in offered for e in extras):
            raise Invalid("choose extras offered with this room", {"extras": priced.problem or ""})
        return {"extras": extras, "concession": None}
    category = priced.card.category(priced.quote.category_id)
    claim = None
    if priced.quote.concession_check:
        claim = {
            "category": category.id,
            "label": category.label,
            "percent": category.concession_percent,
            "evidence": priced.quote.concession_check,
        }
    return {"extras": extras, "concession": claim}


def concession_check(case: VettingCase) -> dict[str, Any] | None:
    """The case check for a claimed concession, waiting for an officer (None: nothing claimed)."""
    claim = (case.charges or {}).get("concession")
    if not isinstance(claim, dict):
        return None
    # What the officer checks the claim against: the numbers the request gave, as typed.
    submitted = case.organisation_submitted or {}
    evidence: dict[str, Any] = {"rate_claimed": claim["label"]}
    for number in ("charity_number", "company_number"):
        if submitted.get(number):
            evidence[number] = submitted[number]
    return {
        "check": CONCESSION_CHECK,
        "outcome": "review",
        "summary": f"{claim['label']} rate claimed: {claim['percent']}% off the hire.",
        "needed": f"{claim['evidence']} If not, the standard rate is charged.",
        "ground": None,
        "evidence": evidence,
    }
