"""Per-person notification preferences (email on or off per notification kind), and an index for the mail job's
look-up of notifications not yet emailed.

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('people', sa.Column('notification_preferences', postgresql.JSONB(), nullable=False,
                                      server_default='{}'))
    op.execute("CREATE INDEX ix_notifications_not_emailed ON notifications (created_at) WHERE emailed_at IS NULL")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_notifications_not_emailed")
    op.drop_column('people', 'notification_preferences')
