"""Text embedding cache: phrase and clause vectors keyed by model and content hash.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import pgvector.sqlalchemy

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'text_embeddings',
        sa.Column('model', sa.String(length=200), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('embedding', pgvector.sqlalchemy.vector.VECTOR(dim=384), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('model', 'content_hash'),
    )


def downgrade() -> None:
    op.drop_table('text_embeddings')
