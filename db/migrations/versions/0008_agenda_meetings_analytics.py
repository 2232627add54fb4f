"""Session actions (bookmark, dismiss, attended, keep, drop), the personal agenda, 1:1 meetings and cached
event analytics.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'session_actions',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('session_id', sa.Integer(), sa.ForeignKey('sessions.id', ondelete='CASCADE'), nullable=False,
                  index=True),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('person_id', 'session_id', 'kind', name='uq_session_action'),
        sa.CheckConstraint("kind in ('bookmark','dismiss','attended','keep','drop')", name='session_action_kind'),
    )
    op.create_table(
        'agenda_items',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='CASCADE'), nullable=False),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('session_id', sa.Integer(), sa.ForeignKey('sessions.id', ondelete='CASCADE'), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('kept', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('planned_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('person_id', 'session_id', name='uq_agenda_item'),
    )
    op.create_index('ix_agenda_items_event_person', 'agenda_items', ['event_id', 'person_id'])
    op.create_table(
        'meetings',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='CASCADE'), nullable=False),
        sa.Column('requester_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('recipient_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('speaker_id', sa.Integer(), sa.ForeignKey('speakers.id', ondelete='SET NULL')),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('proposed_by', sa.Integer(), nullable=False),
        sa.Column('proposed_slots', postgresql.JSONB(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True)),
        sa.Column('ends_at', sa.DateTime(timezone=True)),
        sa.Column('message', sa.Text(), nullable=False, server_default=''),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('responded_at', sa.DateTime(timezone=True)),
        sa.CheckConstraint("status in ('pending','accepted','declined','cancelled')", name='meeting_status'),
        sa.CheckConstraint('requester_id <> recipient_id', name='meeting_two_people'),
    )
    op.create_index('ix_meetings_requester_created', 'meetings', ['requester_id', 'created_at'])
    op.create_index('ix_meetings_recipient', 'meetings', ['recipient_id', 'status'])
    op.create_table(
        'event_analytics',
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('data', postgresql.JSONB(), nullable=False),
    )


def downgrade() -> None:
    for table in ('event_analytics', 'meetings', 'agenda_items', 'session_actions'):
        op.drop_table(table)
