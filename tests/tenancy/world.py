"""Two organisations, each with everything a route can name by id (invented names only).

Every text of an organisation carries its marker word (its name's first word), so a page or an
answer of the other organisation can be searched for it; `ids` holds every id of its objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from advanced_alchemy.types.file_object import FileObject, storages
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.models import ApiToken, User
from tests import factories as f
from tests.security.helpers import approve, submit
from venues.charges.models import Invoice, Payment
from venues.models import Booking, Closure, Occurrence, RoomPhoto
from vetting.actors import Actor
from vetting.documents import DOCUMENT_STORAGE_KEY, CaseDocument
from vetting.flagged import add_entry
from vetting.models import FlaggedEntry, ScreeningMatch, VettingCase
from vetting.outbox_models import DEAD, OutboxMessage
from vetting.providers import Partnership, PartnershipMember, Provider, SharingAgreement

Client = AsyncTestClient[Litestar]


@dataclass
class Org:
    """One council or partner and its objects; `ids` names each object a route takes."""

    marker: str
    provider: Provider
    staff: dict[str, Actor]
    tokens: dict[str, str]
    ids: dict[str, UUID] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    feed_urls: dict[str, str] = field(default_factory=dict)

    def all_ids(self) -> list[str]:
        return [str(v) for v in self.ids.values()]


async def _staff(s: AsyncSession, org: Org, key: str, role: str, **kw: Any) -> None:
    actor, token = await f.make_staff(
        s, role, email=f"{key}@{org.marker.lower()}.example", provider=org.provider, **kw
    )
    org.staff[key], org.tokens[key] = actor, token


async def make_org(engine: AsyncEngine, marker: str, kind: str) -> Org:
    """Venue (two rooms and a room made of both), closure, staff of every role, own flagged entries."""
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        provider = await f.make_provider(s, f"{marker} {'Council' if kind == 'council' else 'Trust'}", kind)
        org = Org(marker, provider, {}, {})
        venue = await f.make_venue(s, f"{marker} Hall", owner_kind=kind, owner_name=provider.name)
        room = await f.make_room(s, venue, f"{marker} Room One")
        room2 = await f.make_room(s, venue, f"{marker} Room Two")
        both = await f.make_room(s, venue, f"{marker} Whole Floor", parts=[room.id, room2.id])
        closure = Closure(
            venue_id=venue.id,
            room_id=room2.id,
            start_date=dt.date.today() + dt.timedelta(days=200),
            end_date=dt.date.today() + dt.timedelta(days=201),
            reason=f"{marker} repairs",
        )
        s.add(closure)
        for key, role in (
            ("officer", "officer"),
            ("officer2", "officer"),
            ("admin", "admin"),
            ("spare", "officer"),
        ):
            await _staff(s, org, key, role)
        await _staff(s, org, "manager", "venue_manager", venue_ids=[venue.id])
        entries = []
        for n in (1, 2):
            entry = await add_entry(
                s, org.staff["officer"], kind="person", name=f"Quill {marker}{'' if n == 1 else ' Junior'}",
                aliases=[], reason="invented for an isolation test",
            )  # fmt: skip
            # The organisation's own addition (vetting/flagged.py may set this itself).
            entry.provider_id = provider.id
            entries.append(entry)
        await s.commit()
        spare_token = (
            await s.execute(select(ApiToken.id).where(ApiToken.user_id == org.staff["spare"].id))
        ).scalar_one()
    spare_user = org.staff["spare"].id
    assert spare_user is not None
    org.ids.update(
        provider=provider.id,
        venue_id=venue.id,
        room_id=room.id,
        room2=room2.id,
        composite=both.id,
        closure=closure.id,
        entry_id=entries[0].id,
        entry2=entries[1].id,
        user_id=spare_user,
        token_id=spare_token,
    )
    for key, actor in org.staff.items():
        assert actor.id is not None
        org.ids[f"staff_{key}"] = actor.id
    return org


async def add_cases(client: Client, engine: AsyncEngine, org: Org, weeks_ahead: int) -> None:
    """A case referred by a match on the organisation's own entry, and an approved one."""
    contact = {
        "name": f"Robin {org.marker}",
        "email": f"robin@{org.marker.lower()}.example",
        "phone": "07700 900123",
    }
    referred = await submit(
        client, org.ids["room_id"], weeks_ahead=weeks_ahead, organisation=f"{org.marker} Chess Club",
        people=[{"name": f"Quill {org.marker}", "role": "speaker"}], contact=contact,
    )  # fmt: skip
    approved = await submit(
        client, org.ids["room2"], weeks_ahead=weeks_ahead, organisation=f"{org.marker} Choir",
        contact=contact,
    )  # fmt: skip
    await approve(client, org.tokens["officer"], approved["id"])
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        for key, made in (("case_id", referred), ("approved_case", approved)):
            case = await s.get(VettingCase, UUID(made["id"]))
            assert case is not None and case.provider_id == org.provider.id
            org.ids[key] = case.id
            org.ids[f"organisation_{key}"] = case.organisation_id
            org.references.append(case.reference)
        org.ids["organisation_id"] = org.ids["organisation_case_id"]
        booking = (
            await s.execute(select(Booking).where(Booking.case_id == org.ids["approved_case"]))
        ).scalar_one()
        org.ids["booking"] = booking.id
        occurrence = (
            (await s.execute(select(Occurrence.id).where(Occurrence.booking_id == booking.id)))
            .scalars()
            .first()
        )
        assert occurrence is not None
        org.ids["occurrence_id"] = occurrence
        match = (
            (await s.execute(select(ScreeningMatch).where(ScreeningMatch.case_id == org.ids["case_id"])))
            .scalars()
            .first()
        )
        assert match is not None, "the organisation's own entry did not match its own case"
        org.ids["match_id"] = match.id
        # A message of the case turned into a dead letter, for the outbox page's Retry button.
        message = (
            (await s.execute(select(OutboxMessage).where(OutboxMessage.case_id == org.ids["case_id"])))
            .scalars()
            .first()
        )
        assert message is not None
        message.status = DEAD
        org.ids["message_id"] = message.id
        org.ids["document_id"] = await _document(s, org.ids["case_id"], org.ids["organisation_case_id"])
        org.ids["payment_id"] = await _payment(s, org.ids["case_id"], org.provider.id, org.marker)
        # A photo of the room for the public directory (issue 18); its description names the
        # organisation, so a list that shows another organisation's photo is caught.
        photo = RoomPhoto(
            room_id=org.ids["room_id"], content=b"\xff\xd8", width=1, height=1, alt_text=f"{org.marker} hall"
        )
        s.add(photo)
        await s.flush()
        org.ids["photo_id"] = photo.id
        await s.commit()
        entry = await s.get(FlaggedEntry, org.ids["entry_id"])
        assert entry is not None and entry.provider_id == org.provider.id


async def _payment(s: AsyncSession, case_id: UUID, provider_id: UUID, marker: str) -> UUID:
    """An invoice of the case with a payment made at the desk, for the refund routes (issue 19)."""
    today = dt.date.today()
    invoice = Invoice(
        issuer=str(provider_id),
        seq=1,
        number="INV-000001",
        case_id=case_id,
        issuer_name=f"{marker} Council",
        hirer_name=f"{marker} Group",
        hirer_address="",
        reference="R",
        venue_name=f"{marker} Hall",
        room_name="Room",
        issued_on=today,
        due_on=today,
        rate_card_id="council-halls",
        rate_card_version=1,
        category_label="Community or voluntary group",
        lines=[],
        net_pence=1000,
        vat_pence=0,
        gross_pence=1000,
        deposit_pence=0,
        payment_instructions="",
    )
    s.add(invoice)
    await s.flush()
    payment = Payment(
        invoice_id=invoice.id, method="bacs", amount_pence=1000, status="success", received_on=today
    )
    s.add(payment)
    await s.flush()
    return payment.id


async def _document(s: AsyncSession, case_id: UUID, organisation_id: UUID) -> UUID:
    """A document of the case, its file in the app's documents store (registered by create_app)."""
    backend = storages.get_backend(DOCUMENT_STORAGE_KEY)
    file = FileObject(backend=backend, filename=uuid4().hex, content_type="application/pdf")
    file = await backend.save_object_async(file, b"%PDF-1.4\n%%EOF\n")
    document = CaseDocument(
        case_id=case_id, organisation_id=organisation_id, check="insurance", kind="insurance_certificate",
        original_name="certificate.pdf", content_type="application/pdf", size=15, sha256="0" * 64,
        file=file, scan_state="not_scanned", review_state="submitted", uploaded_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    s.add(document)
    await s.flush()
    return document.id


async def add_feeds(client: Client, org: Org) -> None:
    """One feed of the venue manager's (API routes) and one of the officer's (pages)."""
    from tests.factories import bearer

    for key, who, body in (
        ("feed_id", "manager", {"venue_id": str(org.ids["venue_id"])}),
        ("feed2", "officer", {"room_id": str(org.ids["room_id"])}),
        ("feed3", "officer", {"decisions_due": True}),
    ):
        made = await client.post("/api/v1/feeds", json=body, headers=bearer(org.tokens[who]))
        assert made.status_code == 201, made.text
        org.ids[key] = UUID(made.json()["id"])
        org.feed_urls[key] = made.json()["url"]


async def build_world(client: Client, engine: AsyncEngine) -> tuple[Org, Org]:
    a = await make_org(engine, "Ashcombe", "council")
    b = await make_org(engine, "Zyxford", "partner")
    await add_cases(client, engine, a, weeks_ahead=4)
    await add_cases(client, engine, b, weeks_ahead=5)
    await add_feeds(client, a)
    await add_feeds(client, b)
    await add_partnership(engine, b)
    return a, b


async def add_partnership(engine: AsyncEngine, org: Org) -> None:
    """A partnership `org` leads alone, with an agreement in force (rows made directly: a
    partnership is led by a council, and the matrix only needs one `org` manages)."""
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        partnership = Partnership(
            id=uuid4(), name=f"{org.marker} Partnership", lead_provider_id=org.provider.id
        )
        s.add(partnership)
        await s.flush()
        s.add(PartnershipMember(partnership_id=partnership.id, provider_id=org.provider.id))
        agreement = SharingAgreement(
            id=uuid4(),
            partnership_id=partnership.id,
            reference=f"{org.marker.upper()}-ISA-1",
            review_date=dt.date(2099, 1, 1),
            shares_flagged=True,
            shares_findings=True,
            recorded_by=f"{org.marker} admin",
        )
        s.add(agreement)
        await s.commit()
    org.ids |= {
        "provider_id": org.provider.id,
        "partnership_id": partnership.id,
        "agreement_id": agreement.id,
    }


async def user_email(engine: AsyncEngine, user_id: UUID) -> str:
    async with async_sessionmaker(engine)() as s:
        return str((await s.execute(select(User.email).where(User.id == user_id))).scalar_one())
