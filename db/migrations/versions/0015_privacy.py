"""Privacy (seed 000 §11): deletion requests with a grace period, consents the person set themselves, the audit
trail's target person and hashed client, signals a person excluded from matching, per-category snoozes, and
aggregated profile views.

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('people', sa.Column('deletion_requested_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('people', sa.Column('consents_set_by_person', postgresql.ARRAY(sa.Text()), nullable=False,
                                      server_default='{}'))
    op.add_column('audit_log', sa.Column('target_person_id', sa.Integer(),
                                         sa.ForeignKey('people.id', ondelete='SET NULL'), nullable=True))
    op.add_column('audit_log', sa.Column('client_hash', sa.String(length=16), nullable=True))
    op.create_index('ix_audit_log_target_person', 'audit_log', ['target_person_id', 'at'])
    op.create_index('ix_audit_log_action_at', 'audit_log', ['action', 'at'])
    op.create_table(
        'signal_exclusions',
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('signal', sa.String(length=200), primary_key=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'category_snoozes',
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('category', sa.String(length=80), primary_key=True),
        sa.Column('until', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'profile_views',
        sa.Column('viewer_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('day', sa.Date(), primary_key=True),
        sa.Column('views', sa.Integer(), nullable=False, server_default='1'),
    )
    op.create_index('ix_profile_views_person_day', 'profile_views', ['person_id', 'day'])


def downgrade() -> None:
    op.drop_table('profile_views')
    op.drop_table('category_snoozes')
    op.drop_table('signal_exclusions')
    op.drop_index('ix_audit_log_action_at', 'audit_log')
    op.drop_index('ix_audit_log_target_person', 'audit_log')
    op.drop_column('audit_log', 'client_hash')
    op.drop_column('audit_log', 'target_person_id')
    op.drop_column('people', 'consents_set_by_person')
    op.drop_column('people', 'deletion_requested_at')
