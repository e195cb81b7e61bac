"""tasks.project_id and tasks.position NOT NULL (the contract after 0006)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 04:40:00

Run once the app that always sets a task's project is deployed. Tasks (and users)
that the previous app created while 0006 ran are moved into Inboxes first, in the same
batches; then each column becomes NOT NULL through a CHECK added NOT VALID and validated,
which PostgreSQL's SET NOT NULL then trusts instead of scanning again.
"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _fill_again() -> None:
    """0006's fill, for what arrived after it read the table (its file by path: a
    migration's module name starts with a digit and cannot be imported by name)."""
    path = Path(__file__).with_name("0006_projects.py")
    spec = importlib.util.spec_from_file_location("migration_0006", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.give_everyone_an_inbox()
    module.move_tasks_into_inboxes()


def upgrade():
    _fill_again()
    if op.get_bind().dialect.name == "postgresql":
        for column in ("project_id", "position"):
            check = f"ck_tasks_{column}_not_null"
            op.execute(f"ALTER TABLE tasks ADD CONSTRAINT {check} "
                       f"CHECK ({column} IS NOT NULL) NOT VALID")
            op.execute(f"ALTER TABLE tasks VALIDATE CONSTRAINT {check}")
            op.execute(f"ALTER TABLE tasks ALTER COLUMN {column} SET NOT NULL")
            op.execute(f"ALTER TABLE tasks DROP CONSTRAINT {check}")
        return
    with op.batch_alter_table('tasks') as batch:
        batch.alter_column('project_id', existing_type=sa.Integer(), nullable=False)
        batch.alter_column('position', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('tasks') as batch:
        batch.alter_column('position', existing_type=sa.String(length=64), nullable=True)
        batch.alter_column('project_id', existing_type=sa.Integer(), nullable=True)
