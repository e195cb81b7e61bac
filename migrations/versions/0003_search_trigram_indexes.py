"""trigram indexes for text search (PostgreSQL only)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:05:00

"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

INDEXES = {"ix_tasks_title_trgm": "title", "ix_tasks_description_trgm": "description"}


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if not _on_postgresql():
        return
    # pg_trgm is a trusted extension: the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        op.create_index(name, "tasks", [column], postgresql_using="gin",
                        postgresql_ops={column: "gin_trgm_ops"})


def downgrade():
    if not _on_postgresql():
        return
    for name in INDEXES:
        op.drop_index(name, table_name="tasks")
