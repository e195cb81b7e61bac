"""users.email_skeleton and users.username_skeleton: no look-alike accounts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 03:00:00

Expand only: two nullable columns (a catalogue change on PostgreSQL), filled in batches
of BATCH rows, then unique indexes built CONCURRENTLY so that sign-ups go on meanwhile.
Where existing accounts already look alike, the younger one's skeleton gets its id
appended: both keep working, and no new look-alike of either can be made.
"""
import sqlalchemy as sa
from alembic import op

from taskweb.domain.lookalikes import skeleton

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BATCH = 2_000
INDEXES = {"uq_users_email_skeleton": "email_skeleton",
           "uq_users_username_skeleton": "username_skeleton"}


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('email_skeleton', sa.Text(), nullable=True))
        batch.add_column(sa.Column('username_skeleton', sa.Text(), nullable=True))
    _fill_skeletons(op.get_bind())
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            for name, column in INDEXES.items():
                op.create_index(name, 'users', [column], unique=True,
                                postgresql_concurrently=True)
    else:
        for name, column in INDEXES.items():
            op.create_index(name, 'users', [column], unique=True)


def _fill_skeletons(connection) -> None:
    """Every user's skeletons, oldest account first, BATCH rows per statement."""
    seen_email: set[str] = set()
    seen_username: set[str] = set()
    update = sa.text("UPDATE users SET email_skeleton = :e, username_skeleton = :u "
                     "WHERE id = :id")
    last_id = 0
    while True:
        rows = connection.execute(
            sa.text("SELECT id, email, username FROM users WHERE id > :last "
                    "ORDER BY id LIMIT :batch"),
            {"last": last_id, "batch": BATCH},
        ).all()
        if not rows:
            return
        values = [
            {"id": row.id,
             "e": _unique(skeleton(row.email), row.id, seen_email),
             "u": _unique(skeleton(row.username), row.id, seen_username)}
            for row in rows
        ]
        connection.execute(update, values)
        last_id = rows[-1].id


def _unique(value: str, user_id: int, seen: set[str]) -> str:
    if value in seen:
        return f"{value}#{user_id}"
    seen.add(value)
    return value


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name='users')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('username_skeleton')
        batch.drop_column('email_skeleton')
