"""Leases on claimed uploads and job requests (who, heartbeat, attempts), the total of an upload's row problems,
the event of each LLM call (for the daily budget), and submitted LLM message batches.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('dataset_uploads', 'job_requests'):
        op.add_column(table, sa.Column('claimed_by', sa.String(length=120), nullable=True))
        op.add_column(table, sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('dataset_uploads', sa.Column('errors_total', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('llm_calls', sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='SET NULL'),
                                         nullable=True))
    op.create_index('ix_llm_calls_event_created', 'llm_calls', ['event_id', 'created_at'])
    op.create_table(
        'llm_batches',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('batch_id', sa.String(length=120), nullable=False, unique=True),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='CASCADE'), nullable=True),
        sa.Column('feature', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('request_count', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('succeeded', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('failed', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('requests', postgresql.JSONB(), nullable=False, server_default='{}'),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table('llm_batches')
    op.drop_index('ix_llm_calls_event_created', table_name='llm_calls')
    op.drop_column('llm_calls', 'event_id')
    op.drop_column('dataset_uploads', 'errors_total')
    for table in ('dataset_uploads', 'job_requests'):
        op.drop_column(table, 'attempts')
        op.drop_column(table, 'heartbeat_at')
        op.drop_column(table, 'claimed_by')
