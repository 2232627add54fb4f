"""The skill graph and career paths (seed 003, AI systems 1 and 2); alumni visibility, posting dates, course hours.

Revision ID: 0018
Revises: 0017
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('alumni', sa.Column('visibility', sa.String(length=20), nullable=False,
                                      server_default='organizers'))
    op.add_column('alumni', sa.Column('skill_keys', postgresql.ARRAY(sa.Text()), nullable=False, server_default='{}'))
    op.create_index('ix_alumni_skill_keys', 'alumni', ['skill_keys'], postgresql_using='gin')
    op.add_column('job_postings', sa.Column('posted_on', sa.Date(), nullable=True))
    op.create_index('ix_job_postings_posted_on', 'job_postings', ['posted_on'])
    op.add_column('course_completions', sa.Column('duration_hours', sa.Float(), nullable=True))
    op.create_table(
        'career_builds',
        sa.Column('kind', sa.String(length=30), primary_key=True),
        sa.Column('input_hash', sa.String(length=64), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('summary', postgresql.JSONB(), nullable=False),
    )
    op.create_table(
        'skill_nodes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(length=120), nullable=False, unique=True),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('family', sa.String(length=120), nullable=True),
        sa.Column('alumni_count', sa.Integer(), nullable=False),
        sa.Column('job_count', sa.Integer(), nullable=False),
        sa.Column('course_count', sa.Integer(), nullable=False),
        sa.Column('attendee_count', sa.Integer(), nullable=False),
        sa.Column('popularity', sa.Float(), nullable=False),
        sa.Column('recent_jobs', sa.Integer(), nullable=False),
        sa.Column('earlier_jobs', sa.Integer(), nullable=False),
        sa.Column('trend', sa.Float(), nullable=True),
        sa.Column('cluster_id', sa.Integer(), nullable=True),
        sa.Column('centrality', sa.Float(), nullable=False),
    )
    op.create_index('ix_skill_nodes_cluster_id', 'skill_nodes', ['cluster_id'])
    op.create_table(
        'skill_edges',
        sa.Column('source_id', sa.Integer(), sa.ForeignKey('skill_nodes.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('target_id', sa.Integer(), sa.ForeignKey('skill_nodes.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('similarity', sa.Float(), nullable=False),
        sa.Column('cooccurrence', sa.Float(), nullable=False),
        sa.Column('weight', sa.Float(), nullable=False),
        sa.Column('reason', sa.String(length=30), nullable=False),
    )
    op.create_index('ix_skill_edges_source_weight', 'skill_edges', ['source_id', 'weight'])
    op.create_table(
        'skill_clusters',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('skills', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
    )
    op.create_table(
        'career_moves',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('alumnus_id', sa.Integer(), sa.ForeignKey('alumni.id', ondelete='CASCADE'), nullable=False),
        sa.Column('from_role', sa.String(length=120), nullable=False),
        sa.Column('to_role', sa.String(length=120), nullable=False),
        sa.Column('months', sa.Float(), nullable=True),
        sa.Column('moved_year', sa.Integer(), nullable=True),
    )
    op.create_index('ix_career_moves_alumnus_id', 'career_moves', ['alumnus_id'])
    op.create_index('ix_career_moves_roles', 'career_moves', ['from_role', 'to_role'])
    op.create_table(
        'career_transitions',
        sa.Column('from_role', sa.String(length=120), primary_key=True),
        sa.Column('to_role', sa.String(length=120), primary_key=True),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('probability', sa.Float(), nullable=False),
        sa.Column('mean_months', sa.Float(), nullable=True),
        sa.Column('common_skills', postgresql.ARRAY(sa.Text()), nullable=False),
    )
    op.create_table(
        'career_roles',
        sa.Column('role', sa.String(length=120), primary_key=True),
        sa.Column('alumni_count', sa.Integer(), nullable=False),
        sa.Column('movers_out', sa.Integer(), nullable=False),
        sa.Column('movers_in', sa.Integer(), nullable=False),
        sa.Column('mean_months_in_role', sa.Float(), nullable=True),
        sa.Column('mean_years_experience', sa.Float(), nullable=True),
        sa.Column('required_skills', postgresql.ARRAY(sa.Text()), nullable=False),
    )
    op.create_table(
        'career_role_skills',
        sa.Column('role', sa.String(length=120), primary_key=True),
        sa.Column('skill', sa.String(length=120), primary_key=True),
        sa.Column('mover_share', sa.Float(), nullable=False),
        sa.Column('demand', sa.Float(), nullable=False),
        sa.Column('priority', sa.Float(), nullable=False),
    )
    op.create_table(
        'skill_courses',
        sa.Column('skill', sa.String(length=120), primary_key=True),
        sa.Column('course_name', sa.String(length=300), primary_key=True),
        sa.Column('completions', sa.Integer(), nullable=False),
        sa.Column('hours', sa.Float(), nullable=False),
        sa.Column('hours_estimated', sa.Boolean(), nullable=False),
    )
    op.create_table(
        'career_models',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('version', sa.Integer(), nullable=False, unique=True),
        sa.Column('algorithm', sa.String(length=80), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('trained_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('training_rows', sa.Integer(), nullable=False),
        sa.Column('metrics', postgresql.JSONB(), nullable=False),
        sa.Column('features', postgresql.JSONB(), nullable=False),
        sa.Column('input_hash', sa.String(length=64), nullable=False),
        sa.Column('payload', sa.LargeBinary(), nullable=False),
    )
    op.create_index('ix_career_models_status', 'career_models', ['status'])
    op.create_table(
        'career_predictions',
        sa.Column('alumnus_id', sa.Integer(), sa.ForeignKey('alumni.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('model_id', sa.Integer(), sa.ForeignKey('career_models.id', ondelete='SET NULL'), nullable=True),
        sa.Column('current_role', sa.String(length=120), nullable=True),
        sa.Column('predictions', postgresql.JSONB(), nullable=False),
        sa.Column('advice', sa.Text(), nullable=True),
        sa.Column('advice_source', sa.String(length=20), nullable=True),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_career_predictions_email', 'career_predictions', ['email'])


def downgrade() -> None:
    for table in ('career_predictions', 'career_models', 'skill_courses', 'career_role_skills', 'career_roles',
                  'career_transitions', 'career_moves', 'skill_clusters', 'skill_edges', 'skill_nodes',
                  'career_builds'):
        op.drop_table(table)
    op.drop_column('course_completions', 'duration_hours')
    op.drop_index('ix_job_postings_posted_on', 'job_postings')
    op.drop_column('job_postings', 'posted_on')
    op.drop_index('ix_alumni_skill_keys', 'alumni')
    op.drop_column('alumni', 'skill_keys')
    op.drop_column('alumni', 'visibility')
