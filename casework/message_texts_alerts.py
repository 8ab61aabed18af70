"""Temporary default texts of the alert, reminder and digest messages (issue 16), until the
message templates (Jinja files) carry them; the integrator removes this module at that merge.

Importing it adds the names to `casework.messages.DEFAULTS`; the alert and reminder modules
import it, so whatever sends these messages has their texts.
"""

from __future__ import annotations

from casework.messages import DEFAULTS

TEXTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "reminder_booking": (
        "Reminder: your booking {reference} on {date}",
        "This is a reminder of your booking {reference}: {room}, {venue}, on {date} from {start} "
        "to {end}.\n\nConditions of hire:\n{conditions}\n\nGetting in:\n{access}\n\n"
        "Your booking: {status_url}\n",
        (
            "reference",
            "venue",
            "room",
            "date",
            "start",
            "end",
            "conditions",
            "access",
            "organisation",
            "status_url",
        ),
    ),
    "reminder_information": (
        "Reminder: we are waiting for information on {reference}",
        "On {asked_on} {organisation} asked you for more information about request {reference}:\n\n"
        "{request}\n\nIf we do not hear from you by {lapses_on}, the request will lapse and its "
        "dates will be given up.\n\nAnswer here: {status_url}\n",
        ("reference", "request", "asked_on", "lapses_on", "organisation", "status_url"),
    ),
    "lapsed": (
        "Your request {reference} has lapsed",
        "We did not receive the information {organisation} asked for:\n\n{request}\n\n"
        "Your request {reference} has lapsed and its dates are free for others. You are welcome "
        "to make a new request.\n\nYour request: {status_url}\n",
        ("reference", "request", "organisation", "status_url"),
    ),
    "alert_new_request": (
        "New booking request {reference}",
        "A new request {reference} for {room}, {venue} ({tier}) is waiting for a decision by {target}.\n\n"
        "Open it: {case_url}\n",
        ("reference", "venue", "room", "tier", "target", "organisation", "case_url"),
    ),
    "alert_information_received": (
        "Information received on {reference}",
        "The hirer answered the request for information on {reference} ({venue}).\n\nOpen it: {case_url}\n",
        ("reference", "venue", "organisation", "case_url"),
    ),
    "alert_countersignature": (
        "Refusal of {reference} waiting for your countersignature",
        "{proposed_by} proposes to refuse request {reference}. Reason: {reason}\n\n"
        "A second officer must countersign or decline it: {case_url}\n",
        ("reference", "proposed_by", "reason", "organisation", "case_url"),
    ),
    "alert_appeal_lodged": (
        "Appeal lodged on {reference}",
        "The hirer appealed the refusal of {reference} ({venue}). An officer who took no part in the "
        "decision must decide it: {case_url}\n",
        ("reference", "venue", "organisation", "case_url"),
    ),
    "alert_decision_due": (
        "Decision on {reference} due {target}",
        "The decision on request {reference} ({venue}) is due by {target}.\n\nOpen it: {case_url}\n",
        ("reference", "venue", "target", "organisation", "case_url"),
    ),
    "alert_booking_changed": (
        "Booking {reference} {change}",
        "Booking {reference} of {room}, {venue}: {change}.\n\nOpen it: {case_url}\n",
        ("reference", "venue", "room", "change", "organisation", "case_url"),
    ),
    "reminder_decision_date": (
        "Decision on {reference} due today",
        "Today, {target}, is the target date for the decision on request {reference} ({venue}).\n\n"
        "Open it: {case_url}\n",
        ("reference", "venue", "target", "organisation", "case_url"),
    ),
    "digest": (
        "Your alerts: {count}",
        "Since your last digest:\n\n{items}\n",
        ("items", "count", "organisation"),
    ),
}

for _name, _text in TEXTS.items():
    DEFAULTS.setdefault(_name, _text)
