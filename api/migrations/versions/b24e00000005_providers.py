"""providers: councils and partners as tenants

Councils and partner organisations become tenants (issue 24): a `provider` owns venues, staff,
cases, applicant records, feeds and its own flagged-list additions; partnerships and their
sharing agreements are recorded. Existing data moves into one provider per distinct venue owner
name, without loss:

* each venue goes to the provider of its `owner_name` ("council" owners become a council,
  others a charity-run partner; an administrator can correct the kind afterwards);
* each case goes to the provider of its booking's venue;
* an applicant organisation with cases at several providers is copied, one record per provider,
  and each provider's cases are filed under its own copy (clearance is not shared silently);
* venue managers go to the provider of their venues, officers to the first council provider
  (or the only provider), administrators stay service administrators (no provider);
* feeds go with their owner; flagged entries and past audit records stay service-wide;
* screening clearances ("not the same") become the default provider's, and are unique per
  provider from now on.

Revision ID: b24e00000005
Revises: a07b00000004
Create Date: 2026-12-06 05:50:00
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "b24e00000005"
down_revision = "a07b00000004"
branch_labels = None
depends_on = None

_G = GUID(length=16)


def upgrade() -> None:
    op.create_table('provider',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('contact_email', sa.String(length=200), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('logo_url', sa.String(length=300), nullable=True),
    sa.Column('colour', sa.String(length=7), nullable=True),
    sa.Column('base_url', sa.String(length=300), nullable=True),
    sa.Column('policy_ids', JsonB, nullable=False),
    sa.Column('message_templates', JsonB, nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider')),
    sa.UniqueConstraint('slug', name=op.f('uq_provider_slug'))
    )
    op.create_table('partnership',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('lead_provider_id', GUID(length=16), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lead_provider_id'], ['provider.id'], name=op.f('fk_partnership_lead_provider_id_provider'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership'))
    )
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_lead_provider_id'), ['lead_provider_id'], unique=False)

    op.create_table('partnership_member',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('partnership_id', GUID(length=16), nullable=False),
    sa.Column('provider_id', GUID(length=16), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_partnership_member_partnership_id_partnership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_partnership_member_provider_id_provider'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_member')),
    sa.UniqueConstraint('partnership_id', 'provider_id', name='uq_partnership_member')
    )
    with op.batch_alter_table('partnership_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_member_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_member_provider_id'), ['provider_id'], unique=False)

    op.create_table('sharing_agreement',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('partnership_id', GUID(length=16), nullable=False),
    sa.Column('reference', sa.String(length=80), nullable=False),
    sa.Column('review_date', sa.Date(), nullable=False),
    sa.Column('shares_flagged', sa.Boolean(), nullable=False),
    sa.Column('shares_findings', sa.Boolean(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('withdrawn_at', DateTimeUTC(timezone=True), nullable=True),
    sa.Column('withdrawn_by', sa.String(length=200), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_sharing_agreement_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sharing_agreement'))
    )
    with op.batch_alter_table('sharing_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sharing_agreement_partnership_id'), ['partnership_id'], unique=False)

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_id', GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_app_user_provider_id'), ['provider_id'], unique=False)

    with op.batch_alter_table('audit_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_id', GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_record_provider_id'), ['provider_id'], unique=False)

    with op.batch_alter_table('feed', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_id', GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_feed_provider_id'), ['provider_id'], unique=False)

    with op.batch_alter_table('flagged_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_id', GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_flagged_entry_provider_id'), ['provider_id'], unique=False)

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_id', GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_organisation_provider_id'), ['provider_id'], unique=False)

    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_id', GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_venue_provider_id'), ['provider_id'], unique=False)

    with op.batch_alter_table('vetting_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_id', GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_vetting_case_provider_id'), ['provider_id'], unique=False)
    with op.batch_alter_table("screening_clearance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_id", GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f("ix_screening_clearance_provider_id"), ["provider_id"], unique=False)
    _move_existing_data(op.get_bind())
    # Rebuilt on SQLite, which is safe here: no table refers to screening_clearance.
    with op.batch_alter_table("screening_clearance", schema=None) as batch_op:
        batch_op.drop_constraint("uq_screening_clearance_pair", type_="unique")
        batch_op.create_unique_constraint(
            "uq_screening_clearance_pair", ["provider_id", "name_key", "entry_id", "entry_hash"]
        )


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50] or "provider"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _move_existing_data(conn: sa.Connection) -> None:
    now = dt.datetime.now(dt.UTC)
    provider = sa.table(
        "provider",
        *(sa.column(c, _G) for c in ("id",)),
        *(sa.column(c) for c in ("slug", "name", "kind", "contact_email", "active")),
        sa.column("policy_ids", JsonB),
        sa.column("message_templates", JsonB),
        sa.column("created_at", DateTimeUTC(timezone=True)),
        sa.column("updated_at", DateTimeUTC(timezone=True)),
    )
    venue = sa.table(
        "venue", sa.column("id", _G), sa.column("provider_id", _G), sa.column("owner_name"),
        sa.column("owner_kind"), sa.column("contact_email"),
    )
    room = sa.table("room", sa.column("id", _G), sa.column("venue_id", _G))
    booking = sa.table("booking", sa.column("case_id", _G), sa.column("room_id", _G))
    case = sa.table(
        "vetting_case", sa.column("id", _G), sa.column("provider_id", _G),
        sa.column("organisation_id", _G), sa.column("linked_organisation_id", _G),
    )
    user = sa.table("app_user", sa.column("id", _G), sa.column("role"), sa.column("provider_id", _G))
    user_venue = sa.table("user_venue", sa.column("user_id", _G), sa.column("venue_id", _G))
    feed = sa.table("feed", sa.column("owner_id", _G), sa.column("provider_id", _G))

    owners: dict[str, uuid.UUID] = {}
    council_ids: list[uuid.UUID] = []
    taken: set[str] = set()
    venues = conn.execute(
        sa.select(venue.c.id, venue.c.owner_name, venue.c.owner_kind, venue.c.contact_email).order_by(
            venue.c.owner_name
        )
    ).all()
    for v in venues:
        if v.owner_name not in owners:
            pid = uuid.uuid4()
            kind = "unitary_council" if v.owner_kind == "council" else "charity"
            conn.execute(
                provider.insert().values(
                    id=pid, slug=_slug(v.owner_name, taken), name=v.owner_name, kind=kind,
                    contact_email=v.contact_email, active=True, policy_ids=[], message_templates={},
                    created_at=now, updated_at=now,
                )
            )
            owners[v.owner_name] = pid
            if v.owner_kind == "council":
                council_ids.append(pid)
        conn.execute(venue.update().where(venue.c.id == v.id).values(provider_id=owners[v.owner_name]))
    if not owners:
        return  # a database with no venues has nothing to move
    venue_provider = {v.id: owners[v.owner_name] for v in venues}
    room_provider = {r.id: venue_provider[r.venue_id] for r in conn.execute(sa.select(room)).all()}
    default = council_ids[0] if council_ids else next(iter(owners.values()))

    case_provider = {b.case_id: room_provider[b.room_id] for b in conn.execute(sa.select(booking)).all()}
    _move_cases_and_organisations(conn, case, case_provider, default)

    managed = {
        row.user_id: venue_provider[row.venue_id]
        for row in conn.execute(sa.select(user_venue).order_by(user_venue.c.venue_id)).all()
    }
    for u in conn.execute(sa.select(user.c.id, user.c.role)).all():
        if u.role == "admin":
            continue
        pid = managed.get(u.id, default) if u.role == "venue_manager" else default
        conn.execute(user.update().where(user.c.id == u.id).values(provider_id=pid))
        conn.execute(feed.update().where(feed.c.owner_id == u.id).values(provider_id=pid))
    # Earlier clearances were the one council's: they go to the default provider.
    clearance = sa.table("screening_clearance", sa.column("provider_id", _G))
    conn.execute(clearance.update().values(provider_id=default))


def _move_cases_and_organisations(
    conn: sa.Connection, case: sa.TableClause, case_provider: dict[uuid.UUID, uuid.UUID], default: uuid.UUID
) -> None:
    org_columns = [
        r["name"] for r in sa.inspect(conn).get_columns("organisation") if r["name"] not in ("id", "provider_id")
    ]
    org = sa.table("organisation", sa.column("id", _G), sa.column("provider_id", _G), *map(sa.column, org_columns))
    copies: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID] = {}  # (organisation, provider) -> record
    rows = conn.execute(
        sa.select(case.c.id, case.c.organisation_id, case.c.linked_organisation_id).order_by(case.c.id)
    ).all()
    for c in rows:
        pid = case_provider.get(c.id, default)
        filed = _record_for(conn, org, copies, c.organisation_id, pid)
        linked = _record_for(conn, org, copies, c.linked_organisation_id, pid) if c.linked_organisation_id else None
        conn.execute(
            case.update().where(case.c.id == c.id).values(
                provider_id=pid, organisation_id=filed, linked_organisation_id=linked
            )
        )
    # Organisations with no case yet go to the default provider; breaches stay with the record
    # they were recorded against (the first provider's).
    conn.execute(org.update().where(org.c.provider_id.is_(None)).values(provider_id=default))


def _record_for(
    conn: sa.Connection,
    org: sa.TableClause,
    copies: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID],
    organisation_id: uuid.UUID,
    provider_id: uuid.UUID,
) -> uuid.UUID:
    """The organisation record a provider's cases are filed under: the row itself the first time
    it is met, a copy for every further provider."""
    key = (organisation_id, provider_id)
    if key in copies:
        return copies[key]
    row = conn.execute(sa.select(org).where(org.c.id == organisation_id)).mappings().one()
    if row["provider_id"] is None:
        conn.execute(org.update().where(org.c.id == organisation_id).values(provider_id=provider_id))
        copies[key] = organisation_id
    elif row["provider_id"] == provider_id:
        copies[key] = organisation_id
    else:
        new_id = uuid.uuid4()
        conn.execute(org.insert().values({**row, "id": new_id, "provider_id": provider_id}))
        copies[key] = new_id
    return copies[key]


def downgrade() -> None:
    with op.batch_alter_table("screening_clearance", schema=None) as batch_op:
        batch_op.drop_constraint("uq_screening_clearance_pair", type_="unique")
        batch_op.create_unique_constraint("uq_screening_clearance_pair", ["name_key", "entry_id", "entry_hash"])
        batch_op.drop_index(batch_op.f("ix_screening_clearance_provider_id"))
        batch_op.drop_column("provider_id")
    for table in ("vetting_case", "venue", "organisation", "flagged_entry", "feed", "audit_record", "app_user"):
        op.drop_index(f"ix_{table}_provider_id", table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("provider_id")
    op.drop_table("sharing_agreement")
    op.drop_table("partnership_member")
    op.drop_table("partnership")
    op.drop_table("provider")
