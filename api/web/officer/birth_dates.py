"""The officer's case page: asking the hirer for the date of birth of people with a screening match
(issue 21 item 2; casework/birth_dates.py does the work and says why only those people)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import OFFICERS, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, redirect
from api.web.officer.cases import officer_case_page as _case_page
from api.web.officer.page_helpers import form_text
from casework.birth_dates import askable
from casework.workflow import Workflow
from vetting.actors import Actor
from vetting.errors import Conflict, Invalid


class OfficerBirthDatesController(Controller):
    path = "/officer"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @post(
        "/cases/{case_id:uuid}/birth-dates",
        opt={**roles(*OFFICERS), "audit": ("case", "ask_dates_of_birth", "case_id")},
    )
    async def ask(
        self,
        request: AnyRequest,
        case_id: UUID,
        staff: Actor,
        workflow: Workflow,
        db_session: AsyncSession,
    ) -> Template | Redirect:
        form = await request.form()
        case = await workflow.get_case(case_id)
        # The boxes carry positions in the list the page showed (names make poor element ids).
        people = await askable(workflow.session, case)
        chosen = {str(v) for v in form.getall("people", [])}
        names = [name for i, (name, _role) in enumerate(people) if str(i) in chosen]
        revision = form_text(form, "revision")
        try:
            await workflow.ask_birth_dates(
                staff,
                case_id,
                names,
                form_text(form, "note"),
                expected_revision=int(revision) if revision.isdigit() else None,
            )
            await db_session.commit()
        except Invalid as exc:
            await db_session.rollback()
            key = "birth-note" if "note" in exc.errors else "people"
            shown = "Select whose date of birth to ask for" if key == "people" and not names else exc.message
            return await _case_page(request, staff, workflow, case_id, errors={key: shown}, status_code=400)
        except Conflict as exc:
            await db_session.rollback()
            return await _case_page(request, staff, workflow, case_id, message=exc.message, status_code=409)
        return redirect(f"/officer/cases/{case_id}?done=birth-dates#screening")
