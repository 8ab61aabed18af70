"""The report as tables: what the page shows beside each chart, what each CSV download holds, and
the bars each chart draws. One definition for all three, so the chart, the table and the file
cannot disagree.

A hidden count (casework/report_figures.py) is a `None` cell: the page and the CSV write
"fewer than 5" and the chart draws no bar for it.

CSV cells that a spreadsheet would run as a formula (those starting with = + - @, a tab or a
carriage return, after any spaces) get a leading apostrophe (OWASP "CSV injection"); every text
cell is quoted. Venue and room names are typed by administrators, so they may start with anything.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from casework.report_figures import Count
from casework.reports import Report, Row

Cell = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: hidden, no bar
    text: str  # the figure as written at the end of the bar


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    bars: list[Bar] = field(default_factory=list)
    chart_title: str = ""
    unit: str = ""  # "%" for shares, else counts or hours
    note: str = ""

    @property
    def scale(self) -> float:
        """The value a full-length bar stands for."""
        top = max((b.value for b in self.bars if b.value is not None), default=0.0)
        return max(top, 100.0) if self.unit == "%" else max(top, 1.0)


def hidden_text(threshold: int) -> str:
    return f"fewer than {threshold}"


def _cell(count: Count) -> int | None:
    return count.value


def _bar(label: str, count: Count, threshold: int) -> Bar:
    return Bar(label, count.value, hidden_text(threshold) if count.value is None else str(count.value))


def _bars(rows: Sequence[Row], threshold: int) -> list[Bar]:
    return [_bar(r.label, r.count, threshold) for r in rows]


def _breakdown(
    key: str, title: str, heading: str, what: str, rows: Sequence[Row], total: Count | None, t: int
) -> Table:
    body: list[tuple[Cell, ...]] = [(r.label, _cell(r.count)) for r in rows]
    if total is not None:
        body.append(("Total", _cell(total)))
    return Table(
        key, title, (heading, what), body, _bars(rows, t), chart_title=f"{what} by {heading.lower()}"
    )


def tables(report: Report) -> list[Table]:
    t = report.threshold
    out = [
        _breakdown("requests-by-month", "Requests by month", "Month", "Requests",
                   report.requests_by_month, report.requests_total, t),
        _breakdown("requests-by-status", "Where the requests stand now", "Status", "Requests",
                   report.requests_by_status, report.requests_total, t),
        _breakdown("decisions", "Decisions by outcome", "Outcome", "Decisions",
                   report.decisions, report.decisions_total, t),
    ]  # fmt: skip
    grounds = Table(
        "grounds",
        "Refusals and cancellations by ground",
        ("Ground", "Refusals", "Cancellations"),
        [(g.label, _cell(g.refusals), _cell(g.cancellations)) for g in report.grounds],
        [_bar(g.short, g.refusals, t) for g in report.grounds],
        chart_title="Refusals by ground",
        note="" if report.grounds else "No refusal or cancellation took effect in the period.",
    )
    timing = _breakdown(
        "time-to-decision", "Time to decision", "Working days from request to first decision", "Decisions",
        report.days_buckets, report.decided, t,
    )  # fmt: skip
    not_given = f"not given (fewer than {t} decisions)"
    timing.rows.append(("Median (working days)", _or(report.median_days, not_given)))
    timing.rows.append(("90th percentile (working days)", _or(report.p90_days, not_given)))
    referrals = _breakdown(
        "referrals", "Screening referrals and how they were resolved", "How it stands", "Possible matches",
        report.referrals, report.referral_matches, t,
    )  # fmt: skip
    referrals.rows.append(("Requests with a referral", _cell(report.cases_referred)))
    appeals = _breakdown(
        "appeals", "Appeals and their outcomes", "Outcome", "Appeals", report.appeals, report.appeals_total, t
    )
    room_rows: list[tuple[Cell, ...]] = [
        (r.venue, r.room, r.booked_hours, round(r.open_hours, 2), _or(_percent(r.share), "n/a"))
        for r in report.rooms
    ]
    room_rows.append(
        ("All rooms", "", report.booked_hours, report.open_hours, _or(_percent(report.use_share), "n/a"))
    )
    rooms = Table(
        "room-use",
        "Room use",
        ("Venue", "Room", "Booked hours", "Open hours", "Booked share of open hours (%)"),
        room_rows,
        [
            Bar(f"{r.room}, {r.venue}", _percent(r.share), f"{_percent(r.share) or 0:g}%")
            for r in report.rooms
        ],
        chart_title="Booked hours as a share of open hours",
        unit="%",
        note="" if report.rooms else "No rooms.",
    )
    return [*out, grounds, timing, referrals, appeals, rooms]


def _or(value: float | None, instead: str) -> float | str:
    """A figure that is missing for a reason other than suppression, in words."""
    return instead if value is None else value


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def table_named(report: Report, key: str) -> Table | None:
    return next((tb for tb in tables(report) if tb.key == key), None)


def safe_text(value: str) -> str:
    """A text cell a spreadsheet will show as text, never run as a formula."""
    risky = value.startswith(FORMULA_STARTS) or value.lstrip(" ").startswith(FORMULA_STARTS)
    return "'" + value if risky else value


def to_csv(table: Table, threshold: int) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([safe_text(c) for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                hidden_text(threshold) if cell is None else safe_text(cell) if isinstance(cell, str) else cell
                for cell in row
            ]
        )
    return buffer.getvalue()
