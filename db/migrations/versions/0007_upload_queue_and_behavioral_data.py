"""Uploads processed by the worker (queued files, stored progress), queued follow-up jobs, worker heartbeats,
behavioural datasets and talent-hub snapshots.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _updated_at() -> sa.Column:
    return sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)


def upgrade() -> None:
    op.add_column('dataset_uploads', sa.Column('event_slug', sa.String(length=80)))
    op.add_column('dataset_uploads', sa.Column('line_label', sa.String(length=20), server_default='line',
                                               nullable=False))
    op.add_column('dataset_uploads', sa.Column('warnings', postgresql.JSONB(), server_default='[]', nullable=False))
    op.add_column('dataset_uploads', sa.Column('follow_up_jobs', postgresql.JSONB(), server_default='[]',
                                               nullable=False))
    op.add_column('dataset_uploads', sa.Column('started_at', sa.DateTime(timezone=True)))
    op.create_index('ix_dataset_uploads_status', 'dataset_uploads', ['status', 'id'])
    op.create_table(
        'upload_payloads',
        sa.Column('upload_id', sa.Integer(), sa.ForeignKey('dataset_uploads.id', ondelete='CASCADE'),
                  primary_key=True),
        sa.Column('data', sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        'job_requests',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('job_id', sa.String(length=80), nullable=False),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('events.id', ondelete='CASCADE')),
        sa.Column('reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('status', sa.String(length=20), nullable=False, server_default='queued'),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('run_id', sa.BigInteger(), sa.ForeignKey('job_runs.id', ondelete='SET NULL')),
    )
    op.create_index('ix_job_requests_status', 'job_requests', ['status', 'id'])
    op.create_table(
        'worker_heartbeats',
        sa.Column('worker_id', sa.String(length=120), primary_key=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'talent_hub_snapshots',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column('radius_km', sa.Float(), nullable=False),
        sa.Column('min_alumni', sa.Integer(), nullable=False),
        sa.Column('alumni_located', sa.Integer(), nullable=False),
        sa.Column('hubs', postgresql.JSONB(), nullable=False),
    )
    op.create_table(
        'behavior_users',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('external_id', sa.String(length=120), nullable=False, unique=True),
        sa.Column('email', sa.String(length=254), nullable=False, index=True),
        sa.Column('name', sa.String(length=200)),
        sa.Column('interests', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('cuisine_preference', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('dietary_restrictions', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('age', sa.Integer()),
        sa.Column('gender', sa.String(length=40)),
        sa.Column('occupation', sa.String(length=200)),
        sa.Column('relationship_status', sa.String(length=40)),
        sa.Column('table_type_preference', sa.String(length=60)),
        sa.Column('home_neighborhood', sa.String(length=120)),
        sa.Column('work_neighborhood', sa.String(length=120)),
        sa.Column('is_on_team', sa.Boolean(), nullable=False, server_default=sa.false()),
        _updated_at(),
    )
    op.create_table(
        'behavior_orders',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('external_id', sa.String(length=120), nullable=False, unique=True),
        sa.Column('user_external_id', sa.String(length=120), nullable=False, index=True),
        sa.Column('event_external_id', sa.String(length=120)),
        sa.Column('amount', sa.Numeric(12, 2)),
        sa.Column('ordered_at', sa.DateTime(timezone=True)),
        _updated_at(),
    )
    op.create_table(
        'behavior_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('external_id', sa.String(length=120), nullable=False, unique=True),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('held_at', sa.DateTime(timezone=True)),
        sa.Column('venue', sa.String(length=200)),
        sa.Column('host', sa.String(length=200)),
        sa.Column('event_type', sa.String(length=80)),
        sa.Column('participants', postgresql.ARRAY(sa.Text()), nullable=False),
        _updated_at(),
    )
    op.create_index('ix_behavior_events_participants', 'behavior_events', ['participants'],
                    postgresql_using='gin')
    op.create_table(
        'behavior_messages',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('external_id', sa.String(length=120), nullable=False, unique=True),
        sa.Column('user_external_id', sa.String(length=120), nullable=False, index=True),
        sa.Column('content', sa.Text(), nullable=False, server_default=''),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True)),
        sa.Column('queued_at', sa.DateTime(timezone=True)),
        _updated_at(),
    )


def downgrade() -> None:
    for table in ('behavior_messages', 'behavior_events', 'behavior_orders', 'behavior_users',
                  'talent_hub_snapshots', 'worker_heartbeats', 'job_requests', 'upload_payloads'):
        op.drop_table(table)
    op.drop_index('ix_dataset_uploads_status', 'dataset_uploads')
    for column in ('started_at', 'follow_up_jobs', 'warnings', 'line_label', 'event_slug'):
        op.drop_column('dataset_uploads', column)
