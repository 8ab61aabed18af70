"""A small facade over the use cases, keeping the method names callers already use
(`workflow.submit(...)`, `workflow.decide(...)`); the work is done in the use-case modules.

The API builds one per request (api/deps.py) with the settings' mailer, registry and base URL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from casework import (
    appeals,
    applicant_view,
    birth_dates,
    cancel,
    case_view,
    check_evidence,
    date_changes,
    decide,
    hirer_actions,
    hirer_dates,
    link_recovery,
    organisation_review,
)
from casework import submit as submitting
from casework.decide import DecisionInput
from casework.deps import CaseDeps, case_by_token, get_case
from casework.input import ApplicationRequest
from casework.submit import Submitted
from vetting.actors import Actor
from vetting.models import VettingCase


class Workflow(CaseDeps):
    async def submit(
        self,
        request: ApplicationRequest,
        *,
        idempotency_key: str | None = None,
        now: dt.datetime | None = None,
    ) -> Submitted:
        return await submitting.submit(self, request, idempotency_key=idempotency_key, now=now)

    async def get_case(self, case_id: UUID) -> VettingCase:
        return await get_case(self, case_id)

    async def case_by_token(self, token: str) -> VettingCase:
        return await case_by_token(self, token)

    async def case_view(self, actor: Actor, case_id: UUID) -> dict[str, Any]:
        return await case_view.case_view(self, actor, case_id)

    async def applicant_view(self, token: str, language: str = "en") -> dict[str, Any]:
        return await applicant_view.applicant_view(self, token, language)

    async def status_link(self, token: str) -> str:
        return await applicant_view.status_link(self, token)

    async def decide(
        self, actor: Actor, case_id: UUID, data: DecisionInput, *, now: dt.datetime | None = None
    ) -> VettingCase:
        return await decide.decide(self, actor, case_id, data, now=now)

    async def countersign(
        self,
        actor: Actor,
        case_id: UUID,
        *,
        agree: bool,
        note: str | None = None,
        now: dt.datetime | None = None,
    ) -> VettingCase:
        return await decide.countersign(self, actor, case_id, agree=agree, note=note, now=now)

    async def record_check_outcome(
        self,
        actor: Actor,
        case_id: UUID,
        check_id: str,
        satisfied: bool,
        note: str,
        document_id: UUID | None = None,
        *,
        now: dt.datetime | None = None,
    ) -> VettingCase:
        return await check_evidence.record_check_outcome(
            self, actor, case_id, check_id, satisfied, note, document_id, now=now
        )

    async def rerun_checks(self, case: VettingCase, actor: Actor) -> None:
        await organisation_review.rerun_checks(self, case, actor)

    async def provide_information(
        self, token: str, response: str, dates_of_birth: Mapping[str, dt.date] | None = None
    ) -> VettingCase:
        return await hirer_actions.provide_information(self, token, response, dates_of_birth)

    async def ask_birth_dates(
        self,
        actor: Actor,
        case_id: UUID,
        names: Sequence[str],
        note: str | None = None,
        *,
        expected_revision: int | None = None,
    ) -> VettingCase:
        return await birth_dates.ask_birth_dates(
            self, actor, case_id, names, note, expected_revision=expected_revision
        )

    async def accept_conditions(self, token: str, *, now: dt.datetime | None = None) -> VettingCase:
        return await hirer_actions.accept_conditions(self, token, now=now)

    async def withdraw(self, token: str, *, now: dt.datetime | None = None) -> VettingCase:
        return await hirer_actions.withdraw(self, token, now=now)

    async def hirer_dates(self, token: str) -> list[hirer_dates.HirerDate]:
        return await hirer_dates.hirer_dates(self, token)

    async def date_withdrawal_terms(self, token: str, occurrence_id: UUID) -> dict[str, Any]:
        return await hirer_dates.withdrawal_terms(self, token, occurrence_id)

    async def withdraw_date(self, token: str, occurrence_id: UUID) -> VettingCase:
        return await hirer_dates.withdraw_date(self, token, occurrence_id)

    async def cancel_date(
        self, actor: Actor, case_id: UUID, occurrence_id: UUID, *, reason: date_changes.ReasonGiven
    ) -> VettingCase:
        return await date_changes.cancel_date(self, actor, case_id, occurrence_id, reason=reason)

    async def date_choice(self, actor: Actor, case_id: UUID, occurrence_id: UUID) -> date_changes.DateChoice:
        return await date_changes.date_choice(self, actor, case_id, occurrence_id)

    async def cancel_rest(
        self, actor: Actor, case_id: UUID, occurrence_id: UUID, *, reason: date_changes.ReasonGiven
    ) -> VettingCase:
        return await date_changes.cancel_rest(self, actor, case_id, occurrence_id, reason=reason)

    async def move_date(
        self,
        actor: Actor,
        case_id: UUID,
        occurrence_id: UUID,
        start: dt.datetime,
        end: dt.datetime,
        *,
        reason: date_changes.ReasonGiven,
    ) -> VettingCase:
        return await date_changes.move_date(self, actor, case_id, occurrence_id, start, end, reason=reason)

    async def recover_link(self, reference: str, email: str) -> bool:
        return await link_recovery.recover_link(self, reference, email)

    async def revoke_other_links(self, token: str) -> int:
        return await link_recovery.revoke_other_links(self, token)

    async def cancel(
        self,
        actor: Actor,
        case_id: UUID,
        reason_code: str | None,
        reason: str,
        *,
        now: dt.datetime | None = None,
    ) -> VettingCase:
        return await cancel.cancel(self, actor, case_id, reason_code, reason, now=now)

    async def appeal(self, token: str, grounds: str, *, now: dt.datetime | None = None) -> VettingCase:
        return await appeals.appeal(self, token, grounds, now=now)

    async def appeal_deciders(self, case_id: UUID) -> appeals.AppealDeciders:
        return await appeals.appeal_deciders(self, case_id)

    async def decide_appeal(
        self,
        actor: Actor,
        case_id: UUID,
        outcome: str,
        reason: str,
        conditions: list[dict[str, Any]] | None = None,
        *,
        now: dt.datetime | None = None,
    ) -> VettingCase:
        return await appeals.decide_appeal(self, actor, case_id, outcome, reason, conditions, now=now)


__all__ = ["DecisionInput", "Submitted", "Workflow"]
