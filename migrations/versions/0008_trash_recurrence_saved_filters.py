"""tasks.deleted_at (the trash), tasks.recurrence, saved_filters

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 05:30:00

Expand only: two nullable columns (no table rewrite in PostgreSQL), a new table, and a
partial index over deleted tasks, built CONCURRENTLY on PostgreSQL so writers are not
blocked while it reads a large table (no task is deleted yet, so the index starts empty).
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TRASH_INDEX = "ix_tasks_project_deleted"


def upgrade():
    op.add_column('tasks', sa.Column('recurrence', sa.String(length=500), nullable=True))
    op.add_column('tasks', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.create_index(TRASH_INDEX, 'tasks', ['project_id', 'deleted_at'],
                            postgresql_where=sa.text("deleted_at IS NOT NULL"),
                            postgresql_concurrently=True, if_not_exists=True)
    else:
        op.create_index(TRASH_INDEX, 'tasks', ['project_id', 'deleted_at'],
                        sqlite_where=sa.text("deleted_at IS NOT NULL"))
    op.create_table(
        'saved_filters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('query', sa.String(length=1000), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_saved_filters_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_filters')),
    )
    op.create_index('uq_saved_filters_user_name', 'saved_filters',
                    ['user_id', sa.text('lower(name)')], unique=True)


def downgrade():
    op.drop_index('uq_saved_filters_user_name', table_name='saved_filters')
    op.drop_table('saved_filters')
    op.drop_index(TRASH_INDEX, table_name='tasks')
    op.drop_column('tasks', 'deleted_at')
    op.drop_column('tasks', 'recurrence')
