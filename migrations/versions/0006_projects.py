"""projects, memberships and labels; tasks gain a project, a parent, an assignee,
completed_at and a position; users gain a time zone (expand and fill; 0007 tightens)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 03:30:00

Expand and fill, each step safe on a table of millions of tasks while the app serves
(bench/MIGRATIONS.md has the timings on 1 M tasks):
1. new tables, and new task columns that are nullable (a catalogue change);
2. every user gets an Inbox (one statement each for projects and memberships), then each
   user's tasks move into it in id ranges of BATCH, each range its own transaction on
   PostgreSQL, so no lock is held for long; the new indexes are built CONCURRENTLY.
The columns stay nullable here: the app of the revision before keeps inserting tasks
without a project while this runs. Migration 0007 moves those stragglers and tightens
the columns once the new app (which always sets them) is deployed. Running this again
after a failure resumes: every step checks what is already there.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BATCH = 20_000
TASK_INDEXES = {
    "ix_tasks_project_created": ["project_id", "created_at", "id"],
    "ix_tasks_project_status": ["project_id", "status"],
    "ix_tasks_project_due": ["project_id", "due_date"],
    "ix_tasks_project_updated": ["project_id", "updated_at"],
    "ix_tasks_project_position": ["project_id", "position"],
    "ix_tasks_parent": ["parent_id"],
    "ix_tasks_assignee": ["assignee_id"],
}


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if not sa.inspect(op.get_bind()).has_table('projects'):
        _expand()
    give_everyone_an_inbox()
    move_tasks_into_inboxes()
    _build_indexes()


def _expand() -> None:
    _create_tables()
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('time_zone', sa.String(length=64), server_default='UTC',
                                   nullable=False))
    with op.batch_alter_table('tasks') as batch:
        batch.add_column(sa.Column('project_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('position', sa.String(length=64), nullable=True))
        batch.create_foreign_key(batch.f('fk_tasks_project_id_projects'), 'projects',
                                 ['project_id'], ['id'], ondelete='CASCADE')
        batch.create_foreign_key(batch.f('fk_tasks_parent_id_tasks'), 'tasks',
                                 ['parent_id'], ['id'], ondelete='CASCADE')
        batch.create_foreign_key(batch.f('fk_tasks_assignee_id_users'), 'users',
                                 ['assignee_id'], ['id'], ondelete='SET NULL')


def _create_tables() -> None:
    op.create_table(
        'projects',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('color', sa.String(length=7), nullable=True),
        sa.Column('is_inbox', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'],
                                name=op.f('fk_projects_owner_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    )
    op.create_index('uq_projects_owner_name', 'projects',
                    ['owner_id', sa.literal_column('lower(name)')], unique=True)
    op.create_index('uq_projects_owner_inbox', 'projects', ['owner_id'], unique=True,
                    postgresql_where=sa.text('is_inbox'), sqlite_where=sa.text('is_inbox'))
    op.create_table(
        'memberships',
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.Enum('owner', 'editor', 'viewer', name='membership_role',
                                  native_enum=False, create_constraint=True, length=16),
                  nullable=False),
        sa.Column('joined_at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_memberships_project_id_projects'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('project_id', 'user_id', name=op.f('pk_memberships')),
    )
    op.create_index('ix_memberships_user_project', 'memberships', ['user_id', 'project_id'])
    op.create_table(
        'task_labels',
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'],
                                name=op.f('fk_task_labels_task_id_tasks'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('task_id', 'key', name=op.f('pk_task_labels')),
    )
    op.create_index('ix_task_labels_key', 'task_labels', ['key'])


def give_everyone_an_inbox() -> None:
    op.execute(
        "INSERT INTO projects (owner_id, name, is_inbox) "
        "SELECT u.id, 'Inbox', true FROM users u WHERE NOT EXISTS "
        "(SELECT 1 FROM projects p WHERE p.owner_id = u.id AND p.is_inbox)"
    )
    op.execute(
        "INSERT INTO memberships (project_id, user_id, role) "
        "SELECT p.id, p.owner_id, 'owner' FROM projects p WHERE p.is_inbox AND NOT EXISTS "
        "(SELECT 1 FROM memberships m WHERE m.project_id = p.id)"
    )


def move_tasks_into_inboxes() -> None:
    """Each task into its creator's Inbox, in id ranges: a position in id order (before
    every clock-made position, see domain/positions.py) and completed_at for done tasks."""
    bind = op.get_bind()
    position = ("lpad(to_hex(tasks.id), 16, '0')" if _postgresql()
                else "printf('%016x', tasks.id)")
    move = sa.text(
        f"UPDATE tasks SET project_id = (SELECT p.id FROM projects p "
        f"WHERE p.owner_id = tasks.owner_id AND p.is_inbox), position = {position}, "
        f"completed_at = CASE WHEN status = 'completed' THEN updated_at END "
        f"WHERE id >= :low AND id < :high AND project_id IS NULL"
    )
    highest = bind.execute(sa.text("SELECT coalesce(max(id), 0) FROM tasks")).scalar()
    if _postgresql():
        with op.get_context().autocommit_block():
            for low in range(0, highest + 1, BATCH):
                bind.execute(move, {"low": low, "high": low + BATCH})
    else:
        for low in range(0, highest + 1, BATCH):
            bind.execute(move, {"low": low, "high": low + BATCH})


def _build_indexes() -> None:
    if _postgresql():
        with op.get_context().autocommit_block():
            for name, columns in TASK_INDEXES.items():
                op.create_index(name, 'tasks', columns, postgresql_concurrently=True,
                                if_not_exists=True)
        return
    for name, columns in TASK_INDEXES.items():
        op.create_index(name, 'tasks', columns, if_not_exists=True)


def downgrade():
    for name in TASK_INDEXES:
        op.drop_index(name, table_name='tasks')
    with op.batch_alter_table('tasks') as batch:
        batch.drop_constraint(batch.f('fk_tasks_assignee_id_users'), type_='foreignkey')
        batch.drop_constraint(batch.f('fk_tasks_parent_id_tasks'), type_='foreignkey')
        batch.drop_constraint(batch.f('fk_tasks_project_id_projects'), type_='foreignkey')
        for column in ('position', 'completed_at', 'assignee_id', 'parent_id', 'project_id'):
            batch.drop_column(column)
    with op.batch_alter_table('users') as batch:
        batch.drop_column('time_zone')
    op.drop_index('ix_task_labels_key', table_name='task_labels')
    op.drop_table('task_labels')
    op.drop_index('ix_memberships_user_project', table_name='memberships')
    op.drop_table('memberships')
    op.drop_index('uq_projects_owner_inbox', table_name='projects')
    op.drop_index('uq_projects_owner_name', table_name='projects')
    op.drop_table('projects')
