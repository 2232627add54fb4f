"""Educational datasets: course completions.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'course_completions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('student_id', sa.String(length=120), nullable=False),
        sa.Column('email', sa.String(length=254)),
        sa.Column('course_name', sa.String(length=300), nullable=False),
        sa.Column('grade', sa.String(length=10)),
        sa.Column('completion_date', sa.Date()),
        sa.Column('skills_learned', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('instructor', sa.String(length=200)),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.UniqueConstraint('student_id', 'course_name', name='uq_course_completion'),
    )
    op.create_index('ix_course_completions_email', 'course_completions', ['email'])


def downgrade() -> None:
    op.drop_table('course_completions')
