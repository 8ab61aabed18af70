"""Pages speak English, not storage: dates as "Tuesday 8 December 2026", times as "7:30pm",
repeat rules in words, answers under their question's own wording, policy codes as the policy's
own labels, and form errors that say what to do (GOV.UK style).

Every page gets these as Jinja filters (`register`); controllers call the same functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from jinja2 import Environment

from api.web.i18n import N_, current_language
from api.web.i18n import gettext as _
from policies import Policy
from venues.charges.money import pounds
from venues.rrule_words import describe_rrule

LONDON = ZoneInfo("Europe/London")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_DATE_IN_TEXT = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")

# What each check type is called on a page (the policy names checks only by their type).
CHECK_LABELS = {
    "declarations": "Declarations",
    "required_answers": "Required answers",
    "registry_numbers": "Charity and company numbers",
    "screening": "Name screening",
    "capacity": "Room capacity",
    "safeguarding": "Safeguarding",
    "insurance": "Public liability insurance",
    "notice_period": "Notice given",
    "booking_history": "Earlier bookings",
    "clearance_reuse": "Recent clearance",
    "concession": "Concession claimed",
}
OCCURRENCE_LABELS = {
    "requested": "Requested",
    "conflicting": "Requested (another request wants this time)",
    "held": "Booked",
    "released": "Not booked",
    "cancelled": "Cancelled",
}
CHECK_OUTCOMES = {"pass": "Passed", "review": "Needs review", "fail": "Failed"}
DECISION_WORDS = {
    ("decision", "approve"): "Approved",
    ("decision", "refuse"): "Refused",
    ("decision", "request_information"): "Asked for more information",
    ("decision", "cancel"): "Cancelled",
    ("acceptance", "accept"): "Conditions accepted",
    ("appeal", "pending"): "Appeal made",
    ("appeal", "reapproved"): "Appeal upheld: approved again",
    ("appeal", "upheld"): "Appeal upheld: reviewed afresh",
    ("appeal", "varied"): "Appeal upheld with varied conditions",
    ("appeal", "dismissed"): "Appeal dismissed",
}
# Decision form errors in the GOV.UK style: what to do, not what went wrong.
FORM_ERRORS = {
    "outcome": "Select a decision",
    "reason": "Enter the reasons for your decision",
    "reason_code": "Choose a reason for refusing",
    "options_considered": "Enter the less restrictive options you considered before refusing",
    "rationale": "Enter a rationale for this condition",
    "condition": "Choose a condition from the policy's list",
    "appeal_reason": "Enter the reasons for the appeal decision",
    "appeal_outcome": "Select an appeal decision",
    "countersign_note": "Enter a shorter note",
    # The hirer's forms on the status page.
    "response": N_("Enter your answer to the council’s question"),
    "grounds": N_("Enter why you think the decision is wrong"),
}


@lru_cache(maxsize=4096)
def format_date(day: dt.date, pattern: str, locale: str) -> str:
    """Babel's `format_date`, remembered: a pure function of its arguments (CLDR's names for a
    date, pattern and language), and a queue of a hundred cases writes two dates per row, most
    of them the same few, each costing Babel about fifty microseconds."""
    return babel_format_date(day, pattern, locale=locale)


def _as_datetime(value: Any) -> dt.datetime | dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value
    text = str(value)
    if _ISO_DATE.match(text):
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text)


def _local(value: dt.datetime) -> dt.datetime:
    """Instants (aware) are shown on the venue's clock; local wall-clock times as they are."""
    return value.astimezone(LONDON) if value.tzinfo is not None else value


def long_date(value: Any) -> str:
    """ "Tuesday 8 December 2026", or in Welsh "Dydd Mawrth 8 Rhagfyr 2026" (CLDR's names)."""
    parsed = _as_datetime(value)
    if parsed is None:
        return ""
    if isinstance(parsed, dt.datetime):
        parsed = _local(parsed).date()
    text = format_date(parsed, "EEEE d MMMM y", locale=current_language())
    return text[:1].upper() + text[1:]


def short_date(day: dt.date) -> str:
    """ "Thu 18 Feb 2027", "Iau 18 Chwef 2027": a date in a list of many."""
    return format_date(day, "EEE d MMM y", locale=current_language())


def day_month_year(day: dt.date) -> str:
    """ "3 March 2027", "3 Mawrth 2027"."""
    return format_date(day, "d MMMM y", locale=current_language())


def month_words(day: dt.date) -> str:
    """ "December 2026", "Rhagfyr 2026": the month as it stands alone (a calendar's caption)."""
    text = format_date(day, "LLLL y", locale=current_language())
    return text[:1].upper() + text[1:]


def clock(value: Any) -> str:
    """ "7pm", "7:30pm", "midday", "midnight" (GOV.UK style)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.time.fromisoformat(value) if len(value) <= 8 else _as_datetime(value)
    if isinstance(value, dt.datetime):
        value = _local(value).time()
    assert isinstance(value, dt.time)
    if value.minute == 0 and value.hour in (0, 12):
        return _("midnight") if value.hour == 0 else _("midday")
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    suffix = _("am") if value.hour < 12 else _("pm")
    return f"{hour}{minutes}{suffix}"


def time_range(start: Any, end: Any) -> str:
    """ "7pm to 9:30pm"."""
    return _("%(start)s to %(end)s") % {"start": clock(start), "end": clock(end)}


def date_time(value: Any) -> str:
    """ "Tuesday 8 December 2026 at 7:30pm" (an instant on the UK clock)."""
    parsed = _as_datetime(value)
    if parsed is None:
        return ""
    if not isinstance(parsed, dt.datetime):
        return long_date(parsed)
    return _("%(date)s at %(time)s") % {"date": long_date(parsed), "time": clock(parsed)}


def occurrence_text(start: Any, end: Any) -> str:
    """ "Tuesday 8 December 2026, 7pm to 9pm"."""
    return f"{long_date(start)}, {time_range(start, end)}"


def repeat_words(rule: str | None, first: Any = None) -> str:
    """ "Every Wednesday until 3 March 2027" (capitalised, for a cell or a line of its own)."""
    parsed = _as_datetime(first)
    day = parsed.date() if isinstance(parsed, dt.datetime) else parsed
    text = describe_rrule(rule, day)
    return text[:1].upper() + text[1:]


def check_label(code: str | None) -> str:
    if not code:
        return ""
    return CHECK_LABELS.get(code, code.replace("_", " ").capitalize())


def check_outcome(outcome: str | None) -> str:
    return CHECK_OUTCOMES.get(outcome or "", (outcome or "").capitalize())


def ground_label(code: str | None, policy: Policy | None = None) -> str:
    """A refusal or cancellation ground as its policy words (never the code)."""
    if not code:
        return ""
    for ground in policy.refusal_grounds if policy else ():
        if ground.code == code:
            return ground.text
    return code.replace("_", " ").capitalize()


def condition_label(code: str | None, policy: Policy | None = None) -> str:
    if not code:
        return ""
    for cond in policy.conditions if policy else ():
        if cond.code == code:
            return cond.text
    return code.replace("_", " ").capitalize()


def decision_words(kind: str, outcome: str) -> str:
    return DECISION_WORDS.get((kind, outcome), f"{kind} {outcome}".replace("_", " ").capitalize())


def readable_value(value: Any) -> str:
    """A stored answer or evidence value as a person writes it: yes/no, dates in words, lists joined."""
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if value is None:
        return "Not given"
    if isinstance(value, dt.datetime | dt.date):
        return long_date(value)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return long_date(value)
        if _ISO_DATETIME.match(value):
            try:
                return date_time(value)
            except ValueError:
                return value
        return value
    if isinstance(value, Mapping):
        return "; ".join(f"{k.replace('_', ' ')}: {readable_value(v)}" for k, v in value.items())
    if isinstance(value, Iterable):
        return ", ".join(readable_value(v) for v in value)
    return str(value)


def answer_items(answers: Mapping[str, Any] | None, policy: Policy | None) -> list[tuple[str, str]]:
    """(question as the policy words it, answer) in the policy's order; answers to questions the
    policy no longer asks are kept, under a label that says so rather than the internal id."""
    answers = dict(answers or {})
    rows: list[tuple[str, str]] = []
    for question in policy.questions if policy else ():
        if question.id in answers:
            text = readable_value(answers.pop(question.id))
            rows.append((question.label, text[:1].upper() + text[1:]))
    rows += [("A question not in this version of the policy", readable_value(v)) for v in answers.values()]
    return rows


def dates_in_words(text: str | None) -> str:
    """Free text a check wrote (stored with the case) with its ISO dates as "6 December 2024"."""

    def words(match: re.Match[str]) -> str:
        try:
            day = dt.date.fromisoformat(match.group(0))
        except ValueError:
            return match.group(0)
        return format_date(day, "d MMMM y", locale=current_language())

    return _DATE_IN_TEXT.sub(words, text or "")


def tier_label(tier_id: str | None, policy: Policy | None = None) -> str:
    for tier in policy.tiers if policy else ():
        if tier.id == tier_id:
            return tier.title
    return (tier_id or "").replace("_", " ").capitalize()


def _policy_words(policy: Policy | None) -> dict[str, str]:
    """Every id the policy defines, as the policy words it (questions, declarations, tiers...)."""
    if policy is None:
        return {}
    return (
        {c.code: c.text for c in policy.conditions}
        | {g.code: g.text for g in policy.refusal_grounds}
        | {t.id: t.title for t in policy.tiers}
        | {q.id: q.label for q in policy.questions}
        # Last, so a declaration sharing an id with a condition reads as the declaration: the
        # evidence that lists ids (accepted, missing) lists declarations and questions.
        | {d.id: d.text for d in policy.declarations}
    )


def evidence_items(evidence: Mapping[str, Any] | None, policy: Policy | None) -> list[tuple[str, str]]:
    """A check's evidence as (label, value) lines, with policy ids in the policy's words."""
    words = _policy_words(policy)
    rows = []
    for key, value in (evidence or {}).items():
        if isinstance(value, str) and value in words:
            shown = words[value]
        elif isinstance(value, list | tuple):
            shown = "; ".join(
                words.get(v, readable_value(v)) if isinstance(v, str) else readable_value(v) for v in value
            )
            shown = shown or "None"
        else:
            shown = readable_value(value)
        rows.append((key.replace("_", " ").capitalize(), shown))
    return rows


def number(value: Any) -> str:
    """ "1,200" in the reader's language (Babel's CLDR data: Welsh groups digits as English does)."""
    if value is None or value == "":
        return ""
    try:
        return format_decimal(value, locale=current_language())
    except (TypeError, ValueError, ArithmeticError):
        return str(value)


def form_error(field: str, fallback: str | None = None) -> str:
    return FORM_ERRORS.get(field, fallback or N_("Check this answer"))


def register(env: Environment) -> None:
    """Make the helpers Jinja filters of every page."""
    env.filters.update(
        long_date=long_date,
        clock=clock,
        time_range=time_range,
        date_time=date_time,
        occurrence_text=occurrence_text,
        repeat_words=repeat_words,
        check_label=check_label,
        check_outcome=check_outcome,
        ground_label=ground_label,
        condition_label=condition_label,
        readable_value=readable_value,
        answer_items=answer_items,
        dates_in_words=dates_in_words,
        tier_label=tier_label,
        evidence_items=evidence_items,
        pounds=pounds,
        number=number,
    )
    env.globals["decision_words"] = decision_words


__all__ = [
    "OCCURRENCE_LABELS",
    "answer_items",
    "check_label",
    "clock",
    "date_time",
    "dates_in_words",
    "day_month_year",
    "evidence_items",
    "form_error",
    "ground_label",
    "long_date",
    "month_words",
    "number",
    "occurrence_text",
    "readable_value",
    "register",
    "repeat_words",
    "short_date",
    "tier_label",
    "time_range",
]
