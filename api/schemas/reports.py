"""The reports page as JSON (`GET /api/v1/reports`): the same figures, counts as `CountOut`
(`value` null and `suppressed` true when from 1 to 4)."""

from __future__ import annotations

from api.schemas.common import Out
from api.schemas.organisations import CountOut
from api.schemas.report_money import MoneyOut


class ReportRowOut(Out):
    key: str
    label: str
    count: CountOut


class GroundOut(Out):
    code: str
    label: str
    refusals: CountOut
    cancellations: CountOut


class RoomUseOut(Out):
    room_id: str
    room: str
    venue: str
    booked_hours: float
    open_hours: float
    share: float | None


class RequestsOut(Out):
    total: CountOut
    by_month: list[ReportRowOut]
    by_status: list[ReportRowOut]


class DecisionsOut(Out):
    total: CountOut
    by_outcome: list[ReportRowOut]
    by_ground: list[GroundOut]


class TimeToDecisionOut(Out):
    decided: CountOut
    median_working_days: float | None
    p90_working_days: int | None
    by_working_days: list[ReportRowOut]


class ReferralsOut(Out):
    matches: CountOut
    requests_referred: CountOut
    by_disposition: list[ReportRowOut]


class AppealsOut(Out):
    total: CountOut
    by_outcome: list[ReportRowOut]


class RoomsOut(Out):
    booked_hours: float
    open_hours: float
    share: float | None
    rooms: list[RoomUseOut]


class ReportOut(Out):
    start: str
    end: str
    venue_id: str | None
    venue: str | None
    suppression_threshold: int
    requests: RequestsOut
    decisions: DecisionsOut
    time_to_decision: TimeToDecisionOut
    referrals: ReferralsOut
    appeals: AppealsOut
    room_use: RoomsOut
    money: MoneyOut | None = None  # income, outstanding invoices, deposits held (issue 19)
