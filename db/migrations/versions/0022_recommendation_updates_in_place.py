"""A refresh rewrites recommendations in place: no index on their expiry, and room on each page for the new version.

The nightly refresh upserts every list, changing each row's expiry. With `expires_at` indexed, every update wrote
a new entry into all four indexes; without it (the event's rows are found through the unique key, which leads with
the event), and with half of each page kept free, Postgres updates a row on its own page and leaves the indexes
alone (a heap-only update). The table takes about twice the space.

Revision ID: 0022
Revises: 0021
"""
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_recommendations_event_expiry', table_name='recommendations')
    op.execute("ALTER TABLE recommendations SET (fillfactor = 50)")  # new pages; existing rows move as they update


def downgrade() -> None:
    op.execute("ALTER TABLE recommendations RESET (fillfactor)")
    op.create_index('ix_recommendations_event_expiry', 'recommendations', ['event_id', 'expires_at'], unique=False)
