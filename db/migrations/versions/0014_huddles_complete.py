"""Huddles completed to seed 000 §6.2: kind, the session a huddle came from, the place's name and coordinates, a
duration, minimum and maximum participants, confirmation and cancellation; participants' invitation and
attendance times; attendees' shared venue zones (proximity huddles), a huddle opt-out, and the venue's areas.
Existing huddles keep their rows: `location` becomes `location_name` and `capacity` becomes `max_participants`.

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column('huddles', 'location', new_column_name='location_name')
    op.alter_column('huddles', 'capacity', new_column_name='max_participants', server_default='8')
    op.add_column('huddles', sa.Column('kind', sa.String(length=20), nullable=False, server_default='problem'))
    op.add_column('huddles', sa.Column('session_id', sa.Integer(),
                                       sa.ForeignKey('sessions.id', ondelete='SET NULL'), nullable=True))
    op.add_column('huddles', sa.Column('location_lat', sa.Float(), nullable=True))
    op.add_column('huddles', sa.Column('location_lon', sa.Float(), nullable=True))
    op.add_column('huddles', sa.Column('duration_minutes', sa.Integer(), nullable=False, server_default='15'))
    op.add_column('huddles', sa.Column('min_participants', sa.Integer(), nullable=False, server_default='3'))
    op.add_column('huddles', sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('huddles', sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('huddles', sa.Column('cancel_reason', sa.Text(), nullable=False, server_default=''))
    op.alter_column('huddles', 'status', server_default='forming')
    op.alter_column('huddles', 'version', server_default='1')
    op.create_index('ix_huddles_event_status', 'huddles', ['event_id', 'status'])
    op.create_index('ix_huddles_starts_at', 'huddles', ['starts_at'])
    op.create_check_constraint('huddle_participant_bounds', 'huddles',
                               'min_participants >= 1 AND max_participants >= min_participants')
    op.add_column('huddle_participants', sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('huddle_participants', sa.Column('attended_at', sa.DateTime(timezone=True), nullable=True))
    op.alter_column('huddle_participants', 'status', server_default='invited')
    op.create_index('ix_huddle_participants_person', 'huddle_participants', ['person_id', 'status'])
    op.create_table(
        'location_shares',
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('zone', sa.String(length=120), nullable=False),
        sa.Column('shared_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_location_shares_event_expires', 'location_shares', ['event_id', 'expires_at'])
    op.add_column('people', sa.Column('huddles_opt_out', sa.Boolean(), nullable=False, server_default='false'))
    op.add_column('events', sa.Column('venue_areas', postgresql.ARRAY(sa.Text()), nullable=False,
                                      server_default='{}'))


def downgrade() -> None:
    op.drop_column('events', 'venue_areas')
    op.drop_column('people', 'huddles_opt_out')
    op.drop_table('location_shares')
    op.drop_index('ix_huddle_participants_person', 'huddle_participants')
    op.drop_column('huddle_participants', 'attended_at')
    op.drop_column('huddle_participants', 'invited_at')
    op.drop_constraint('huddle_participant_bounds', 'huddles')
    op.drop_index('ix_huddles_starts_at', 'huddles')
    op.drop_index('ix_huddles_event_status', 'huddles')
    for column in ('cancel_reason', 'cancelled_at', 'confirmed_at', 'min_participants', 'duration_minutes',
                   'location_lon', 'location_lat', 'session_id', 'kind'):
        op.drop_column('huddles', column)
    op.alter_column('huddles', 'max_participants', new_column_name='capacity', server_default=None)
    op.alter_column('huddles', 'location_name', new_column_name='location')
