"""Alumni ID cards, knowledge capsules and engagement scoring (seed 003, AI systems 4, 5 and 6); alumni verification.

Revision ID: 0019
Revises: 0018
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE alumni_card_number_seq")
    op.create_table('capsule_ranking_runs',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capsules_version', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id')
    )
    op.create_table('engagement_history',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('factors', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_engagement_history_person_at', 'engagement_history', ['person_id', 'computed_at'], unique=False)
    op.create_table('engagement_scores',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('factors', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('streak_days', sa.Integer(), nullable=False),
    sa.Column('last_active_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id')
    )
    op.create_index(op.f('ix_engagement_scores_total'), 'engagement_scores', ['total'], unique=False)
    op.create_table('knowledge_capsules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('natural_key', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=True),
    sa.Column('author_person_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('author_email', sa.String(length=254), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('views_count', sa.Integer(), nullable=False),
    sa.Column('likes_count', sa.Integer(), nullable=False),
    sa.Column('bookmarks_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_person_id'], ['people.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('natural_key')
    )
    op.create_index(op.f('ix_knowledge_capsules_author_email'), 'knowledge_capsules', ['author_email'], unique=False)
    op.create_index(op.f('ix_knowledge_capsules_author_person_id'), 'knowledge_capsules', ['author_person_id'], unique=False)
    op.create_index(op.f('ix_knowledge_capsules_created_at'), 'knowledge_capsules', ['created_at'], unique=False)
    op.create_table('person_badges',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('badge', sa.String(length=40), nullable=False),
    sa.Column('earned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'badge')
    )
    op.create_table('capsule_rankings',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('capsule_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('breakdown', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['capsule_id'], ['knowledge_capsules.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'capsule_id')
    )
    op.create_index('ix_capsule_rankings_reader_rank', 'capsule_rankings', ['person_id', 'rank'], unique=False)
    op.create_table('capsule_reactions',
    sa.Column('capsule_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['capsule_id'], ['knowledge_capsules.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('capsule_id', 'person_id', 'kind')
    )
    op.create_table('capsule_relevance',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('capsule_id', sa.Integer(), nullable=False),
    sa.Column('profile_hash', sa.String(length=64), nullable=False),
    sa.Column('relevance', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['capsule_id'], ['knowledge_capsules.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'capsule_id')
    )
    op.create_table('capsule_views',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('capsule_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.DateTime(timezone=True), nullable=False),
    sa.Column('viewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['capsule_id'], ['knowledge_capsules.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('capsule_id', 'person_id', 'day', name='uq_capsule_view_per_day')
    )
    op.create_index('ix_capsule_views_capsule_viewed', 'capsule_views', ['capsule_id', 'viewed_at'], unique=False)
    op.create_index(op.f('ix_capsule_views_person_id'), 'capsule_views', ['person_id'], unique=False)
    op.create_table('alumni_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_uid', sa.String(length=36), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('card_number', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('batch_year', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=120), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('token', sa.Text(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=300), nullable=True),
    sa.Column('verification_count', sa.Integer(), nullable=False),
    sa.Column('last_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumni.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by'], ['accounts.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('card_number'),
    sa.UniqueConstraint('card_uid')
    )
    op.create_index(op.f('ix_alumni_cards_alumnus_id'), 'alumni_cards', ['alumnus_id'], unique=False)
    op.create_index(op.f('ix_alumni_cards_person_id'), 'alumni_cards', ['person_id'], unique=False)
    op.create_index(op.f('ix_alumni_cards_status'), 'alumni_cards', ['status'], unique=False)
    op.create_index('uq_alumni_cards_one_active', 'alumni_cards', ['alumnus_id'], unique=True,
                    postgresql_where=sa.text("status = 'active'"))
    op.create_table('alumni_card_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alumnus_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('similar_alumnus_id', sa.Integer(), nullable=True),
    sa.Column('similarity', sa.Float(), nullable=True),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['alumnus_id'], ['alumni.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['card_id'], ['alumni_cards.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by'], ['accounts.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['similar_alumnus_id'], ['alumni.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_alumni_card_requests_alumnus_id'), 'alumni_card_requests', ['alumnus_id'], unique=False)
    op.create_index(op.f('ix_alumni_card_requests_status'), 'alumni_card_requests', ['status'], unique=False)
    op.create_table('alumni_card_verifications',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('checks', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['alumni_cards.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_alumni_card_verifications_card_id'), 'alumni_card_verifications', ['card_id'], unique=False)
    op.create_index(op.f('ix_alumni_card_verifications_verified_at'), 'alumni_card_verifications', ['verified_at'], unique=False)
    op.add_column('alumni', sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('alumni', sa.Column('verified_by', sa.Integer(), nullable=True))
    op.create_foreign_key('fk_alumni_verified_by', 'alumni', 'accounts', ['verified_by'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    op.drop_constraint('fk_alumni_verified_by', 'alumni', type_='foreignkey')
    op.drop_column('alumni', 'verified_by')
    op.drop_column('alumni', 'verified_at')
    for table in ('alumni_card_verifications', 'alumni_card_requests', 'alumni_cards', 'capsule_views',
                  'capsule_relevance', 'capsule_reactions', 'capsule_rankings', 'person_badges', 'knowledge_capsules',
                  'engagement_scores', 'engagement_history', 'capsule_ranking_runs'):
        op.drop_table(table)
    op.execute("DROP SEQUENCE alumni_card_number_seq")
