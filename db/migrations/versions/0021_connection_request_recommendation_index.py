"""Connection requests are indexed by the recommendation they came from.

Replacing an event's recommendations checks every deleted row for requests made from it (ON DELETE SET NULL), and the
organizer analytics count the requests per recommendation; both scanned the whole table once per recommendation.

Revision ID: 0021
Revises: 0020
"""
from alembic import op
import sqlalchemy as sa

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_connection_requests_recommendation', 'connection_requests', ['recommendation_id'],
                    postgresql_where=sa.text('recommendation_id IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_connection_requests_recommendation', table_name='connection_requests')
