"""Recommendations say which slot they hold: a best match, or the list's adjacent-interest slot (seed 004 §3).

Revision ID: 0020
Revises: 0019
"""
from alembic import op
import sqlalchemy as sa

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

SLOT = sa.Enum('match', 'adjacent_interest', name='recommendation_slot')


def upgrade() -> None:
    SLOT.create(op.get_bind(), checkfirst=False)
    op.add_column('recommendations', sa.Column('slot', SLOT, server_default='match', nullable=False))


def downgrade() -> None:
    op.drop_column('recommendations', 'slot')
    SLOT.drop(op.get_bind(), checkfirst=False)
