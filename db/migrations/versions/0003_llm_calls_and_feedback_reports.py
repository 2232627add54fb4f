"""LLM call log and learning-loop reports.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'llm_calls',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('feature', sa.String(length=40), nullable=False),
        sa.Column('prompt_variant_id', sa.Integer(), sa.ForeignKey('prompt_variants.id', ondelete='SET NULL')),
        sa.Column('model', sa.String(length=100), nullable=False),
        sa.Column('input_tokens', sa.Integer(), nullable=False),
        sa.Column('output_tokens', sa.Integer(), nullable=False),
        sa.Column('cost_usd', sa.Float(), nullable=False),
        sa.Column('latency_ms', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("outcome in ('ok','invalid','error','circuit_open')", name='llm_call_outcome'),
    )
    op.create_index('ix_llm_calls_variant_created', 'llm_calls', ['prompt_variant_id', 'created_at'])
    op.create_table(
        'feedback_reports',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='CASCADE')),
        sa.Column('body', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('feedback_reports')
    op.drop_index('ix_llm_calls_variant_created', table_name='llm_calls')
    op.drop_table('llm_calls')
