"""What the organisation route matrix sends to each route (tests/tenancy/test_org_route_matrix.py):
a body for every route that takes an id, the second object for routes that end one, and the
queries for lists and searches."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from tests.factories import next_weekday

_day = (dt.date.today() + dt.timedelta(days=300)).isoformat()
_start = next_weekday(2, weeks_ahead=30)
_week = urlencode({"start": _start.isoformat(), "end": (_start + dt.timedelta(days=7)).isoformat()})
_hour = urlencode({"start": _start.isoformat(), "end": (_start + dt.timedelta(hours=1)).isoformat()})
ROOM = {
    "name": "Annexe",
    "capacity": 10,
    "accessibility": ["step_free"],
    "opening_hours": {"mon": [["09:00", "17:00"]]},
    "buffer_minutes": 0,
}
VENUE = {"name": "Renamed Hall", "owner": {"kind": "partner", "name": "Someone Else"}, "address": "1 Road"}
REASON = "Invented reason for a test"

# (method, path) -> ("json" | "form" | None, body, query). Pages take forms (a CSRF token is added).
REQUESTS: dict[tuple[str, str], tuple[str | None, Any, str]] = {
    # Charges (issue 19): B's case has no invoice, so B's own administrator gets the page that
    # says so (200) and a refused payment (400); A gets 404 for the case.
    ("GET", "/officer/cases/{case_id:uuid}/invoice"): (None, None, ""),
    ("POST", "/officer/cases/{case_id:uuid}/payments"): (
        "form",
        {"method": "bacs", "amount": "1.00", "reference": "", "received_on": _day},
        "",
    ),
    ("POST", "/officer/cases/{case_id:uuid}/deposit"): ("form", {"refund": "1.00", "deposit_reason": ""}, ""),
    ("POST", "/api/v1/venues/{venue_id:uuid}/closures"): (
        "json",
        {"start_date": _day, "end_date": _day, "reason": REASON},
        "",
    ),
    ("POST", "/api/v1/venues/{venue_id:uuid}/rooms"): ("json", ROOM, ""),
    ("GET", "/api/v1/venues/{venue_id:uuid}/rooms"): (None, None, ""),
    ("PUT", "/api/v1/venues/{venue_id:uuid}"): ("json", VENUE, ""),
    ("GET", "/api/v1/rooms/{room_id:uuid}/availability"): (None, None, f"?{_week}"),
    ("PUT", "/api/v1/rooms/{room_id:uuid}/parts"): ("json", {"parts": []}, ""),
    ("PUT", "/api/v1/rooms/{room_id:uuid}"): ("json", ROOM, ""),
    ("GET", "/api/v1/applications/{case_id:uuid}"): (None, None, ""),
    ("POST", "/api/v1/applications/{case_id:uuid}/decision"): (
        "json",
        {"outcome": "approve", "reason": REASON, "conditions": []},
        "",
    ),
    ("POST", "/api/v1/applications/{case_id:uuid}/countersign"): ("json", {"agree": True}, ""),
    ("POST", "/api/v1/applications/{case_id:uuid}/assignment"): ("json", {"assignee_id": None}, ""),
    ("POST", "/api/v1/applications/{case_id:uuid}/cancel"): (
        "json",
        {"reason_code": "venue_unavailable", "reason": REASON},
        "",
    ),
    ("POST", "/api/v1/applications/{case_id:uuid}/appeal-decision"): (
        "json",
        {"outcome": "dismissed", "reason": REASON},
        "",
    ),
    # Dates of birth (issue 21 item 2): B's case has no match, so B's administrator gets 422.
    ("POST", "/api/v1/applications/{case_id:uuid}/birth-date-request"): ("json", {"people": ["Nobody"]}, ""),
    ("POST", "/officer/cases/{case_id:uuid}/birth-dates"): ("form", {"people": "0"}, ""),
    ("POST", "/api/v1/applications/{case_id:uuid}/organisation-link"): (
        "json",
        {"decision": "reject", "note": REASON},
        "",
    ),
    ("POST", "/api/v1/applications/{case_id:uuid}/occurrences/{occurrence_id:uuid}/cancel"): (
        "json",
        {"reason": "venue_closed"},
        "",
    ),
    ("POST", "/api/v1/applications/{case_id:uuid}/occurrences/{occurrence_id:uuid}/cancel-rest"): (
        "json",
        {"reason": "venue_closed"},
        "",
    ),
    ("POST", "/api/v1/applications/{case_id:uuid}/occurrences/{occurrence_id:uuid}/move"): (
        "json",
        {
            "start": _start.isoformat(),
            "end": (_start + dt.timedelta(hours=1)).isoformat(),
            "reason": "hirer_asked",
        },
        "",
    ),
    ("POST", "/api/v1/applications/{case_id:uuid}/contact"): (
        "json",
        {"phone": "07700 900999", "reason": REASON},
        "",
    ),
    ("POST", "/api/v1/organisations/{organisation_id:uuid}/rectify"): (
        "json",
        {"website": "https://renamed.example", "reason": REASON},
        "",
    ),
    ("POST", "/api/v1/flagged-entries/{entry_id:uuid}/deactivate"): ("json", {"reason": REASON}, ""),
    ("POST", "/api/v1/screening-matches/{match_id:uuid}/disposition"): (
        "json",
        {"disposition": "cleared", "note": REASON},
        "",
    ),
    ("POST", "/api/v1/feeds/{feed_id:uuid}/rotate"): ("json", {}, ""),
    ("DELETE", "/api/v1/feeds/{feed_id:uuid}"): (None, None, ""),
    ("GET", "/officer/cases/{case_id:uuid}"): (None, None, ""),
    ("POST", "/officer/cases/{case_id:uuid}/decision"): (
        "form",
        {"outcome": "approve", "reason": REASON},
        "",
    ),
    ("POST", "/officer/cases/{case_id:uuid}/countersign"): ("form", {"agree": "yes"}, ""),
    ("GET", "/officer/cases/{case_id:uuid}/dates/{occurrence_id:uuid}/cancel"): (None, None, ""),
    ("GET", "/officer/cases/{case_id:uuid}/dates/{occurrence_id:uuid}/cancel-rest"): (None, None, ""),
    ("GET", "/officer/cases/{case_id:uuid}/dates/{occurrence_id:uuid}/move"): (None, None, ""),
    ("POST", "/officer/cases/{case_id:uuid}/dates/{occurrence_id:uuid}/cancel"): (
        "form",
        {"reason": "venue_closed", "confirm": "yes"},
        "",
    ),
    ("POST", "/officer/cases/{case_id:uuid}/dates/{occurrence_id:uuid}/cancel-rest"): (
        "form",
        {"reason": "venue_closed", "confirm": "yes"},
        "",
    ),
    ("POST", "/officer/cases/{case_id:uuid}/dates/{occurrence_id:uuid}/move"): (
        "form",
        {"reason": "venue_closed"},
        "",
    ),
    ("POST", "/officer/cases/{case_id:uuid}/assignment"): ("form", {"assignee": "none", "back": "case"}, ""),
    ("POST", "/officer/cases/{case_id:uuid}/appeal-decision"): (
        "form",
        {"appeal_outcome": "dismissed", "appeal_reason": REASON},
        "",
    ),
    ("POST", "/officer/cases/{case_id:uuid}/organisation-link"): (
        "form",
        {"decision": "reject", "link_note": REASON},
        "",
    ),
    ("POST", "/officer/matches/{match_id:uuid}/disposition"): (
        "form",
        {"disposition": "cleared", "note": REASON},
        "",
    ),
    ("POST", "/officer/flagged/{entry_id:uuid}/deactivate"): ("form", {"reason": REASON}, ""),
    # Evidence on checks and documents (issues 17 and 20).
    ("POST", "/api/v1/applications/{case_id:uuid}/checks/{check_id:str}/outcome"): (
        "json",
        {"satisfied": True, "note": REASON},
        "",
    ),
    ("POST", "/officer/cases/{case_id:uuid}/checks/{check_id:str}/outcome"): (
        "form",
        {"satisfied": "yes", "note": REASON},
        "",
    ),
    ("GET", "/officer/cases/{case_id:uuid}/documents"): (None, None, ""),
    ("GET", "/api/v1/applications/{case_id:uuid}/documents"): (None, None, ""),
    ("GET", "/api/v1/documents/{document_id:uuid}/file"): (None, None, ""),
    ("POST", "/api/v1/documents/{document_id:uuid}/review"): (
        "json",
        {"outcome": "verify", "note": REASON},
        "",
    ),
    # GOV.UK Pay refunds (issue 19): B's payment was made at the desk, so B's refund is refused (400).
    ("POST", "/api/v1/applications/{case_id:uuid}/payments/{payment_id:uuid}/refunds"): (
        "json",
        {"amount": "1.00", "reason": REASON},
        "",
    ),
    ("POST", "/api/v1/applications/{case_id:uuid}/refunds/refresh"): ("json", {}, ""),
    ("GET", "/officer/documents/{document_id:uuid}/file"): (None, None, ""),
    ("GET", "/officer/documents/{document_id:uuid}/view"): (None, None, ""),
    ("POST", "/officer/documents/{document_id:uuid}/review"): (
        "form",
        {"outcome": "verify", "note": REASON},
        "",
    ),
    ("GET", "/officer/venues/{venue_id:uuid}"): (None, None, ""),
    # The public directory: a signed-in member of staff sees their own organisation's rooms only.
    ("GET", "/venues/rooms/{room_id:uuid}"): (None, None, ""),
    ("GET", "/venues/photos/{photo_id:uuid}"): (None, None, ""),
    ("GET", "/officer/rooms/{room_id:uuid}/photos"): (None, None, ""),
    ("POST", "/officer/rooms/{room_id:uuid}/photos"): ("form", {"alt_text": "A hall"}, ""),
    ("POST", "/officer/photos/{photo_id:uuid}/remove"): ("form", {}, ""),
    ("POST", "/officer/venues/{venue_id:uuid}/rooms"): (
        "form",
        {"room_name": "Annexe", "capacity": "10", "hours_mon": "09:00-17:00"},
        "",
    ),
    ("POST", "/officer/venues/{venue_id:uuid}/closures"): (
        "form",
        {"closure_start": _day, "closure_end": _day, "closure_reason": REASON},
        "",
    ),
    ("POST", "/officer/rooms/{room_id:uuid}/parts"): ("form", {}, ""),
    ("GET", "/officer/venues/{venue_id:uuid}/edit"): (None, None, ""),
    ("POST", "/officer/venues/{venue_id:uuid}/edit"): (
        "form",
        {"name": "Renamed Hall", "address": "1 Road", "policy_id": "council-default"},
        "",
    ),
    ("GET", "/officer/rooms/{room_id:uuid}/edit"): (None, None, ""),
    ("POST", "/officer/rooms/{room_id:uuid}/edit"): (
        "form",
        {"room_name": "Annexe", "capacity": "10", "hours_mon": "09:00-17:00"},
        "",
    ),
    ("POST", "/officer/closures/{closure_id:uuid}/remove"): ("form", {}, ""),
    ("GET", "/manager/cases/{case_id:uuid}"): (None, None, ""),
    ("POST", "/manager/cases/{case_id:uuid}/decision"): (
        "form",
        {"outcome": "approve", "reason": REASON},
        "",
    ),
    ("POST", "/manager/cases/{case_id:uuid}/countersign"): ("form", {"agree": "yes"}, ""),
    ("POST", "/officer/users/{user_id:uuid}/disable"): ("form", {}, ""),
    ("POST", "/admin/outbox/{message_id:uuid}/retry"): ("form", {}, ""),
    ("POST", "/officer/tokens/{token_id:uuid}/revoke"): ("form", {}, ""),
    ("GET", "/manager/venues/{venue_id:uuid}/week"): (None, None, f"?week={_day}"),
    ("GET", "/manager/venues/{venue_id:uuid}/day"): (None, None, f"?date={_day}"),
    ("GET", "/manager/venues/{venue_id:uuid}/day-sheet"): (None, None, f"?date={_day}"),
    ("POST", "/manager/feeds/{feed_id:uuid}/rotate"): ("form", {}, ""),
    ("POST", "/manager/feeds/{feed_id:uuid}/revoke"): ("form", {}, ""),
    ("GET", "/api/v1/partnerships/{partnership_id:uuid}/oversight"): (None, None, ""),
    ("GET", "/officer/organisations/{provider_id:uuid}"): (None, None, ""),
    ("POST", "/officer/organisations/{provider_id:uuid}"): ("form", {"name": "Renamed"}, ""),
    ("POST", "/officer/partnerships/{partnership_id:uuid}/members"): ("form", {}, ""),
    ("POST", "/officer/partnerships/{partnership_id:uuid}/agreements"): ("form", {}, ""),
    ("POST", "/officer/partnerships/{partnership_id:uuid}/members/{provider_id:uuid}/remove"): (
        "form",
        {},
        "",
    ),
    ("POST", "/officer/partnerships/agreements/{agreement_id:uuid}/withdraw"): ("form", {}, ""),
}
# Path parts that name something within an object rather than an object: a check of a case.
NAMED_PARTS = {"check_id": "insurance"}
# Organisation settings are the service administrators' alone: an organisation's administrator
# gets 404 on every organisation's page, its own included (tests/orgs), so B's administrator
# cannot show that these requests reach the object.
SERVICE_ADMINS_ONLY = {"/officer/organisations/{provider_id:uuid}"}
# Routes that end an object are given a second one of the same kind, so the owner's own
# check that the request reaches the object does not find it already ended by the other route.
SECOND = {
    "/manager/feeds/{feed_id:uuid}/revoke": {"feed_id": "feed2"},
    "/manager/feeds/{feed_id:uuid}/rotate": {"feed_id": "feed2"},
    "/officer/flagged/{entry_id:uuid}/deactivate": {"entry_id": "entry2"},
    "/officer/closures/{closure_id:uuid}/remove": {"closure_id": "closure"},
    # The occurrence routes name an occurrence of the approved case (it has a held date).
    "/api/v1/applications/{case_id:uuid}/occurrences/{occurrence_id:uuid}/cancel": {
        "case_id": "approved_case"
    },
    "/api/v1/applications/{case_id:uuid}/occurrences/{occurrence_id:uuid}/cancel-rest": {
        "case_id": "approved_case"
    },
    "/api/v1/applications/{case_id:uuid}/occurrences/{occurrence_id:uuid}/move": {"case_id": "approved_case"},
    "/officer/cases/{case_id:uuid}/dates/{occurrence_id:uuid}/cancel": {"case_id": "approved_case"},
    "/officer/cases/{case_id:uuid}/dates/{occurrence_id:uuid}/cancel-rest": {"case_id": "approved_case"},
    "/officer/cases/{case_id:uuid}/dates/{occurrence_id:uuid}/move": {"case_id": "approved_case"},
}

# Lists and searches: (path, query) for every GET route without an id; the queries name B's
# objects where a filter takes one.
LIST_QUERIES: dict[str, list[str]] = {
    "/api/v1/applications": ["", "?status=under_review", "?venue_id={venue_id}", "?tab=new", "?tab=due"],
    "/api/v1/queue-tabs": ["", "?venue_id={venue_id}"],
    "/api/v1/flagged-entries": ["", "?q=Quill", "?active=all"],
    "/api/v1/rooms/search": [
        f"?{_hour}",
        f"?{_hour}&venue_id={{venue_id}}",
    ],
    "/officer": ["", "?status=all", "?status=all&venue={venue_id}", "?tab=all", "?tab=due&sort=tier"],
    "/officer/flagged": ["", "?q=Quill", "?show=all"],
    "/manager": ["", "?week={case_week}"],
    "/officer/reports": ["", "?venue={venue_id}"],
    "/officer/reports/download": ["?table=room-use", "?table=decisions&venue={venue_id}"],
    "/api/v1/reports": ["", "?venue_id={venue_id}"],
    "/api/v1/finance/journal": ["?start=2026-01-01&end=2027-01-31"],
}
NOT_LISTS = {"/health", "/ready", "/privacy", "/login", "/login/code", "/login/enrol", "/book", "/"}
