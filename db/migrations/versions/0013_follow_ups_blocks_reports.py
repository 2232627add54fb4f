"""Follow-up drafts after an event, blocks and reports with the moderation outcome, an outreach suspension per
person, the role-change moment for the activity feed, the feedback campaign's once-per-event mark, and the
server-side debounce of repeated clicks.

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'follow_up_drafts',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('connection_id', sa.Integer(), sa.ForeignKey('connections.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='CASCADE'), nullable=False),
        sa.Column('author_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('recipient_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('priority', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False, server_default='pending'),
        sa.Column('snoozed_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('message_id', sa.BigInteger(), sa.ForeignKey('messages.id', ondelete='SET NULL'), nullable=True),
        sa.UniqueConstraint('author_id', 'connection_id', 'event_id', name='uq_follow_up_once_per_event'),
    )
    op.create_index('ix_follow_up_drafts_event_status', 'follow_up_drafts', ['event_id', 'status'])
    op.create_index('ix_follow_up_drafts_recipient', 'follow_up_drafts', ['recipient_id', 'status'])
    op.create_table(
        'blocks',
        sa.Column('blocker_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('blocked_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('blocker_id <> blocked_id', name='block_two_people'),
    )
    op.create_index('ix_blocks_blocked', 'blocks', ['blocked_id'])
    op.create_table(
        'reports',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('reporter_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('reported_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='SET NULL'), nullable=True),
        sa.Column('context', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('details', sa.Text(), nullable=False, server_default=''),
        sa.Column('status', sa.String(length=20), nullable=False, server_default='open'),
        sa.Column('resolution', sa.String(length=30), nullable=True),
        sa.Column('resolved_by', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='SET NULL'), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('reporter_id <> reported_id', name='report_two_people'),
    )
    op.create_index('ix_reports_status_created', 'reports', ['status', 'created_at'])
    op.create_index('ix_reports_reported', 'reports', ['reported_id'])
    op.add_column('people', sa.Column('outreach_suspended_until', sa.DateTime(timezone=True), nullable=True))
    op.add_column('people', sa.Column('role_changed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('events', sa.Column('feedback_campaign_sent_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'click_debounce',
        sa.Column('actor', sa.String(length=60), primary_key=True),
        sa.Column('action_key', sa.String(length=160), primary_key=True),
        sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('click_debounce')
    op.drop_column('events', 'feedback_campaign_sent_at')
    op.drop_column('people', 'role_changed_at')
    op.drop_column('people', 'outreach_suspended_until')
    op.drop_table('reports')
    op.drop_table('blocks')
    op.drop_table('follow_up_drafts')
