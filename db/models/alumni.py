"""Alumni, job postings, course completions and talent-hub snapshots."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class AlumniVisibility(StrEnum):
    """Who may find an alumnus in a search by skills; aggregates (graph, transitions) always count everyone."""

    COMMUNITY = "community"  # every signed-in user
    ORGANIZERS = "organizers"  # organizers and admins only (the default: uploads carry no consent)
    HIDDEN = "hidden"  # nobody


class Alumnus(Base):
    """An alumni record (seed 003): where graduates work, for the talent heatmap."""

    __tablename__ = "alumni"
    __table_args__ = (Index("ix_alumni_skill_keys", "skill_keys", postgresql_using="gin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    batch_year: Mapped[int | None] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(120))
    current_company: Mapped[str | None] = mapped_column(String(200))
    current_role: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    skills: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # the skills' normalised keys (core/knowledge/skill_names.py), for searches by skill with a GIN index
    skill_keys: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    linkedin_url: Mapped[str | None] = mapped_column(String(300))
    role_history: Mapped[list[dict]] = mapped_column(JSONB, default=list, server_default="[]")
    visibility: Mapped[str] = mapped_column(String(20), default=AlumniVisibility.ORGANIZERS,
                                            server_default=AlumniVisibility.ORGANIZERS.value)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    # an admin's check of the record (seed 003's is_verified / verified_by): a card needs it
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))


class JobPosting(Base):
    """A job posting from a job-market dataset (seed 003): demand for skills, by place and company."""

    __tablename__ = "job_postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(64), unique=True)  # hash of title, company, location
    title: Mapped[str] = mapped_column(String(300))
    company: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    salary_min: Mapped[float | None] = mapped_column(Float)
    salary_max: Mapped[float | None] = mapped_column(Float)
    skills: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    experience_level: Mapped[str | None] = mapped_column(String(60))
    posted_on: Mapped[date | None] = mapped_column(Date, index=True)  # for demand trends; upload day if absent
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CourseCompletion(Base):
    """A course a student or alumnus completed (seed 003's educational dataset)."""

    __tablename__ = "course_completions"
    __table_args__ = (UniqueConstraint("student_id", "course_name", name="uq_course_completion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    course_name: Mapped[str] = mapped_column(String(300))
    grade: Mapped[str | None] = mapped_column(String(10))
    completion_date: Mapped[date | None] = mapped_column(Date)
    skills_learned: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    instructor: Mapped[str | None] = mapped_column(String(200))
    duration_hours: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TalentHubSnapshot(Base):
    """The talent hubs of all located alumni at one cluster rebuild, for growth between upload periods."""

    __tablename__ = "talent_hub_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    radius_km: Mapped[float] = mapped_column(Float)
    min_alumni: Mapped[int] = mapped_column(Integer)
    alumni_located: Mapped[int] = mapped_column(Integer)
    hubs: Mapped[list[dict]] = mapped_column(JSONB)
