"""Enrichment agent (seed 000 §2, §8): attempts, last error, sources, queue time and input hash per person; the
source cache and rate buckets; favourites and taste profiles (seed 004).

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects import postgresql

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('people', sa.Column('enrichment_sources', postgresql.ARRAY(sa.Text()), nullable=False,
                                      server_default='{}'))
    op.add_column('people', sa.Column('enrichment_attempts', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('people', sa.Column('enrichment_last_error', sa.String(length=500), nullable=True))
    op.add_column('people', sa.Column('enrichment_due_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('people', sa.Column('enrichment_input_hash', sa.String(length=64), nullable=True))
    op.add_column('people', sa.Column('taste_opt_out', sa.Boolean(), nullable=False, server_default='false'))
    op.create_index('ix_people_enrichment_due', 'people', ['enrichment_due_at'],
                    postgresql_where=sa.text('enrichment_due_at IS NOT NULL'))
    op.create_table(
        'enrichment_cache',
        sa.Column('source', sa.String(length=20), primary_key=True),
        sa.Column('key_hash', sa.String(length=64), primary_key=True),
        sa.Column('key', sa.String(length=500), nullable=False),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=True),
        sa.Column('payload', postgresql.JSONB(), nullable=False),
        sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_enrichment_cache_person_id', 'enrichment_cache', ['person_id'])
    op.create_index('ix_enrichment_cache_expires_at', 'enrichment_cache', ['expires_at'])
    op.create_table(
        'enrichment_rate_buckets',
        sa.Column('source', sa.String(length=20), primary_key=True),
        sa.Column('tokens', sa.Float(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        'favourites',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('canonical_title', sa.String(length=300), nullable=False),
        sa.Column('rating', sa.SmallInteger(), nullable=True),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('person_id', 'kind', 'canonical_title', name='uq_favourite_title'),
    )
    op.create_index('ix_favourites_person_id', 'favourites', ['person_id'])
    op.create_table(
        'taste_profiles',
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('people.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('vector', Vector(384), nullable=False),
        sa.Column('titles', sa.Integer(), nullable=False),
        sa.Column('input_hash', sa.String(length=64), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('traits', postgresql.JSONB(), nullable=False, server_default='{}'),
        sa.Column('traits_summary', sa.String(length=300), nullable=True),
        sa.Column('traits_input_hash', sa.String(length=64), nullable=True),
        sa.Column('traits_inferred_at', sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table('taste_profiles')
    op.drop_table('favourites')
    op.drop_table('enrichment_rate_buckets')
    op.drop_table('enrichment_cache')
    op.drop_index('ix_people_enrichment_due', 'people')
    for column in ('taste_opt_out', 'enrichment_input_hash', 'enrichment_due_at', 'enrichment_last_error',
                   'enrichment_attempts', 'enrichment_sources'):
        op.drop_column('people', column)
