"""/admin/messages: every message previewed with sample data, for administrators only, in the
words of the administrator's own organisation."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import create_app
from api.settings import Settings
from casework.message_catalogue import KINDS
from casework.message_wording import Message, compose
from tests import factories as f
from tests.messages.mail_capture import client_of
from tests.web.sign_in import sign_in_as


async def test_a_service_administrator_sees_every_message_in_the_default_words(
    app: Litestar, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    async with client_of(app, "https://testserver.local") as web:
        await sign_in_as(web, session, seeded["admin"])
        page = await web.get("/admin/messages")
        assert page.status_code == 200
        for kind in KINDS:
            assert f'id="message-{kind.name}"' in page.text
            assert f'src="/admin/messages/preview?name={kind.name}"' in page.text
        assert "We have your booking request VH-K7QM-3XPT" in page.text  # a subject, with sample data
        # Links use the service's configured address (settings), not the address asked on.
        assert "https://testserver.local/status/SAMPLE-LINK-NOT-REAL" not in page.text
        assert "http://testserver.local/status/SAMPLE-LINK-NOT-REAL" in page.text

        html = await web.get("/admin/messages/preview", params={"name": "approved_with_conditions"})
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
        policy = html.headers["content-security-policy"]
        assert "sandbox" in policy and "script-src" not in policy and "default-src 'none'" in policy
        assert html.headers["x-frame-options"] == "SAMEORIGIN"
        assert 'href="http://testserver.local/status/SAMPLE-LINK-NOT-REAL"' in html.text
        assert "A named steward at the door" in html.text
        assert (await web.get("/admin/messages/preview", params={"name": "nope"})).status_code == 404
        assert (await web.get("/admin/messages/preview")).status_code == 404


async def test_an_organisations_administrator_sees_its_own_words(
    app: Litestar, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    provider = await f.make_provider(session, "Testvale Hall Trust", "partner")
    provider.base_url = "https://rooms.testvale.example"
    provider.message_templates = {"refused": {"subject": "Testvale: about {reference}"}}
    org_admin, _ = await f.make_staff(session, "admin", provider=provider)
    await session.commit()
    async with client_of(app, "https://testserver.local") as web:
        await sign_in_as(web, session, org_admin)
        page = await web.get("/admin/messages")
        assert page.status_code == 200
        assert "Testvale: about VH-K7QM-3XPT" in page.text
        assert "Your organisation&#39;s own" in page.text or "Your organisation's own" in page.text
        assert "https://rooms.testvale.example/status/SAMPLE-LINK-NOT-REAL" in page.text
        # The default subject of the same message is not what this organisation sends.
        default = compose(Message("refused", {"reference": "VH-K7QM-3XPT"})).subject
        assert default not in page.text


async def test_only_administrators_reach_the_previews(
    settings: Settings, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    # A fresh app per client: asyncpg's connections must not move between event loops.
    async with client_of(create_app(settings), "https://testserver.local") as anonymous:
        first = await anonymous.get("/admin/messages", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"].startswith("/login")
        preview = await anonymous.get("/admin/messages/preview?name=submitted", follow_redirects=False)
        assert preview.status_code == 303 and "SAMPLE-LINK" not in preview.text
    for role in ("officer", "manager"):
        async with client_of(create_app(settings), "https://testserver.local") as web:
            await sign_in_as(web, session, seeded[role])
            assert (await web.get("/admin/messages")).status_code == 403
            refused = await web.get("/admin/messages/preview?name=submitted", follow_redirects=False)
            assert refused.status_code == 403 and "SAMPLE-LINK" not in refused.text
