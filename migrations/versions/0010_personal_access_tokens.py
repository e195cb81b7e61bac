"""Personal access tokens

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 11:05:00

Expand only: one new table. Nothing existing is read or rewritten.
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _timestamp(name, nullable=True, **kwargs):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, **kwargs)


def upgrade():
    op.create_table(
        'personal_access_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('scopes', sa.JSON(), nullable=False),
        _timestamp('expires_at'),
        _timestamp('last_used_at'),
        _timestamp('revoked_at'),
        _timestamp('created_at', nullable=False, server_default=sa.func.now()),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_personal_access_tokens_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_access_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_personal_access_tokens_token_hash')),
    )
    op.create_index(op.f('ix_personal_access_tokens_user_id'), 'personal_access_tokens',
                    ['user_id'])


def downgrade():
    op.drop_table('personal_access_tokens')
