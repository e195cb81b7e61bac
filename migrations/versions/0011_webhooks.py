"""Webhooks: the webhooks, the outbox of events and their deliveries

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 12:00:00

Expand only: three new tables (their indexes are built while they are empty). Nothing
existing is read or rewritten.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_PENDING = sa.text("status = 'pending'")
_UNDISPATCHED = sa.text('dispatched_at IS NULL')


def _timestamp(name, nullable=True, **kwargs):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, **kwargs)


def upgrade():
    op.create_table(
        'webhooks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=True),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret', sa.String(length=500), nullable=False),
        _timestamp('failing_since'),
        _timestamp('disabled_at'),
        _timestamp('created_at', nullable=False, server_default=sa.func.now()),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_webhooks_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_webhooks_project_id_projects'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks')),
    )
    op.create_index(op.f('ix_webhooks_user_id'), 'webhooks', ['user_id'])
    op.create_index(op.f('ix_webhooks_project_id'), 'webhooks', ['project_id'])

    op.create_table(
        'outbox_events',
        sa.Column('id', _BIG_ID, nullable=False),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=True),
        sa.Column('project_id', sa.Integer(), nullable=True),
        sa.Column('payload', sa.JSON(), nullable=False),
        _timestamp('occurred_at', nullable=False),
        _timestamp('dispatched_at'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_events')),
    )
    op.create_index('ix_outbox_events_undispatched', 'outbox_events', ['id'],
                    postgresql_where=_UNDISPATCHED, sqlite_where=_UNDISPATCHED)

    op.create_table(
        'webhook_deliveries',
        sa.Column('id', _BIG_ID, nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('webhook_id', sa.Integer(), nullable=False),
        sa.Column('event_id', _BIG_ID, nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.Enum('pending', 'delivered', 'failed', name='delivery_status',
                                    native_enum=False, create_constraint=True, length=16),
                  nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_response_code', sa.Integer(), nullable=True),
        _timestamp('last_attempt_at'),
        sa.Column('duration_ms', sa.Integer(), nullable=True),
        _timestamp('next_attempt_at'),
        _timestamp('claimed_until'),
        _timestamp('created_at', nullable=False),
        sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'],
                                name=op.f('fk_webhook_deliveries_webhook_id_webhooks'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['outbox_events.id'],
                                name=op.f('fk_webhook_deliveries_event_id_outbox_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
        sa.UniqueConstraint('uuid', name=op.f('uq_webhook_deliveries_uuid')),
    )
    op.create_index('ix_webhook_deliveries_webhook', 'webhook_deliveries', ['webhook_id', 'id'])
    op.create_index('ix_webhook_deliveries_due', 'webhook_deliveries', ['next_attempt_at'],
                    postgresql_where=_PENDING, sqlite_where=_PENDING)
    op.create_index('ix_webhook_deliveries_task', 'webhook_deliveries',
                    ['webhook_id', 'task_id', 'event_id'],
                    postgresql_where=_PENDING, sqlite_where=_PENDING)


def downgrade():
    op.drop_table('webhook_deliveries')
    op.drop_table('outbox_events')
    op.drop_table('webhooks')
