"""Connection requests, the connection's strength and interactions, private notes, one-to-one message threads,
and notifications with a link, an actor and a key that makes each trigger fire once.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'connection_requests',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='SET NULL'), nullable=True),
        sa.Column('requester_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('recipient_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('recommendation_id', sa.BigInteger(), sa.ForeignKey('recommendations.id', ondelete='SET NULL'),
                  nullable=True),
        sa.Column('origin', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=False, server_default=''),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('requester_id <> recipient_id', name='connection_request_two_people'),
    )
    op.create_index('ix_connection_requests_recipient', 'connection_requests', ['recipient_id', 'status'])
    op.create_index('ix_connection_requests_requester', 'connection_requests', ['requester_id', 'created_at'])
    op.execute("CREATE UNIQUE INDEX uq_connection_request_pending_pair ON connection_requests "
               "(LEAST(requester_id, recipient_id), GREATEST(requester_id, recipient_id)) WHERE status = 'pending'")
    op.add_column('connections', sa.Column('strength', sa.String(length=10), nullable=False, server_default='weak'))
    op.add_column('connections', sa.Column('interaction_count', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('connections', sa.Column('last_interaction_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('connections', sa.Column('follow_up_state', sa.String(length=20), nullable=False,
                                           server_default='none'))
    op.create_table(
        'connection_notes',
        sa.Column('connection_id', sa.Integer(), sa.ForeignKey('connections.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('note', sa.Text(), nullable=False, server_default=''),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'message_threads',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('person_a_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('person_b_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='SET NULL'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint('person_a_id', 'person_b_id', name='uq_message_thread_pair'),
        sa.CheckConstraint('person_a_id < person_b_id', name='message_thread_ordered_pair'),
    )
    op.create_index('ix_message_threads_b', 'message_threads', ['person_b_id'])
    op.create_table(
        'messages',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('thread_id', sa.BigInteger(), sa.ForeignKey('message_threads.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('sender_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False, server_default='message'),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_messages_thread_created', 'messages', ['thread_id', 'created_at'])
    op.add_column('notifications', sa.Column('link', sa.String(length=200), nullable=False, server_default=''))
    op.add_column('notifications', sa.Column('actor_id', sa.Integer(),
                                             sa.ForeignKey('people.id', ondelete='SET NULL'), nullable=True))
    op.add_column('notifications', sa.Column('dedupe_key', sa.String(length=160), nullable=True))
    op.add_column('notifications', sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True))
    op.create_unique_constraint('uq_notification_once', 'notifications', ['person_id', 'dedupe_key'])
    op.create_index('ix_notifications_person_created', 'notifications', ['person_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_notifications_person_created', table_name='notifications')
    op.drop_constraint('uq_notification_once', 'notifications')
    for column in ('emailed_at', 'dedupe_key', 'actor_id', 'link'):
        op.drop_column('notifications', column)
    op.drop_table('messages')
    op.drop_table('message_threads')
    op.drop_table('connection_notes')
    for column in ('follow_up_state', 'last_interaction_at', 'interaction_count', 'strength'):
        op.drop_column('connections', column)
    op.drop_table('connection_requests')
