"""One constructed data set whose every figure is worked out by hand in the comments below.

Period: 1 February to 31 March 2027 (59 days; Good Friday 26 March and Easter Monday 29 March are
bank holidays; summer time starts 28 March). Testshire Council has Civic Hall (Hall, open every
day 08:00-23:00; Studio, Tuesdays 09:00-18:00) and Annexe (Annexe Room, every day 08:00-23:00);
Othershire Council has Other Hall, whose cases must never be counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests import factories as f
from tests.reports import builder as b
from tests.reports.builder import at
from vetting.actors import Actor

COUNCIL = "Testshire Council"
OTHER = "Othershire Council"


@dataclass
class Scenario:
    officer: Actor
    other_officer: Actor
    admin: Actor
    civic: Any
    annexe: Any
    other: Any
    hall: Any
    studio: Any
    annexe_room: Any
    tokens: dict[str, str]


async def build(s: AsyncSession) -> Scenario:
    civic = await f.make_venue(s, "Civic Hall", owner_name=COUNCIL)
    annexe = await f.make_venue(s, "Annexe", owner_name=COUNCIL)
    other = await f.make_venue(s, "Other Hall", owner_name=OTHER)
    hall = await f.make_room(s, civic, "Hall")
    studio = await f.make_room(s, civic, "Studio", hours={"tue": [["09:00", "18:00"]]})
    annexe_room = await f.make_room(s, annexe, "Annexe Room")
    other_room = await f.make_room(s, other, "Other Room")
    council = await f.make_provider(s, COUNCIL)
    other_council = await f.make_provider(s, OTHER)
    officer, officer_token = await f.make_staff(s, "officer", provider=council)
    other_officer, other_token = await f.make_staff(s, "officer", provider=other_council)
    admin, admin_token = await f.make_staff(s, "admin", provider=council)
    _manager, manager_token = await f.make_staff(s, "venue_manager", venue_ids=[civic.id])
    entry = await b.flagged_entry(s)

    # Closures: the whole Civic Hall on 15-16 February (Hall loses 2 x 15 h, Studio Tuesday 16th),
    # the Studio alone on Tuesday 9 March.
    await b.closure(s, civic, "2027-02-15", "2027-02-16")
    await b.closure(s, civic, "2027-03-09", "2027-03-09", room=studio)

    # Before the period: asked 20 January, approved 2 February (9 working days), a match on 30 January.
    c0 = await b.make_case(s, hall, civic, at("2027-01-20"), status="confirmed")
    await b.decide(s, c0, at("2027-02-02"), "approve")
    await b.match(s, c0, entry.id, at("2027-01-30"), "cleared")

    # February at Civic Hall: six requests.
    c1 = await b.make_case(
        s, hall, civic, at("2027-02-01"), status="confirmed",
        dates=[(at("2027-02-20", 19), 2), (at("2027-02-27", 19), 2), (at("2027-04-03", 19), 2)], held=True,
    )  # fmt: skip
    await b.decide(s, c1, at("2027-02-10"), "approve")  # 7 working days
    c2 = await b.make_case(
        s, hall, civic, at("2027-02-02"), status="awaiting_acceptance",
        dates=[(at("2027-03-30", 18), 3), (at("2027-01-30", 18), 3)], held=True,
    )  # fmt: skip
    await b.decide(s, c2, at("2027-02-05"), "approve", conditions=[{"code": "stewards"}])  # 3
    c3 = await b.make_case(s, hall, civic, at("2027-02-03"), status="refused")
    # Proposed on the 15th, countersigned on the 17th: takes effect on the 17th (10 working days).
    await b.decide(s, c3, at("2027-02-15"), "refuse", ground="public_safety", countersigned=at("2027-02-17"))
    await b.decide(s, c3, at("2027-02-20"), "pending", kind="appeal", effective=False)
    await b.match(s, c3, entry.id, at("2027-02-03"), "confirmed")
    c4 = await b.make_case(s, hall, civic, at("2027-02-04"), dates=[(at("2027-02-25", 19), 2)])
    await b.decide(s, c4, at("2027-02-20"), "refuse", ground="public_safety", effective=False)
    await b.match(s, c4, entry.id, at("2027-02-04"), "cleared")
    await b.match(s, c4, entry.id, at("2027-02-04", 11), "possible")
    c5 = await b.make_case(s, hall, civic, at("2027-02-05"))
    declined = at("2027-02-13")  # the second officer did not agree
    await b.decide(
        s, c5, at("2027-02-12"), "refuse", ground="public_safety", effective=False, countersigned=declined
    )
    c6 = await b.make_case(s, hall, civic, at("2027-02-08"), status="withdrawn")
    await b.event(s, c6, "request_information", at("2027-02-09"))

    # March at Civic Hall: three requests, the last at 23:30 on the 31st (22:30 UTC: in the period).
    c7 = await b.make_case(s, hall, civic, at("2027-03-01"))
    await b.event(s, c7, "request_information", at("2027-03-02"))
    await b.match(s, c7, entry.id, at("2027-03-01"), "open")
    await b.make_case(s, hall, civic, at("2027-03-31", 23, 30))
    c12 = await b.make_case(
        s, studio, civic, at("2027-03-25"), status="confirmed", dates=[(at("2027-03-30", 10), 1.5)], held=True
    )
    await b.decide(s, c12, at("2027-03-30"), "approve")  # 1 working day across Easter

    # After the period: 00:30 on 1 April (23:30 UTC on 31 March) is April in London.
    late = await b.make_case(s, hall, civic, at("2027-04-01", 0, 30))
    await b.decide(s, late, at("2027-04-01", 0, 40), "approve")

    # March at the Annexe: three requests.
    dates = [(at("2027-03-10", 19), 2.0)]
    c9 = await b.make_case(
        s, annexe_room, annexe, at("2027-03-01"), status="confirmed", dates=dates, held=True
    )
    await b.decide(s, c9, at("2027-03-03"), "approve")  # 2
    c10 = await b.make_case(s, annexe_room, annexe, at("2027-03-02"))
    # Refused at once (no second officer needed), overturned by the appeal upheld on the 15th.
    await b.decide(
        s, c10, at("2027-03-04"), "refuse", ground="confirmed_legal_bar", effective=False, overturned=True
    )  # 2
    await b.decide(s, c10, at("2027-03-15"), "upheld", kind="appeal", created=at("2027-03-08"))
    c11 = await b.make_case(s, annexe_room, annexe, at("2027-03-03"), status="cancelled")
    await b.decide(s, c11, at("2027-03-05"), "approve")  # 2
    await b.decide(s, c11, at("2027-03-20"), "cancel", kind="cancellation", ground="use_not_permitted")

    # Othershire's cases: ten in February, decided, referred, appealed, booked. Never counted.
    for _ in range(10):
        dates = [(at("2027-02-24", 10), 4.0)]
        oc = await b.make_case(
            s, other_room, other, at("2027-02-10"), status="refused", dates=dates, held=True
        )
        await b.decide(s, oc, at("2027-02-11"), "refuse", ground="public_safety")
        await b.decide(s, oc, at("2027-02-12"), "pending", kind="appeal", effective=False)
        await b.match(s, oc, entry.id, at("2027-02-10"), "confirmed")
    await s.commit()
    return Scenario(
        officer, other_officer, admin, civic, annexe, other, hall, studio, annexe_room,
        {"officer": officer_token, "other": other_token, "admin": admin_token, "manager": manager_token},
    )  # fmt: skip


# What the report of Testshire Council for the period must say, with no suppression.
EXPECTED_ALL: dict[str, Any] = {
    "requests_total": 12,
    "requests_by_month": {"2027-02": 6, "2027-03": 6},
    "requests_by_status": {
        "under_review": 5,  # c4, c5, c7, the late-night one, c10
        "awaiting_information": 0,
        "awaiting_acceptance": 1,
        "confirmed": 3,  # c1, c12, c9
        "refused": 1,
        "withdrawn": 1,
        "cancelled": 1,
    },
    "decisions": {
        "approved": 5,  # c0, c1, c9, c11, c12
        "approved_with_conditions": 1,
        "refused": 2,  # c3 countersigned, c10 overturned on appeal
        "cancelled": 1,
        "information_requested": 2,
        "refusal_not_countersigned": 1,
        "awaiting_countersignature": 1,
    },
    "decisions_total": 13,
    "grounds": {"public_safety": (1, 0), "confirmed_legal_bar": (1, 0), "use_not_permitted": (0, 1)},
    # Days: c0 9, c1 7, c2 3, c3 10, c9 2, c10 2, c11 2, c12 1 -> 1,2,2,2,3,7,9,10.
    "decided": 8,
    "median_days": 2.5,
    "p90_days": 10,
    "days_buckets": {"0": 5, "1": 3, "2": 0, "3": 0},
    "referrals": {"open": 1, "cleared": 1, "possible": 1, "confirmed": 1},
    "referral_matches": 4,
    "cases_referred": 3,
    "appeals": {"pending": 1, "reapproved": 0, "upheld": 1, "varied": 0, "dismissed": 0},
    "appeals_total": 2,
    # Hall: 59 days x 15 h, less 2 closed days and 2 bank holidays = 825 h; booked 2 + 2 + 3.
    # Studio: 9 Tuesdays x 9 h, less 16 February and 9 March = 63 h; booked 1.5.
    # Annexe Room: 59 x 15 less the 2 bank holidays = 855 h; booked 2.
    "rooms": {("Annexe", "Annexe Room"): (2.0, 855.0), ("Civic Hall", "Hall"): (7.0, 825.0),
              ("Civic Hall", "Studio"): (1.5, 63.0)},
}  # fmt: skip
