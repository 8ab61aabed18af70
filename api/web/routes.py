"""Server-rendered pages (booking form, status page, officer console, venue manager pages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from api.auth.actor import PUBLIC, roles
from api.web.account_pages import AccountController
from api.web.admin.messages import AdminMessagesController
from api.web.admin.organisations import AdminOrganisationsController
from api.web.admin.outbox import AdminOutboxController
from api.web.admin.partnerships import AdminPartnershipsController
from api.web.admin.users import AdminUsersController
from api.web.admin_tokens import AdminTokensController
from api.web.alert_pages import AlertPreferencesController
from api.web.booking import BookingController
from api.web.booking.documents import BookingDocumentsController
from api.web.branding import branding_css
from api.web.charges_pages import HirerInvoiceController, OfficerInvoiceController
from api.web.directory import DirectoryController
from api.web.i18n import gettext, ngettext, translate
from api.web.login_pages import LoginController
from api.web.lost_link import LostLinkController
from api.web.manager import ManagerController
from api.web.manager_cases import ManagerCasesController
from api.web.manager_grid import ManagerGridController
from api.web.officer.birth_dates import OfficerBirthDatesController
from api.web.officer.cases import OfficerCasesController
from api.web.officer.check_evidence import OfficerCheckEvidenceController
from api.web.officer.date_changes import OfficerDateChangesController
from api.web.officer.documents import OfficerDocumentsController
from api.web.officer.flagged import OfficerFlaggedController
from api.web.officer.oversight import OfficerOversightController
from api.web.officer.queue import OfficerQueueController
from api.web.officer.reports import OfficerReportsController
from api.web.officer.room_photos import RoomPhotosController
from api.web.officer.venue_edit import OfficerVenueEditController
from api.web.officer.venues import OfficerVenuesController
from api.web.pay_pages import PayController, PayWebhookController
from api.web.public_info import PublicInfoController
from api.web.readable import register as register_readable
from api.web.status import StatusController
from api.web.status_dates import HirerDateController
from api.web.status_documents import StatusDocumentsController

HERE = Path(__file__).resolve().parent.parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def web_handlers() -> list[Any]:
    """Route handlers and controllers of the pages; all carry a roles declaration."""
    return [
        BookingController,
        BookingDocumentsController,
        DirectoryController,
        PublicInfoController,
        StatusController,
        StatusDocumentsController,
        LostLinkController,
        LoginController,
        AccountController,
        AlertPreferencesController,
        OfficerQueueController,
        OfficerCasesController,
        OfficerDateChangesController,
        OfficerCheckEvidenceController,
        OfficerBirthDatesController,
        OfficerDocumentsController,
        OfficerInvoiceController,
        HirerInvoiceController,
        HirerDateController,
        PayController,
        PayWebhookController,
        OfficerFlaggedController,
        OfficerOversightController,
        OfficerReportsController,
        OfficerVenuesController,
        OfficerVenueEditController,
        RoomPhotosController,
        AdminUsersController,
        AdminOrganisationsController,
        AdminMessagesController,
        AdminOutboxController,
        branding_css,
        AdminPartnershipsController,
        AdminTokensController,
        ManagerController,
        ManagerGridController,
        ManagerCasesController,
        create_static_files_router(
            path="/static",
            directories=[STATIC],
            opt=roles(PUBLIC),
            cache_control=CacheControlHeader(max_age=3600, public=True),
            include_in_schema=False,
        ),
    ]


def _engine_callback(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    # The GOV.UK Design System's component macros, imported in templates as
    # "govuk_frontend_jinja/components/<name>/macro.html" (package govuk-frontend-jinja).
    assert env.loader is not None
    env.loader = ChoiceLoader(
        [env.loader, PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    )
    # `{% trans %}` and `_()` read the request's language (api/web/i18n.py) at render time.
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]  # added by the i18n extension
    env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them: whitespace folded
    # `|tr`: a label made in Python (a table marked with N_) in the reader's language; unlike `_()`
    # it never %-formats, so text that is not a msgid (a room called "100% Hall") passes unharmed.
    env.filters["tr"] = translate
    env.trim_blocks = True
    env.lstrip_blocks = True
    # Templates ship with the code: checking each one's file on disk at every render (about 90
    # checks for the reports page) bought nothing but time. A server restart picks up edits.
    env.auto_reload = False
    env.filters["list_zip"] = lambda keys, labels: list(zip(keys, labels, strict=True))
    register_readable(env)


def template_config() -> Any | None:
    """The Jinja template configuration (autoescaping on)."""
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_engine_callback)
