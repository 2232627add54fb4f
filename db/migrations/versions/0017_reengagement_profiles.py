"""Re-engagement profiles (seed 002): each community member's calculated fields, summary and decision.

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reengagement_profiles',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('behavior_users.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('input_hash', sa.String(length=64), nullable=False),
        sa.Column('fields', postgresql.JSONB(), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('decision', sa.String(length=40), nullable=False),
        sa.Column('decision_reason', sa.String(length=300), nullable=False),
        sa.Column('personalization_score', sa.SmallInteger(), nullable=False),
        sa.Column('number_of_events_attended', sa.Integer(), nullable=False),
        sa.Column('days_since_last_event', sa.Integer(), nullable=True),
        sa.Column('is_first_time_user', sa.Boolean(), nullable=False),
        sa.Column('is_healthy_active_user', sa.Boolean(), nullable=False),
        sa.Column('has_queued_messages', sa.Boolean(), nullable=False),
        sa.Column('can_send_new_message', sa.Boolean(), nullable=False),
    )
    op.create_index('ix_reengagement_profiles_decision', 'reengagement_profiles', ['decision'])


def downgrade() -> None:
    op.drop_table('reengagement_profiles')
