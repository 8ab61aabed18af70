"""What a request asks of the rate card (issue 19): extras chosen and priced with the hire, the
concession claimed as a check an officer settles (and the standard rate when it is not made out),
the invoice on approval where the venue says so, through the real workflow on both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from casework.input import ApplicationRequest
from casework.workflow import DecisionInput, Workflow
from tests.factories import application_payload, next_weekday
from venues.charges.booking_quote import case_quote
from venues.charges.invoicing import credit_notes_for, invoice_for_case
from venues.models import Venue
from vetting.errors import Invalid
from vetting.models import VettingCase

APPROVE = DecisionInput(
    "approve", "ok", checks_in_review_confirmed=True, checks_in_review_reason="Seen at the desk."
)
WITH_CONDITIONS = DecisionInput(
    "approve",
    "ok",
    conditions=[{"code": "responsible_person", "text": None, "rationale": "Public event"}],
    checks_in_review_confirmed=True,
    checks_in_review_reason="Seen at the desk.",
)


async def _venue(engine: AsyncEngine, venue_id: Any, **values: Any) -> None:
    async with async_sessionmaker(engine)() as s:
        await s.execute(update(Venue).where(Venue.id == venue_id).values(**values))
        await s.commit()


def _body(room_id: Any, start: dt.datetime, org_type: str = "club", **kw: Any) -> ApplicationRequest:
    extras = kw.pop("extras", [])
    body = application_payload(room_id, start, **kw)
    body["organisation"]["type"] = org_type
    if org_type == "charity":
        body["organisation"]["charity_number"] = "1234567"
    body["extras"] = extras
    return ApplicationRequest.model_validate(body)


async def _submit(engine: AsyncEngine, request: ApplicationRequest) -> tuple[Any, str]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        submitted = await Workflow(s).submit(request)
        await s.commit()
        assert submitted.applicant_token
        return submitted.case.id, submitted.applicant_token


async def test_extras_chosen_are_kept_and_priced_with_the_hire(engine: AsyncEngine, seeded: dict[str, Any]):
    await _venue(engine, seeded["venue"].id, rate_card_id="council-halls")
    start = next_weekday(1, weeks_ahead=4)  # Tuesdays 19:00 to 21:00: peak
    request = _body(
        seeded["hall_a"].id, start, rrule="FREQ=WEEKLY;COUNT=2", extras=["projector", "caretaker"]
    )
    case_id, _ = await _submit(engine, request)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        case = await s.get(VettingCase, case_id)
        assert case is not None and case.charges == {"extras": ["projector", "caretaker"], "concession": None}
        priced, _, _ = await case_quote(s, case)
        assert priced.quote is not None
        extras = [line for line in priced.quote.lines if line.kind == "extra"]
        # per date: the projector £20.00 and a caretaker for 2 hours at £18.50, both with VAT at 20%
        assert [(x.net_pence, x.vat_pence) for x in extras] == [(2000, 400), (3700, 740)] * 2
        await Workflow(s).decide(seeded["officer"], case_id, APPROVE)
        await s.commit()
    async with maker() as s:
        invoice = await invoice_for_case(s, case_id)
        assert invoice is not None
        hire = 2 * (6400 - 1600)  # 2 hours at £32.00, less 25% for a community group, twice
        assert invoice.gross_pence == hire + 2 * (2400 + 4440)
        assert sum(1 for line in invoice.lines if line["kind"] == "extra") == 4


async def test_an_extra_not_offered_is_refused_with_its_field(engine: AsyncEngine, seeded: dict[str, Any]):
    start = next_weekday(1, weeks_ahead=4)
    async with async_sessionmaker(engine)() as s:
        with pytest.raises(Invalid) as no_card:
            await Workflow(s).submit(_body(seeded["hall_a"].id, start, extras=["kitchen"]))
        assert "extras" in no_card.value.errors
    await _venue(engine, seeded["venue"].id, rate_card_id="council-halls")
    async with async_sessionmaker(engine)() as s:
        with pytest.raises(Invalid) as unknown:
            await Workflow(s).submit(_body(seeded["hall_a"].id, start, extras=["hot_tub"]))
        assert "hot_tub" in unknown.value.errors["extras"]


@pytest.mark.parametrize("satisfied", [True, False])
async def test_a_concession_stands_only_when_the_officer_finds_it_made_out(
    engine: AsyncEngine, seeded: dict[str, Any], satisfied: bool
) -> None:
    await _venue(engine, seeded["venue"].id, rate_card_id="council-halls")
    start = next_weekday(1, weeks_ahead=4)
    case_id, _ = await _submit(engine, _body(seeded["hall_a"].id, start, org_type="charity"))
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        case = await s.get(VettingCase, case_id)
        assert case is not None
        (check,) = [c for c in case.checks if c["check"] == "concession"]
        assert check["outcome"] == "review"
        assert check["summary"] == "Registered charity rate claimed: 40% off the hire."
        assert "Charity Commission" in check["needed"]
        await Workflow(s).record_check_outcome(
            seeded["officer"], case_id, "concession", satisfied, "Looked the number up on the register."
        )
        await s.commit()
    async with maker() as s:
        case = await s.get(VettingCase, case_id)
        assert case is not None
        priced, _, _ = await case_quote(s, case)
        assert priced.quote is not None
        concession = [line for line in priced.quote.lines if line.kind == "concession"]
        assert bool(concession) is satisfied
        assert priced.quote.gross_pence == (6400 - 2560 if satisfied else 6400)
        if not satisfied:
            assert priced.quote.category_label == "Registered charity (not verified): standard rate"
        await Workflow(s).decide(seeded["officer"], case_id, APPROVE)
        await s.commit()
    async with maker() as s:
        invoice = await invoice_for_case(s, case_id)
        assert invoice is not None and invoice.gross_pence == (3840 if satisfied else 6400)


async def test_a_hirer_type_without_a_concession_has_nothing_to_check(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    await _venue(engine, seeded["venue"].id, rate_card_id="council-halls")
    case_id, _ = await _submit(engine, _body(seeded["hall_a"].id, next_weekday(1, weeks_ahead=4), "company"))
    async with async_sessionmaker(engine)() as s:
        case = await s.get(VettingCase, case_id)
        assert case is not None and not [c for c in case.checks if c["check"] == "concession"]


@pytest.mark.parametrize("invoice_on", [None, "approval"])
async def test_the_venue_says_whether_approval_or_confirmation_invoices(
    engine: AsyncEngine, seeded: dict[str, Any], invoice_on: str | None
) -> None:
    await _venue(engine, seeded["venue"].id, rate_card_id="council-halls", invoice_on=invoice_on)
    start = next_weekday(1, weeks_ahead=6)  # more than 28 days' notice: no fee
    case_id, token = await _submit(engine, _body(seeded["hall_a"].id, start))
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        await Workflow(s).decide(seeded["officer"], case_id, WITH_CONDITIONS)
        await s.commit()
    async with maker() as s:
        invoice = await invoice_for_case(s, case_id)
        assert (invoice is not None) is (invoice_on == "approval")
        await Workflow(s).withdraw(token)  # before accepting the conditions
        await s.commit()
    async with maker() as s:
        invoice = await invoice_for_case(s, case_id)
        if invoice_on == "approval":
            assert invoice is not None
            (note,) = await credit_notes_for(s, invoice.id)
            assert note.gross_pence == invoice.gross_pence and "no cancellation fee" in note.reason
        else:
            assert invoice is None
