"""Speakers from program exports: an external id, and email optional (pretalx/EuroPython give none).

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('speakers', sa.Column('external_id', sa.String(length=120), nullable=True))
    op.alter_column('speakers', 'email', existing_type=sa.String(length=254), nullable=True)
    op.create_unique_constraint('uq_speakers_event_external_id', 'speakers', ['event_id', 'external_id'])


def downgrade() -> None:
    op.drop_constraint('uq_speakers_event_external_id', 'speakers', type_='unique')
    op.execute("DELETE FROM speakers WHERE email IS NULL")
    op.alter_column('speakers', 'email', existing_type=sa.String(length=254), nullable=False)
    op.drop_column('speakers', 'external_id')
