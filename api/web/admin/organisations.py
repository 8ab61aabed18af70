"""Service administrators' organisation pages: councils and partners, created and edited.

Only an administrator of the whole service (no organisation of their own) reaches these pages;
an organisation's own administrator gets "page not found", as for anything of another
organisation's (they manage their staff and venues on the users and venues pages).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, roles
from api.schemas.organisations import OrganisationIn
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from api.web.officer.page_helpers import form_text, validate_form
from casework.message_catalogue import HIRER, KINDS
from casework.messages import DEFAULTS, MESSAGE_NAMES
from policies import bundled_policy_ids
from vetting.actors import Actor
from vetting.errors import Conflict, Invalid
from vetting.provider_admin import (
    ProviderFields,
    create_provider,
    update_provider,
)
from vetting.provider_directory import get_provider, list_providers
from vetting.providers import Provider, ProviderKind

TEXT_FIELDS = ("name", "kind", "slug", "contact_email", "contact_phone", "logo_url", "colour", "base_url")
KIND_LABELS = {k.value: k.value.replace("_", " ").capitalize() for k in ProviderKind}
MESSAGE_LABELS = {
    k.name: f"{k.label} ({'to the hirer' if k.audience == HIRER else 'to staff'})" for k in KINDS
}


def _only_service_admin(staff: Actor) -> None:
    if not staff.is_service_admin:
        raise NotFoundException()


def _values_of(provider: Provider) -> dict[str, Any]:
    values: dict[str, Any] = {k: getattr(provider, k, "") or "" for k in TEXT_FIELDS}
    values["policy_ids"] = list(provider.policy_ids)
    values["active"] = provider.active
    for name, parts in (provider.message_templates or {}).items():
        for part in ("subject", "body"):
            values[f"tpl-{name}-{part}"] = parts.get(part, "")
    return values


def _values_from(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {k: form_text(form, k) for k in TEXT_FIELDS}
    values["policy_ids"] = list(form.getall("policy_ids")) if "policy_ids" in form else []
    values["active"] = form_text(form, "active") == "yes"
    for name in MESSAGE_NAMES:
        for part in ("subject", "body"):
            values[f"tpl-{name}-{part}"] = form_text(form, f"tpl-{name}-{part}")
    return values


def _checked(values: dict[str, Any]) -> tuple[ProviderFields | None, dict[str, str]]:
    templates = {
        name: {part: values[f"tpl-{name}-{part}"] or None for part in ("subject", "body")}
        for name in MESSAGE_NAMES
        if values[f"tpl-{name}-subject"] or values[f"tpl-{name}-body"]
    }
    data, problems = validate_form(
        OrganisationIn,
        {
            "name": values["name"],
            "kind": values["kind"],
            "contact_email": values["contact_email"] or None,
            "contact_phone": values["contact_phone"] or None,
            "logo_url": values["logo_url"] or None,
            "colour": values["colour"] or None,
            "base_url": values["base_url"] or None,
            "policy_ids": values["policy_ids"],
            "message_templates": templates,
            "active": values["active"],
        },
    )
    if data is None:
        return None, {_field_id(k): v for k, v in problems.items()}
    return (
        ProviderFields(
            name=data.name,
            kind=data.kind.value,
            contact_email=data.contact_email,
            contact_phone=data.contact_phone,
            logo_url=data.logo_url,
            colour=data.colour,
            base_url=data.base_url,
            policy_ids=data.policy_ids,
            message_templates=data.templates_json(),
            active=data.active,
        ),
        {},
    )


def _field_id(key: str) -> str:
    head = key.split(".", 1)[0]
    if head == "message_templates":
        return "message-templates"
    return head.replace("_", "-")


class AdminOrganisationsController(Controller):
    path = "/officer/organisations"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _list_page(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "admin_organisations.html",
            {
                "providers": await list_providers(db_session),
                **_form_context(values or {"active": True, "policy_ids": []}, errors),
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get("/", opt=roles(*ADMIN), name="admin_organisations")
    async def organisations(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template:
        _only_service_admin(staff)
        return await self._list_page(request, db_session)

    @post("/", opt={**roles(*ADMIN), "audit": ("provider", "create", None)})
    async def create(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        _only_service_admin(staff)
        values = _values_from(await request.form())
        data, errors = _checked(values)
        if data is not None:
            try:
                provider = await create_provider(db_session, staff, data, slug=values["slug"] or None)
                provider_id = provider.id
                await db_session.commit()
                return redirect(f"/officer/organisations/{provider_id}?done=created")
            except (Invalid, Conflict) as exc:
                await db_session.rollback()
                errors = _domain_errors(exc)
        return await self._list_page(request, db_session, errors=errors, values=values, status_code=400)

    async def _edit_page(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        provider_id: UUID,
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        provider = await get_provider(db_session, provider_id)
        return page(
            request,
            "admin_organisation.html",
            {
                "provider": provider,
                **_form_context(values or _values_of(provider), errors),
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get("/{provider_id:uuid}", opt=roles(*ADMIN), name="admin_organisation")
    async def organisation(
        self, request: AnyRequest, provider_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template:
        _only_service_admin(staff)
        return await self._edit_page(request, db_session, provider_id)

    @post("/{provider_id:uuid}", opt={**roles(*ADMIN), "audit": ("provider", "update", "provider_id")})
    async def update(
        self, request: AnyRequest, provider_id: UUID, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        _only_service_admin(staff)
        await get_provider(db_session, provider_id)  # 404 before reading the form's values
        values = _values_from(await request.form())
        data, errors = _checked(values)
        if data is not None:
            try:
                await update_provider(db_session, staff, provider_id, data)
                await db_session.commit()
                return redirect(f"/officer/organisations/{provider_id}?done=saved")
            except Invalid as exc:
                await db_session.rollback()
                errors = _domain_errors(exc)
        return await self._edit_page(
            request, db_session, provider_id, errors=errors, values=values, status_code=400
        )


def _domain_errors(exc: Invalid | Conflict) -> dict[str, str]:
    if isinstance(exc, Conflict):
        return {"slug": exc.message}
    return {_field_id(k): v for k, v in exc.errors.items()} or {"name": exc.message}


def _form_context(values: dict[str, Any], errors: dict[str, str] | None) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors or {},
        "kinds": list(KIND_LABELS.items()),
        "policies": bundled_policy_ids(),
        "messages": [
            (name, MESSAGE_LABELS.get(name, name), DEFAULTS[name][0], DEFAULTS[name][1], DEFAULTS[name][2])
            for name in MESSAGE_NAMES
        ],
    }
