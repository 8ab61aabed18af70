"""Refunds of online payments through GOV.UK Pay, for officers (casework/refunds.py):
``POST /api/v1/applications/{case_id}/payments/{payment_id}/refunds`` asks for one, and
``POST /api/v1/applications/{case_id}/refunds/refresh`` asks GOV.UK Pay how they stand."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, post
from pydantic import StringConstraints

from api.auth.actor import OFFICERS, roles
from api.schemas.common import In, Out, Reason
from api.web.common import AnyRequest, settings_of
from api.web.pay_pages import payment_provider
from casework.charging import local_today
from casework.refunds import refresh_case_refunds, refund_online_payment
from casework.workflow import Workflow
from venues.charges.models import Payment
from vetting.actors import Actor


class RefundIn(In):
    amount: Annotated[str, StringConstraints(max_length=20)]  # pounds, like "48.00"
    reason: Reason


class RefundOut(Out):
    id: UUID
    refund_of: UUID | None
    amount_pence: int  # given back: positive
    status: str  # submitted, success, error
    provider_ref: str | None
    reason: str | None
    refunded_on: str | None


def _out(refund: Payment) -> RefundOut:
    return RefundOut(
        id=refund.id,
        refund_of=refund.refund_of,
        amount_pence=-refund.amount_pence,
        status=refund.status,
        provider_ref=refund.provider_ref,
        reason=refund.reason,
        refunded_on=refund.received_on.isoformat() if refund.received_on else None,
    )


class RefundsController(Controller):
    path = "/api/v1/applications"
    tags = ["payments"]

    @post(
        "/{case_id:uuid}/payments/{payment_id:uuid}/refunds",
        operation_id="refundPayment",
        opt={**roles(*OFFICERS), "audit": ("payment", "refund", "case_id")},
        status_code=201,
    )
    async def refund(
        self,
        request: AnyRequest,
        case_id: UUID,
        payment_id: UUID,
        data: RefundIn,
        staff: Actor,
        workflow: Workflow,
    ) -> RefundOut:
        """Refund part or all of a payment taken through GOV.UK Pay, with a reason. 422 with the
        reason in words when GOV.UK Pay cannot refund it (too soon, already refunded, the amount
        available changed meanwhile) or the amount is more than is left."""
        provider = payment_provider(settings_of(request))
        made = await refund_online_payment(
            workflow,
            provider,
            staff,
            case_id,
            payment_id,
            amount=data.amount,
            reason=data.reason,
            today=local_today(),
        )
        return _out(made)

    @post(
        "/{case_id:uuid}/refunds/refresh",
        operation_id="refreshRefunds",
        opt=roles(*OFFICERS),
        status_code=200,
    )
    async def refresh(
        self, request: AnyRequest, case_id: UUID, staff: Actor, workflow: Workflow
    ) -> list[RefundOut]:
        """The booking's refunds, after asking GOV.UK Pay how those still submitted stand."""
        provider = payment_provider(settings_of(request))
        rows = await refresh_case_refunds(workflow, provider, staff, case_id, today=local_today())
        return [_out(r) for r in rows]
