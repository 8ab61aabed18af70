"""Public pages that explain rather than ask: a policy's conditions of hire, read from the policy
file the booking form declares against, and the accessibility statement."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from api.auth.actor import PUBLIC, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, page
from api.web.i18n import N_, current_language
from policies import bundled_policy, bundled_policy_ids
from policies.welsh import in_language

# When the accessibility statement was written and the service last tested as it describes
# (fixed dates, changed by hand when the statement is reviewed).
STATEMENT_PREPARED = dt.date(2026, 12, 6)
LAST_TESTED = dt.date(2026, 12, 6)


class PublicInfoController(Controller):
    path = "/"
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/conditions/{policy_id:str}", opt=roles(PUBLIC), name="conditions_of_hire")
    async def conditions(self, request: AnyRequest, policy_id: str) -> Template:
        if policy_id not in bundled_policy_ids():
            raise NotFoundException("No such conditions of hire")
        policy = in_language(bundled_policy(policy_id), current_language())
        return page(request, "conditions.html", {"title": policy.title, "policy": policy})

    @get("/accessibility", opt=roles(PUBLIC), name="accessibility_statement")
    async def accessibility(self, request: AnyRequest) -> Template:
        return page(
            request,
            "accessibility.html",
            {
                "title": N_("Accessibility statement for Book a council room"),
                "prepared": STATEMENT_PREPARED,
                "last_tested": LAST_TESTED,
            },
        )


__all__ = ["PublicInfoController"]
