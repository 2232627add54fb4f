"""Job-market datasets: job postings with salary ranges and skills.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'job_postings',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('natural_key', sa.String(length=64), nullable=False, unique=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('company', sa.String(length=200)),
        sa.Column('industry', sa.String(length=120)),
        sa.Column('location', sa.String(length=200)),
        sa.Column('lat', sa.Float()),
        sa.Column('lon', sa.Float()),
        sa.Column('salary_min', sa.Float()),
        sa.Column('salary_max', sa.Float()),
        sa.Column('skills', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('experience_level', sa.String(length=60)),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('job_postings')
