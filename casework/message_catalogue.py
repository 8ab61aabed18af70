"""Every message the service sends, by name: who it is for, what it may say (its placeholders),
how the admin pages label it, and invented sample values for previews.

The wording lives in template files (casework/message_templates/, rendered by
casework/message_render.py); this module says only what exists.
"""

from __future__ import annotations

from dataclasses import dataclass

HIRER = "hirer"
STAFF = "staff"
# Filled in for every message to a hirer (casework/messages.py::mail_hirer), or to staff.
HIRER_COMMON = ("reference", "organisation", "venue", "room", "dates", "status_url")
STAFF_COMMON = ("reference", "organisation", "case_url")


@dataclass(frozen=True)
class Kind:
    name: str
    audience: str  # HIRER or STAFF
    label: str  # on the admin pages
    own: tuple[str, ...] = ()  # placeholders of its own, besides the common ones
    per_case: bool = True  # False: about several cases (a digest), so no one case link

    @property
    def placeholders(self) -> tuple[str, ...]:
        common = HIRER_COMMON if self.audience == HIRER else STAFF_COMMON
        return common + tuple(p for p in self.own if p not in common)


KINDS: tuple[Kind, ...] = (
    # To the hirer
    Kind("submitted", HIRER, "Request received", ("target",)),
    Kind("information_requested", HIRER, "More information needed", ("request",)),
    Kind("information_received", HIRER, "Information received", ()),
    Kind("document_rejected", HIRER, "Document not accepted: send a new one", ("document", "note")),
    Kind(
        "document_expiring",
        HIRER,
        "Document expires before the booking ends",
        ("document", "expires", "last_date"),
    ),
    Kind("approved", HIRER, "Approved", ()),
    Kind("approved_with_conditions", HIRER, "Approved with conditions", ("conditions",)),
    Kind("conditions_accepted", HIRER, "Conditions accepted: booking confirmed", ()),
    Kind("refused", HIRER, "Refused", ("reason", "appeal_until")),
    Kind("appeal_lodged", HIRER, "Appeal received", ()),
    Kind("appeal_decided", HIRER, "Appeal decided", ("outcome", "reasons", "conditions")),
    Kind("cancelled", HIRER, "Booking cancelled by the council", ("reason",)),
    Kind("withdrawn", HIRER, "Request withdrawn by the hirer", ()),
    Kind("date_changed", HIRER, "A date cancelled or moved by the council", ("change",)),
    Kind("link_recovery", HIRER, "A new private link (lost link)", ()),
    Kind(
        "reminder_booking",
        HIRER,
        "Reminder before a booked date",
        ("date", "start", "end", "conditions", "access"),
    ),
    Kind(
        "reminder_information",
        HIRER,
        "Reminder: information still needed",
        ("request", "asked_on", "lapses_on"),
    ),
    Kind("lapsed", HIRER, "Request lapsed (no answer)", ("request",)),
    # To staff
    Kind("referral", STAFF, "Screening referral", ()),
    Kind("alert_new_request", STAFF, "New request", ("venue", "room", "tier", "target")),
    Kind("alert_information_received", STAFF, "Information received", ("venue",)),
    Kind("alert_countersignature", STAFF, "Refusal awaiting countersignature", ("proposed_by", "reason")),
    Kind("alert_appeal_lodged", STAFF, "Appeal lodged", ("venue",)),
    Kind(
        "alert_document_expiring",
        STAFF,
        "Document expires before the booking ends",
        ("document", "expires", "last_date"),
    ),
    Kind("alert_decision_due", STAFF, "Decision falling due", ("venue", "target")),
    Kind("alert_booking_changed", STAFF, "Booking cancelled or moved", ("venue", "room", "change")),
    Kind("reminder_decision_date", STAFF, "Decision date today", ("venue", "target")),
    Kind("digest", STAFF, "Daily digest", ("items", "count"), per_case=False),
)
BY_NAME = {k.name: k for k in KINDS}
NAMES = tuple(BY_NAME)

_SAMPLE_COMMON = {
    "reference": "VH-K7QM-3XPT",
    "organisation": "Testshire County Council",
    "venue": "Exampleton Community Centre",
    "room": "Main Hall",
    "dates": "Tuesday 12 January 2027, 19:00 to 21:00\nTuesday 19 January 2027, 19:00 to 21:00",
    "status_url": "https://rooms.example.gov.uk/status/SAMPLE-LINK-NOT-REAL",
    "case_url": "https://rooms.example.gov.uk/officer/cases/00000000-0000-4000-8000-000000000000",
    "contact_name": "Robin Sample",
}
# Invented values for the admin preview (names of no real person or group).
SAMPLES: dict[str, str] = _SAMPLE_COMMON | {
    "target": "Friday 8 January 2027",
    "request": "Please send a copy of your public liability insurance certificate.",
    "conditions": "- A named steward at the door throughout the event\n- The hall is left clear by 21:30",
    "reason": "The event would exceed the room's safe capacity of 60 people.",
    "appeal_until": "Friday 22 January 2027",
    "outcome": "upheld",
    "reasons": "The organisers confirmed a smaller audience; the request is reviewed again.",
    "date": "Tuesday 12 January 2027",
    "start": "19:00",
    "end": "21:00",
    "access": "Keys from the reception desk; the side door on Sample Lane is step-free.",
    "asked_on": "Monday 4 January 2027",
    "lapses_on": "Monday 18 January 2027",
    "tier": "standard",
    "proposed_by": "Officer Example",
    "change": "Tuesday 19 January 2027 moved to Wednesday 20 January 2027, 19:00 to 21:00",
    "items": (
        "New request VH-K7QM-3XPT at Exampleton Community Centre: "
        "https://rooms.example.gov.uk/officer/cases/00000000-0000-4000-8000-000000000000\n"
        "Information received on VH-P2RW-9HJD: "
        "https://rooms.example.gov.uk/officer/cases/00000000-0000-4000-8000-000000000001"
    ),
    "count": "2",
    "document": "Public liability insurance certificate",
    "note": "The certificate names a different group.",
    "expires": "Sunday 31 January 2027",
    "last_date": "Tuesday 30 March 2027",
}


def samples_for(name: str) -> dict[str, str]:
    """The invented values a preview of message `name` is rendered with."""
    kind = BY_NAME[name]
    return SAMPLES | ({} if kind.per_case else {"case_url": ""})
