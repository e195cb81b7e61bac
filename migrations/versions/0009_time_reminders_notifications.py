"""Task history, reminders, notifications, password resets, calendar feed secrets

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 08:45:00

Expand only: new tables, and two columns on users (a boolean with a constant default,
which PostgreSQL 11+ adds without rewriting the table, and a nullable secret whose
unique index is built CONCURRENTLY so sign-ins are not blocked while it is built).
No statement reads or rewrites tasks.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

CALENDAR_INDEX = "uq_users_calendar_secret"


def _timestamp(name, nullable=True, **kwargs):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, **kwargs)


def upgrade():
    op.add_column('users', sa.Column('email_notifications', sa.Boolean(),
                                     server_default=sa.true(), nullable=False))
    op.add_column('users', sa.Column('calendar_secret', sa.String(length=64), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.create_index(CALENDAR_INDEX, 'users', ['calendar_secret'], unique=True,
                            postgresql_concurrently=True, if_not_exists=True)
    else:
        op.create_index(CALENDAR_INDEX, 'users', ['calendar_secret'], unique=True)

    op.create_table(
        'task_events',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        _timestamp('at', nullable=False),
        sa.Column('kind', sa.Enum('created', 'changed', 'completed', 'moved', 'deleted',
                                  'restored', name='task_event_kind', native_enum=False,
                                  create_constraint=True, length=16), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'],
                                name=op.f('fk_task_events_task_id_tasks'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_task_events_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_events')),
    )
    op.create_index('ix_task_events_task', 'task_events', ['task_id', 'id'])

    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        _timestamp('remind_at', nullable=False),
        _timestamp('delivered_at'),
        _timestamp('claimed_until'),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'],
                                name=op.f('fk_reminders_task_id_tasks'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    )
    op.create_index('ix_reminders_task', 'reminders', ['task_id'])
    op.create_index('ix_reminders_due', 'reminders', ['remind_at'],
                    postgresql_where=sa.text("delivered_at IS NULL"),
                    sqlite_where=sa.text("delivered_at IS NULL"))

    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('reminder', 'assigned', 'shared', name='notification_kind',
                                  native_enum=False, create_constraint=True, length=16),
                  nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=True),
        sa.Column('project_id', sa.Integer(), nullable=True),
        sa.Column('reminder_id', sa.Integer(), nullable=True),
        sa.Column('message', sa.String(length=300), nullable=False),
        _timestamp('created_at', nullable=False),
        _timestamp('read_at'),
        sa.Column('email_state', sa.Enum('none', 'owed', 'sent', 'failed', name='email_state',
                                         native_enum=False, create_constraint=True, length=16),
                  nullable=False),
        sa.Column('email_attempts', sa.SmallInteger(), nullable=False),
        _timestamp('email_next_at'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'],
                                name=op.f('fk_notifications_task_id_tasks'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_notifications_project_id_projects'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reminder_id'], ['reminders.id'],
                                name=op.f('fk_notifications_reminder_id_reminders'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
        sa.UniqueConstraint('reminder_id', name=op.f('uq_notifications_reminder_id')),
    )
    op.create_index('ix_notifications_user', 'notifications', ['user_id', 'id'])
    op.create_index('ix_notifications_unread', 'notifications', ['user_id'],
                    postgresql_where=sa.text("read_at IS NULL"),
                    sqlite_where=sa.text("read_at IS NULL"))
    op.create_index('ix_notifications_email_owed', 'notifications', ['email_next_at'],
                    postgresql_where=sa.text("email_state = 'owed'"),
                    sqlite_where=sa.text("email_state = 'owed'"))

    op.create_table(
        'password_resets',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        _timestamp('created_at', nullable=False, server_default=sa.func.now()),
        _timestamp('expires_at', nullable=False),
        _timestamp('used_at'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_password_resets_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_password_resets')),
    )
    op.create_index(op.f('ix_password_resets_user_id'), 'password_resets', ['user_id'])


def downgrade():
    op.drop_table('password_resets')
    op.drop_table('notifications')
    op.drop_table('reminders')
    op.drop_table('task_events')
    op.drop_index(CALENDAR_INDEX, table_name='users')
    op.drop_column('users', 'calendar_secret')
    op.drop_column('users', 'email_notifications')
