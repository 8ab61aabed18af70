"""The booking form: one question group per page, state carried signed in a hidden field.

Nothing is written to the database until the hirer presses "Send request" on the check page;
until then every step posts the whole (signed) state back. The state's random `token` is the
idempotency key, so a double submit makes one application.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email
from litestar import Controller, get, post
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, roles
from api.web.common import (
    WEB_EXCEPTION_HANDLERS,
    AnyRequest,
    csrf_guard,
    page,
    redirect,
    sign_blob,
    unsign_blob,
)
from casework.input import ApplicationRequest
from casework.workflow import Workflow
from policies import Policy, Question
from venues.admin import ACCESSIBILITY_FEATURES
from venues.booking import BookingService
from venues.models import Room, Venue
from vetting.errors import Conflict, Invalid
from vetting.models import VettingCase
from vetting.policy_store import current_policy

STEPS = ("room", "choose", "organisation", "people", "event", "questions", "declarations", "check")
STEP_TITLES = {
    "room": "When and where do you need a room?",
    "choose": "Choose a room",
    "organisation": "Your organisation and contact details",
    "people": "The people involved",
    "event": "About the event",
    "questions": "A few more questions",
    "declarations": "Declarations",
    "check": "Check your answers before sending your request",
}
ORGANISATION_TYPES = {
    "charity": "Registered charity",
    "cio": "Charitable incorporated organisation (CIO)",
    "company": "Company",
    "cic": "Community interest company (CIC)",
    "faith_group": "Faith group",
    "club": "Club or society",
    "school": "School or college",
    "public_body": "Public body",
    "informal": "Informal group",
}
PERSON_ROLES = {
    "officer": "Officer (chair, secretary, treasurer)",
    "trustee": "Trustee or director",
    "speaker": "Speaker",
    "safeguarding_lead": "Safeguarding lead",
    "organiser": "Organiser",
    "performer": "Performer",
    "other": "Other",
}
REPEATS = {
    "none": "Does not repeat",
    "weekly": "Every week on the same day",
    "fortnightly": "Every 2 weeks on the same day",
    "monthly": "Every month on the same weekday (for example, the second Tuesday)",
}
YES_NO = {"yes": "Yes", "no": "No"}
MAX_PEOPLE = 30
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
STATE_PURPOSE = "booking-form"


# ------------------------------------------------------------------------------------ helpers


def _s(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _time(value: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        return None


def _int(value: str) -> int | None:
    try:
        return int(value.replace(",", ""))
    except ValueError:
        return None


def rrule_for(state: dict[str, Any]) -> str | None:
    repeat = state.get("repeat", "none")
    if repeat == "none":
        return None
    day = _date(state.get("date", ""))
    assert day is not None
    if repeat == "weekly":
        rule = "FREQ=WEEKLY"
    elif repeat == "fortnightly":
        rule = "FREQ=WEEKLY;INTERVAL=2"
    else:
        nth = (day.day - 1) // 7 + 1
        rule = f"FREQ=MONTHLY;BYDAY={-1 if nth == 5 else nth}{WEEKDAY_CODES[day.weekday()]}"
    if state.get("repeat_end") == "until":
        until = _date(state.get("repeat_until", ""))
        assert until is not None
        return f"{rule};UNTIL={until:%Y%m%d}"
    return f"{rule};COUNT={state.get('repeat_count')}"


def times_for(state: dict[str, Any], tz: str) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(tz)
    day = _date(state["date"])
    start, end = _time(state["start_time"]), _time(state["end_time"])
    assert day and start and end
    return dt.datetime.combine(day, start, zone), dt.datetime.combine(day, end, zone)


def repeat_text(state: dict[str, Any]) -> str:
    repeat = state.get("repeat", "none")
    if repeat == "none":
        return "Once"
    text = REPEATS[repeat]
    if state.get("repeat_end") == "until":
        until = _date(state.get("repeat_until", ""))
        return f"{text}, until {until:%-d %B %Y}" if until else text
    return f"{text}, {state.get('repeat_count')} times"


def question_facts(state: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """The facts `show_if` conditions read, from what the hirer has told us so far."""
    from vetting.checks.facts import normalise_answer

    people = state.get("people") or []
    facts: dict[str, Any] = {
        "event.open_to_public": state.get("open_to_public") == "yes",
        "event.under_18s": state.get("under_18s") == "yes",
        "event.adults_at_risk": state.get("adults_at_risk") == "yes",
        "event.expected_attendance": _int(str(state.get("expected_attendance", ""))) or 0,
        "booking.external_speakers": sum(1 for p in people if p.get("role") == "speaker"),
        "organisation.type": state.get("org_type"),
    }
    answers = state.get("answers") or {}
    for q in policy.questions:
        facts[f"answers.{q.id}"] = normalise_answer(q, answers.get(q.id))
    return facts


def _refs_answers(question: Question) -> bool:
    condition = question.condition()
    return condition is not None and any(c.ref.startswith("answers.") for c in condition.comparisons())


def condition_text(question: Question, policy: Policy) -> str | None:
    """A sentence explaining when a question applies, for questions that depend on other answers."""
    condition = question.condition()
    if condition is None or not _refs_answers(question):
        return None
    labels = {q.id: q.label for q in policy.questions}
    parts = []
    for group in condition.any_of:
        bits = []
        for c in group:
            if c.ref.startswith("answers."):
                qid = c.ref.split(".", 1)[1]
                value = c.value
                shown = "Yes" if value is True else "No" if value is False else str(value)
                if c.op == "!=":
                    bits.append(f"you did not answer “{shown}” to “{labels.get(qid, qid)}”")
                else:
                    bits.append(f"you answered “{shown}” to “{labels.get(qid, qid)}”")
        if bits:
            parts.append(" and ".join(bits))
    return "Answer this only if " + " or ".join(parts) + "." if parts else None


def visible_questions(state: dict[str, Any], policy: Policy, *, final: bool) -> list[Question]:
    """Questions to show. Before answering, a question that depends on another answer is shown
    with its condition explained (no JavaScript needed); when checking, conditions are applied."""
    facts = question_facts(state, policy)
    out: list[Question] = []
    for q in policy.questions:
        condition = q.condition()
        if condition is None:
            out.append(q)
        elif not final and _refs_answers(q):
            # Shown (with its condition explained) when the questions it depends on are shown.
            shown = {v.id for v in out}
            refs = [c for c in condition.comparisons() if c.ref.startswith("answers.")]
            other = [c for c in condition.comparisons() if not c.ref.startswith("answers.")]
            if any(c.ref.split(".", 1)[1] in shown for c in refs) and all(c.holds(facts) for c in other):
                out.append(q)
        elif condition.holds(facts):
            out.append(q)
    return out


def answer_value(question: Question, raw: str) -> Any:
    if question.type == "yes_no":
        return raw == "yes"
    if question.type == "number":
        number = float(raw)
        return int(number) if number.is_integer() else number
    return raw


def answer_text(question: Question, raw: str) -> str:
    if question.type == "yes_no":
        return YES_NO.get(raw, raw)
    if question.type == "choice":
        return raw.replace("_", " ").capitalize()
    return raw


# ------------------------------------------------------------------------------------ controller


class BookingController(Controller):
    path = "/"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/", opt=roles(PUBLIC), name="start")
    async def start_page(self, request: AnyRequest) -> Template:
        return page(request, "start.html", {})

    @get("/book", opt=roles(PUBLIC), name="book")
    async def book(self, request: AnyRequest, db_session: AsyncSession) -> Template:
        state: dict[str, Any] = {"token": secrets.token_urlsafe(24), "repeat": "none", "repeat_end": "count"}
        return await self._render(request, db_session, "room", state, {})

    @post("/book", opt=roles(PUBLIC))
    async def step(
        self, request: AnyRequest, db_session: AsyncSession, workflow: Workflow
    ) -> Template | Redirect:
        form = await request.form()
        state = unsign_blob(request, STATE_PURPOSE, _s(form, "state"))
        if not isinstance(state, dict):
            return page(
                request,
                "error.html",
                {"title": "Your answers could not be read", "message": "Start your request again."},
                status_code=400,
            )
        step = _s(form, "step")
        if step not in STEPS:
            step = "room"
        nav = _s(form, "nav") or "continue"
        if nav.startswith("goto:") and nav[5:] in STEPS:
            state["return_to_check"] = True
            return await self._render(request, db_session, nav[5:], state, {})
        errors = await self._take(request, db_session, step, form, state)
        if nav == "back":
            back = STEPS[max(0, STEPS.index(step) - 1)]
            return await self._render(request, db_session, back, state, {})
        if nav == "add_person":
            state["people_rows"] = min(MAX_PEOPLE, int(state.get("people_rows", 3)) + 1)
            return await self._render(request, db_session, step, state, {})
        if errors:
            return await self._render(request, db_session, step, state, errors, status_code=400)
        if step == "check":
            return await self._submit(request, db_session, workflow, state)
        if state.get("return_to_check") and step not in ("room",):
            following = "check"
        else:
            following = STEPS[STEPS.index(step) + 1]
        if step == "room":
            state.pop("return_to_check", None)
        if following == "questions":
            policy = await self._policy(db_session, state)
            if not visible_questions(state, policy, final=False):
                following = "declarations"
        return await self._render(request, db_session, following, state, {})

    # -------------------------------------------------------------- reading each step

    async def _take(
        self, request: AnyRequest, db_session: AsyncSession, step: str, form: Any, state: dict[str, Any]
    ) -> dict[str, str]:
        errors: dict[str, str] = {}
        if step == "room":
            for name in (
                "venue_id",
                "date",
                "start_time",
                "end_time",
                "repeat",
                "repeat_end",
                "repeat_count",
                "repeat_until",
                "attendance",
            ):
                state[name] = _s(form, name)
            state["access"] = (
                [a for a in form.getall("access") if a in ACCESSIBILITY_FEATURES] if "access" in form else []
            )
            try:
                venue = await db_session.get(Venue, UUID(state["venue_id"])) if state["venue_id"] else None
            except ValueError:
                venue = None
            if venue is None:
                errors["venue_id"] = "Select a venue"
            day = _date(state["date"])
            if day is None:
                errors["date"] = "Enter the date of the event, for example 2027-01-12"
            elif day < dt.date.today():
                errors["date"] = "The date must be today or in the future"
            start, end = _time(state["start_time"]), _time(state["end_time"])
            if start is None:
                errors["start_time"] = "Enter a start time, for example 19:00"
            if end is None:
                errors["end_time"] = "Enter a finish time, for example 21:00"
            elif start is not None and end <= start:
                errors["end_time"] = "The finish time must be after the start time"
            if state["repeat"] not in REPEATS:
                errors["repeat-none"] = "Select whether the booking repeats"
            elif state["repeat"] != "none":
                if state["repeat_end"] == "until":
                    until = _date(state["repeat_until"])
                    if until is None:
                        errors["repeat_until"] = "Enter the date of the last booking"
                    elif day is not None and until <= day:
                        errors["repeat_until"] = "The last date must be after the first date"
                else:
                    state["repeat_end"] = "count"
                    count = _int(state["repeat_count"])
                    if count is None or not 2 <= count <= 52:
                        errors["repeat_count"] = "Enter how many times, from 2 to 52"
            attendance = _int(state["attendance"])
            if attendance is None or attendance < 1:
                errors["attendance"] = "Enter how many people will attend, as a number"
            if not state.get("expected_attendance") and attendance:
                state["expected_attendance"] = str(attendance)
        elif step == "choose":
            state["room_id"] = _s(form, "room_id")
            options, _ = await self._options(db_session, state)
            if state["room_id"] not in {o["id"] for o in options if o["free"]}:
                errors["room_id"] = "Select a room that is free"
        elif step == "organisation":
            for name in (
                "org_name",
                "org_type",
                "charity_number",
                "company_number",
                "org_address",
                "website",
                "contact_name",
                "contact_email",
                "contact_phone",
            ):
                state[name] = _s(form, name)
            if not state["org_name"]:
                errors["org_name"] = "Enter the name of your organisation or group"
            if state["org_type"] not in ORGANISATION_TYPES:
                errors["org_type"] = "Select the type of organisation"
            if state["org_type"] in ("charity", "cio") and not state["charity_number"]:
                errors["charity_number"] = "Enter the charity's registered number"
            if state["org_type"] in ("company", "cic") and not state["company_number"]:
                errors["company_number"] = "Enter the company number"
            if not state["contact_name"]:
                errors["contact_name"] = "Enter the name of the person we should contact"
            if not state["contact_email"]:
                errors["contact_email"] = "Enter an email address"
            else:
                try:
                    validate_email(state["contact_email"], check_deliverability=False)
                except EmailNotValidError:
                    errors["contact_email"] = (
                        "Enter an email address in the correct format, like name@example.com"
                    )
        elif step == "people":
            rows = int(state.get("people_rows", 3))
            people = []
            for i in range(rows):
                name, role = _s(form, f"person_{i}_name"), _s(form, f"person_{i}_role")
                if not name and not role:
                    continue
                people.append({"name": name, "role": role, "row": i})
                if not name:
                    errors[f"person_{i}_name"] = f"Enter the name of person {i + 1}"
                if role not in PERSON_ROLES:
                    errors[f"person_{i}_role"] = f"Select the role of person {i + 1}"
            state["people"] = [{"name": p["name"], "role": p["role"]} for p in people]
            state["people_rows"] = max(rows, len(people) + 1)
        elif step == "event":
            for name in (
                "title",
                "description",
                "expected_attendance",
                "open_to_public",
                "under_18s",
                "adults_at_risk",
            ):
                state[name] = _s(form, name)
            if not state["title"]:
                errors["title"] = "Enter a title for the event"
            if len(state["description"]) > 5000:
                errors["description"] = "The description must be 5,000 characters or fewer"
            attendance = _int(state["expected_attendance"])
            if attendance is None or attendance < 1:
                errors["expected_attendance"] = "Enter how many people you expect, as a number"
            for name, text in (
                ("open_to_public", "whether the event is open to the public"),
                ("under_18s", "whether children or young people under 18 will attend"),
                ("adults_at_risk", "whether adults at risk will attend"),
            ):
                if state[name] not in YES_NO:
                    errors[f"{name}-yes"] = f"Select {text}"
        elif step == "questions":
            policy = await self._policy(db_session, state)
            answers = dict(state.get("answers") or {})
            for q in visible_questions(state, policy, final=False):
                answers[q.id] = _s(form, f"q_{q.id}")
            state["answers"] = answers
            errors = self._question_errors(state, policy)
        elif step == "declarations":
            policy = await self._policy(db_session, state)
            ticked = set(form.getall("declarations")) if "declarations" in form else set()
            state["declarations"] = [d.id for d in policy.declarations if d.id in ticked]
            for d in policy.declarations:
                if d.required and d.id not in ticked:
                    errors[f"decl-{d.id}"] = f"Confirm: {d.text}"
        return errors

    def _question_errors(self, state: dict[str, Any], policy: Policy) -> dict[str, str]:
        errors: dict[str, str] = {}
        answers = state.get("answers") or {}
        for q in visible_questions(state, policy, final=True):
            raw = str(answers.get(q.id) or "")
            field = f"q_{q.id}-yes" if q.type == "yes_no" else f"q_{q.id}"
            if not raw:
                if q.required:
                    errors[field] = f"Answer: {q.label}"
                continue
            if q.type == "number":
                try:
                    float(raw)
                except ValueError:
                    errors[field] = f"Enter a number for: {q.label}"
            elif q.type == "date" and _date(raw) is None:
                errors[field] = f"Enter a date for: {q.label}"
            elif q.type == "choice" and raw not in q.choices:
                errors[field] = f"Select an answer for: {q.label}"
            elif q.type == "yes_no" and raw not in YES_NO:
                errors[field] = f"Select yes or no for: {q.label}"
        return errors

    # -------------------------------------------------------------- rendering

    async def _policy(self, db_session: AsyncSession, state: dict[str, Any]) -> Policy:
        venue = await db_session.get(Venue, UUID(state["venue_id"]))
        assert venue is not None
        return await current_policy(db_session, venue.policy_id)

    async def _options(
        self, db_session: AsyncSession, state: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Every room of the venue big enough and with the features asked, free or not and why."""
        venue = await db_session.get(Venue, UUID(state["venue_id"]))
        assert venue is not None
        start, end = times_for(state, venue.timezone)
        rrule = rrule_for(state)
        service = BookingService(db_session)
        attendance = _int(state.get("attendance", "")) or 1
        rooms = (
            await db_session.execute(
                select(Room).where(Room.venue_id == venue.id, Room.active.is_(True)).order_by(Room.capacity)
            )
        ).scalars()
        options: list[dict[str, Any]] = []
        rule_problem: str | None = None
        for room in rooms:
            option: dict[str, Any] = {
                "id": str(room.id),
                "name": room.name,
                "capacity": room.capacity,
                "features": [ACCESSIBILITY_FEATURES.get(a, a) for a in room.accessibility],
                "free": False,
                "reasons": [],
                "dates": 0,
            }
            if room.capacity < attendance:
                continue
            missing = [
                ACCESSIBILITY_FEATURES[a] for a in state.get("access", []) if a not in room.accessibility
            ]
            if missing:
                continue
            try:
                plan = await service.plan(room.id, start, end, rrule)
                option["free"] = True
                option["dates"] = len(plan.occurrences)
            except Invalid as exc:
                rule_problem = exc.message
                option["reasons"] = [exc.message]
            except Conflict as exc:
                option["reasons"] = list(exc.details)[:4] or [exc.message]
                if len(exc.details) > 4:
                    option["reasons"].append(f"and {len(exc.details) - 4} more dates")
            day_start = dt.datetime.combine(start.date(), dt.time(0), start.tzinfo)
            busy = await service.busy(room.id, day_start, day_start + dt.timedelta(days=1))
            zone = ZoneInfo(venue.timezone)
            option["busy"] = [f"{a.astimezone(zone):%H:%M} to {b.astimezone(zone):%H:%M}" for a, b in busy]
            options.append(option)
        return options, rule_problem

    async def _render(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        step: str,
        state: dict[str, Any],
        errors: dict[str, str],
        *,
        status_code: int = 200,
        message: str | None = None,
    ) -> Template:
        ctx: dict[str, Any] = {
            "step": step,
            "title": STEP_TITLES[step],
            "s": state,
            "errors": errors,
            "message": message,
            "step_number": STEPS.index(step) + 1,
            "step_count": len(STEPS),
            "organisation_types": ORGANISATION_TYPES,
            "person_roles": PERSON_ROLES,
            "repeats": REPEATS,
            "yes_no": YES_NO,
            "features": ACCESSIBILITY_FEATURES,
        }
        if step == "room":
            ctx["venues"] = list((await db_session.execute(select(Venue).order_by(Venue.name))).scalars())
        if step in ("choose",):
            options, rule_problem = await self._options(db_session, state)
            ctx["options"] = options
            ctx["rule_problem"] = rule_problem
        if step in ("choose", "check"):
            venue = await db_session.get(Venue, UUID(state["venue_id"]))
            assert venue is not None
            ctx["venue"] = venue
            start, end = times_for(state, venue.timezone)
            ctx["when"] = f"{start:%A %-d %B %Y}, {start:%H:%M} to {end:%H:%M}"
            ctx["repeat_text"] = repeat_text(state)
        if step in ("questions", "declarations", "check"):
            policy = await self._policy(db_session, state)
            ctx["policy"] = policy
            ctx["questions"] = [
                {"q": q, "condition": condition_text(q, policy)}
                for q in visible_questions(state, policy, final=step == "check")
            ]
        if step == "check":
            ctx["room"] = await db_session.get(Room, UUID(state["room_id"]))
            ctx["answer_text"] = answer_text
            ctx["dates"] = await self._dates(db_session, state)
        if step == "people":
            ctx["rows"] = max(int(state.get("people_rows", 3)), len(state.get("people") or []) + 1)
            people = state.get("people") or []
            ctx["people_rows"] = [
                people[i] if i < len(people) else {"name": "", "role": ""} for i in range(ctx["rows"])
            ]
        ctx["state_blob"] = sign_blob(request, STATE_PURPOSE, state)
        return page(request, "book_step.html", ctx, status_code=status_code)

    async def _dates(self, db_session: AsyncSession, state: dict[str, Any]) -> list[str]:
        venue = await db_session.get(Venue, UUID(state["venue_id"]))
        assert venue is not None
        start, end = times_for(state, venue.timezone)
        try:
            plan = await BookingService(db_session).plan(UUID(state["room_id"]), start, end, rrule_for(state))
        except (Invalid, Conflict):
            return []
        return [
            f"{o.local_start:%a %-d %b %Y}, {o.local_start:%H:%M} to {o.local_end:%H:%M}"
            for o in plan.occurrences
        ]

    # -------------------------------------------------------------- sending

    def _request(self, state: dict[str, Any], policy: Policy, tz: str) -> ApplicationRequest:
        start, end = times_for(state, tz)
        rrule = rrule_for(state)
        answers: dict[str, Any] = {}
        raw_answers = state.get("answers") or {}
        for q in visible_questions(state, policy, final=True):
            raw = str(raw_answers.get(q.id) or "")
            if raw:
                answers[q.id] = answer_value(q, raw)
        return ApplicationRequest.model_validate(
            {
                "room_id": state["room_id"],
                "organisation": {
                    "name": state["org_name"],
                    "type": state["org_type"],
                    "charity_number": state.get("charity_number") or None,
                    "company_number": state.get("company_number") or None,
                    "address": state.get("org_address") or None,
                    "website": state.get("website") or None,
                },
                "contact": {
                    "name": state["contact_name"],
                    "email": state["contact_email"],
                    "phone": state.get("contact_phone") or None,
                },
                "people": state.get("people") or [],
                "event": {
                    "title": state["title"],
                    "description": state.get("description", ""),
                    "expected_attendance": _int(str(state.get("expected_attendance"))) or 1,
                    "open_to_public": state.get("open_to_public") == "yes",
                    "under_18s": state.get("under_18s") == "yes",
                    "adults_at_risk": state.get("adults_at_risk") == "yes",
                },
                "start": start,
                "end": end,
                "recurrence": {"rrule": rrule} if rrule else None,
                "declarations": state.get("declarations") or [],
                "answers": answers,
            }
        )

    async def _submit(
        self, request: AnyRequest, db_session: AsyncSession, workflow: Workflow, state: dict[str, Any]
    ) -> Template | Redirect:
        venue = await db_session.get(Venue, UUID(state["venue_id"]))
        assert venue is not None
        policy = await current_policy(db_session, venue.policy_id)
        question_errors = self._question_errors(state, policy)
        if question_errors:
            return await self._render(
                request, db_session, "questions", state, question_errors, status_code=400
            )
        try:
            data = self._request(state, policy, venue.timezone)
        except ValidationError as exc:
            message = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            return await self._render(
                request, db_session, "check", state, {}, status_code=400, message=message
            )
        # A second press of "Send request" after the first went through shows what the first made.
        made = (
            await db_session.execute(
                select(VettingCase.reference).where(VettingCase.idempotency_key == state["token"])
            )
        ).scalar_one_or_none()
        if made is not None:
            return page(request, "book_replayed.html", {"reference": made, "email": state["contact_email"]})
        try:
            submitted = await workflow.submit(data, idempotency_key=state["token"])
            await db_session.commit()
        except Conflict as exc:
            await db_session.rollback()
            detail = "; ".join(exc.details) if exc.details else exc.message
            return await self._render(
                request,
                db_session,
                "check",
                state,
                {},
                status_code=409,
                message=f"The room is no longer free: {detail}. Change the date or choose another room.",
            )
        except Invalid as exc:
            await db_session.rollback()
            detail = "; ".join(exc.errors.values()) if exc.errors else exc.message
            return await self._render(
                request, db_session, "check", state, {}, status_code=400, message=detail
            )
        except IntegrityError:
            # Two presses of "Send request" raced; the first one made the application.
            await db_session.rollback()
            submitted = None
        if submitted is None or submitted.replayed or submitted.applicant_token is None:
            case = (
                await db_session.execute(
                    select(VettingCase).where(VettingCase.idempotency_key == state["token"])
                )
            ).scalar_one()
            return page(
                request, "book_replayed.html", {"reference": case.reference, "email": state["contact_email"]}
            )
        return redirect(f"/status/{submitted.applicant_token}?sent=1")
