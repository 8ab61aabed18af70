"""outbox: messages written with the change that causes them, and the record of scheduled work

Issue 16: every message is a row of `outbox_message`, written in the transaction of the change
that causes it and delivered afterwards (retries, dead letters, the case's message history);
`scheduled_run` records which periodic or requested job ran for which period, once.

Revision ID: c16a00000006
Revises: b24e00000005
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "c16a00000006"
down_revision = "b24e00000005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_message',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('provider_id', GUID(length=16), nullable=True),
    sa.Column('case_id', GUID(length=16), nullable=True),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('template', sa.String(length=60), nullable=True),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('dedupe_key', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('lease_expires_at', DateTimeUTC(timezone=True), nullable=True),
    sa.Column('provider_message_id', sa.String(length=200), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('sent_at', DateTimeUTC(timezone=True), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['vetting_case.id'], name=op.f('fk_outbox_message_case_id_vetting_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('dedupe_key', name='uq_outbox_message_dedupe_key')
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)

    op.create_table('scheduled_run',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('job', sa.String(length=80), nullable=False),
    sa.Column('period', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('finished_at', DateTimeUTC(timezone=True), nullable=True),
    sa.Column('result', sa.Integer(), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduled_run')),
    sa.UniqueConstraint('job', 'period', name='uq_scheduled_run_job_period')
    )
    with op.batch_alter_table('scheduled_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheduled_run_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('scheduled_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheduled_run_status'))
    op.drop_table('scheduled_run')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_due')
        batch_op.drop_index(batch_op.f('ix_outbox_message_case_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_provider_id'))
    op.drop_table('outbox_message')
