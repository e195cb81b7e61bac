"""Sync: change numbers on tasks and projects, and per-user access changes

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 11:50:00

Expand only. `tasks.change_no` and `projects.change_no` are nullable without a default,
so PostgreSQL adds them without rewriting either table; rows older than the feed keep
NULL and count as change 0. Their indexes are built CONCURRENTLY. A new table,
`sync_events`, holds what only one user's view of an object changed (a deletion, a loss
or a gain of access).

Database triggers stamp every insert and update of a task or project with the next
number and write the sync events, so every write path (bulk actions, moves, respacing,
the trash, imports, cascades) is numbered without the application's help, and code
that predates the feed keeps working unchanged.

On PostgreSQL a number comes from the sequence `change_numbers`, taken under a shared
transaction-level advisory lock (see taskweb/repositories/sync.py for the reader's side);
on SQLite, where writers are serialized by the database, from a counter row.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The advisory lock that every numbered write holds shared and the sync reader takes
# exclusively (taskweb.repositories.sync.SYNC_LOCK_KEY; "tasksync" as a bigint).
SYNC_LOCK_KEY = 8386110886476607075
TASK_INDEX = "ix_tasks_project_change_no"
PROJECT_INDEX = "ix_projects_change_no"
EVENT_INDEX = "ix_sync_events_user_change"

POSTGRESQL_TRIGGERS = f"""
CREATE SEQUENCE change_numbers AS bigint;

-- A change number, taken while holding the sync lock shared until the transaction ends:
-- a sync reader that takes the lock exclusively waits for every holder of a number.
CREATE FUNCTION sync_next_change_no() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared({SYNC_LOCK_KEY});
    RETURN nextval('change_numbers');
END $$;

CREATE FUNCTION sync_stamp_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_no := sync_next_change_no();  -- the lock, before reading memberships
    IF TG_OP = 'UPDATE' AND NEW.project_id IS DISTINCT FROM OLD.project_id THEN
        -- Moved: whoever saw the old project but not the new one loses the task. The
        -- new project's row is locked first (as its foreign key check would, later),
        -- so a change of its members waits for this move or this move for it, and the
        -- second reads what the first wrote: a removal never misses a task moving in.
        PERFORM 1 FROM projects WHERE id = NEW.project_id FOR KEY SHARE;
        INSERT INTO sync_events (change_no, user_id, kind, object_id)
        SELECT sync_next_change_no(), m.user_id, 'task_gone', OLD.id
        FROM memberships m
        WHERE m.project_id = OLD.project_id
          AND NOT EXISTS (SELECT 1 FROM memberships n
                          WHERE n.project_id = NEW.project_id AND n.user_id = m.user_id);
    END IF;
    RETURN NEW;
END $$;

-- A trigger that reads other rows to write events takes the lock first, in a statement
-- of its own: the reading statement's snapshot is then taken once no sync read can be
-- between this transaction's start and its commit, so a row committed meanwhile (a
-- task created in the project being left, say) is read, not missed.
CREATE FUNCTION sync_task_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared({SYNC_LOCK_KEY});
    INSERT INTO sync_events (change_no, user_id, kind, object_id)
    SELECT sync_next_change_no(), m.user_id, 'task_gone', OLD.id
    FROM memberships m WHERE m.project_id = OLD.project_id;
    RETURN OLD;
END $$;

CREATE FUNCTION sync_stamp_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_no := sync_next_change_no();
    RETURN NEW;
END $$;

CREATE FUNCTION sync_membership_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared({SYNC_LOCK_KEY});
    -- The project's row, as the services lock it to change members: tasks moving in
    -- (which lock it FOR KEY SHARE) wait, or are waited for and then read.
    PERFORM 1 FROM projects
    WHERE id = CASE TG_OP WHEN 'DELETE' THEN OLD.project_id ELSE NEW.project_id END
    FOR UPDATE;
    IF TG_OP = 'DELETE' THEN
        INSERT INTO sync_events (change_no, user_id, kind, object_id)
        SELECT sync_next_change_no(), OLD.user_id, 'task_gone', t.id
        FROM tasks t WHERE t.project_id = OLD.project_id;
        INSERT INTO sync_events (change_no, user_id, kind, object_id)
        VALUES (sync_next_change_no(), OLD.user_id, 'project_gone', OLD.project_id);
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.role = 'owner' THEN
        RETURN NEW;  -- written with the project itself, which is numbered after it
    END IF;
    -- Joined, or the role (which the project's JSON shows) changed: the project first,
    -- then (on joining) its tasks, so a client meets a project before its tasks.
    INSERT INTO sync_events (change_no, user_id, kind, object_id)
    VALUES (sync_next_change_no(), NEW.user_id, 'project_granted', NEW.project_id);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO sync_events (change_no, user_id, kind, object_id)
        SELECT sync_next_change_no(), NEW.user_id, 'task_granted', t.id
        FROM tasks t WHERE t.project_id = NEW.project_id AND t.deleted_at IS NULL;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER sync_stamp BEFORE INSERT OR UPDATE ON tasks
    FOR EACH ROW EXECUTE FUNCTION sync_stamp_task();
CREATE TRIGGER sync_deleted AFTER DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION sync_task_deleted();
CREATE TRIGGER sync_stamp BEFORE INSERT OR UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION sync_stamp_project();
CREATE TRIGGER sync_access AFTER INSERT OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION sync_membership_changed();
CREATE TRIGGER sync_role AFTER UPDATE ON memberships
    FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role)
    EXECUTE FUNCTION sync_membership_changed();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS sync_role ON memberships;
DROP TRIGGER IF EXISTS sync_access ON memberships;
DROP TRIGGER IF EXISTS sync_stamp ON projects;
DROP TRIGGER IF EXISTS sync_deleted ON tasks;
DROP TRIGGER IF EXISTS sync_stamp ON tasks;
DROP FUNCTION IF EXISTS sync_membership_changed();
DROP FUNCTION IF EXISTS sync_stamp_project();
DROP FUNCTION IF EXISTS sync_task_deleted();
DROP FUNCTION IF EXISTS sync_stamp_task();
DROP FUNCTION IF EXISTS sync_next_change_no();
DROP SEQUENCE IF EXISTS change_numbers;
"""


def _sqlite_numbered(kind: str, user: str, object_id: str, source: str) -> str:
    """INSERT sync events for each row of ``source`` (a FROM … WHERE clause), numbered on
    from the counter, then move the counter past them."""
    return f"""
    INSERT INTO sync_events (change_no, user_id, kind, object_id)
    SELECT (SELECT value FROM change_numbers) + row_number() OVER (), {user}, '{kind}',
           {object_id}
    {source};
    UPDATE change_numbers
    SET value = max(value, coalesce((SELECT max(change_no) FROM sync_events), 0));"""


_SQLITE_STAMP = """
    UPDATE change_numbers SET value = value + 1;
    UPDATE {table} SET change_no = (SELECT value FROM change_numbers) WHERE id = NEW.id;"""

# SQLite has no sequences and runs one writer at a time: a counter row read and moved in
# the writer's own transaction is exact. The nested UPDATE that stores the number does
# not fire the triggers again (recursive triggers are off, and the WHEN clause skips it).
SQLITE_TRIGGERS = [
    "CREATE TABLE change_numbers (value BIGINT NOT NULL)",
    "INSERT INTO change_numbers (value) VALUES (0)",
    f"""CREATE TRIGGER sync_task_inserted AFTER INSERT ON tasks BEGIN
    {_SQLITE_STAMP.format(table='tasks')}
    END""",
    f"""CREATE TRIGGER sync_task_updated AFTER UPDATE ON tasks
    WHEN NEW.change_no IS OLD.change_no BEGIN
    {_SQLITE_STAMP.format(table='tasks')}
    {_sqlite_numbered('task_gone', 'm.user_id', 'OLD.id', '''
    FROM memberships m
    WHERE NEW.project_id != OLD.project_id AND m.project_id = OLD.project_id
      AND NOT EXISTS (SELECT 1 FROM memberships n
                      WHERE n.project_id = NEW.project_id AND n.user_id = m.user_id)''')}
    END""",
    f"""CREATE TRIGGER sync_task_deleted AFTER DELETE ON tasks BEGIN
    {_sqlite_numbered('task_gone', 'm.user_id', 'OLD.id',
                      'FROM memberships m WHERE m.project_id = OLD.project_id')}
    END""",
    f"""CREATE TRIGGER sync_project_inserted AFTER INSERT ON projects BEGIN
    {_SQLITE_STAMP.format(table='projects')}
    END""",
    f"""CREATE TRIGGER sync_project_updated AFTER UPDATE ON projects
    WHEN NEW.change_no IS OLD.change_no BEGIN
    {_SQLITE_STAMP.format(table='projects')}
    END""",
    f"""CREATE TRIGGER sync_membership_deleted AFTER DELETE ON memberships BEGIN
    {_sqlite_numbered('task_gone', 'OLD.user_id', 't.id',
                      'FROM tasks t WHERE t.project_id = OLD.project_id')}
    {_sqlite_numbered('project_gone', 'OLD.user_id', 'OLD.project_id', '')}
    END""",
    f"""CREATE TRIGGER sync_membership_inserted AFTER INSERT ON memberships
    WHEN NEW.role != 'owner' BEGIN
    {_sqlite_numbered('project_granted', 'NEW.user_id', 'NEW.project_id', '')}
    {_sqlite_numbered('task_granted', 'NEW.user_id', 't.id',
                      'FROM tasks t WHERE t.project_id = NEW.project_id '
                      'AND t.deleted_at IS NULL')}
    END""",
    f"""CREATE TRIGGER sync_membership_role AFTER UPDATE OF role ON memberships
    WHEN NEW.role IS NOT OLD.role BEGIN
    {_sqlite_numbered('project_granted', 'NEW.user_id', 'NEW.project_id', '')}
    END""",
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in (
        "sync_task_inserted", "sync_task_updated", "sync_task_deleted",
        "sync_project_inserted", "sync_project_updated", "sync_membership_deleted",
        "sync_membership_inserted", "sync_membership_role")),
    "DROP TABLE IF EXISTS change_numbers",
]


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    op.add_column('tasks', sa.Column('change_no', sa.BigInteger(), nullable=True))
    op.add_column('projects', sa.Column('change_no', sa.BigInteger(), nullable=True))
    op.create_table(
        'sync_events',
        sa.Column('change_no', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('task_gone', 'project_gone', 'task_granted',
                                  'project_granted', name='sync_event_kind',
                                  native_enum=False, create_constraint=True, length=16),
                  nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('change_no', name=op.f('pk_sync_events')),
    )
    op.create_index(EVENT_INDEX, 'sync_events', ['user_id', 'change_no'])
    if _postgresql():
        with op.get_context().autocommit_block():
            op.create_index(TASK_INDEX, 'tasks', ['project_id', 'change_no'],
                            postgresql_concurrently=True, if_not_exists=True)
            op.create_index(PROJECT_INDEX, 'projects', ['change_no'],
                            postgresql_concurrently=True, if_not_exists=True)
        op.execute(POSTGRESQL_TRIGGERS)
    else:
        op.create_index(TASK_INDEX, 'tasks', ['project_id', 'change_no'])
        op.create_index(PROJECT_INDEX, 'projects', ['change_no'])
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if _postgresql():
        op.execute(POSTGRESQL_DROP)
    else:
        for statement in SQLITE_DROP:
            op.execute(statement)
    op.drop_index(PROJECT_INDEX, table_name='projects')
    op.drop_index(TASK_INDEX, table_name='tasks')
    op.drop_index(EVENT_INDEX, table_name='sync_events')
    op.drop_table('sync_events')
    op.drop_column('projects', 'change_no')
    op.drop_column('tasks', 'change_no')
