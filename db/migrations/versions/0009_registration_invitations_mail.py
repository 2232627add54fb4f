"""Self-registration settings and organizers per event, invitations, one-time password links, login attempts,
session versions, sign-up consents, the mail outbox, and job requests for one person.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('events', sa.Column('registration_code', sa.String(length=40), nullable=True))
    op.add_column('events', sa.Column('registration_open', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('events', sa.Column('registration_capacity', sa.Integer(), nullable=True))
    op.add_column('events', sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=True))
    op.create_unique_constraint('uq_events_registration_code', 'events', ['registration_code'])
    op.create_table(
        'event_organizers',
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.add_column('accounts', sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))
    op.add_column('people', sa.Column('consents', postgresql.JSONB(), nullable=False, server_default='{}'))
    op.create_table(
        'account_tokens',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False, unique=True),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='CASCADE'), nullable=True),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=True),
        sa.Column('account_id', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='CASCADE'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_by', sa.Integer(), sa.ForeignKey('accounts.id', ondelete='SET NULL'), nullable=True),
        sa.CheckConstraint("purpose in ('invitation','password_reset')", name='account_token_purpose'),
    )
    op.create_index('ix_account_tokens_person', 'account_tokens', ['person_id', 'purpose'])
    op.create_table(
        'login_attempts',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('username', sa.String(length=254), nullable=False),
        sa.Column('client', sa.String(length=100), nullable=False),
        sa.Column('succeeded', sa.Boolean(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_login_attempts_username_at', 'login_attempts', ['username', 'at'])
    op.create_index('ix_login_attempts_client_at', 'login_attempts', ['client', 'at'])
    op.create_table(
        'outbox',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('text_body', sa.Text(), nullable=False),
        sa.Column('html_body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_outbox_status', 'outbox', ['status', 'id'])
    op.add_column('job_requests', sa.Column('person_id', sa.Integer(),
                                            sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=True))
    op.create_index('ix_job_requests_person', 'job_requests', ['person_id', 'requested_at'])


def downgrade() -> None:
    op.drop_index('ix_job_requests_person', 'job_requests')
    op.drop_column('job_requests', 'person_id')
    op.drop_table('outbox')
    op.drop_table('login_attempts')
    op.drop_table('account_tokens')
    op.drop_column('people', 'consents')
    op.drop_column('accounts', 'session_version')
    op.drop_table('event_organizers')
    op.drop_constraint('uq_events_registration_code', 'events')
    for column in ('registration_closes_at', 'registration_capacity', 'registration_open', 'registration_code'):
        op.drop_column('events', column)
