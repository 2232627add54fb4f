"""The skill graph (nodes, edges, clusters) and career paths (moves, transitions, role statistics, learning-path
priorities, course index, versioned models and stored predictions) built from alumni, job-market and educational
data (seed 003, AI systems 1 and 2)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class SkillRelation(StrEnum):
    """Why two skills are related, strongest evidence first."""

    SAME_FAMILY = "same_family"  # one taxonomy family
    DEMANDED_TOGETHER = "demanded_together"  # co-occur in job postings
    OFTEN_TOGETHER = "often_together"  # co-occur in alumni / attendee profiles and courses
    SIMILAR_MEANING = "similar_meaning"  # embedding similarity only


class BuildKind(StrEnum):
    SKILL_GRAPH = "skill_graph"
    CAREER_PATHS = "career_paths"  # moves, transitions, role stats, role skills, course index
    CAREER_MODEL = "career_model"


class ModelStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class AdviceSource(StrEnum):
    LLM = "llm"
    TEMPLATE = "template"


class CareerBuild(Base):
    """The last build of one kind and the hash of its inputs, so an unchanged rebuild is skipped."""

    __tablename__ = "career_builds"

    kind: Mapped[str] = mapped_column(String(30), primary_key=True)  # BuildKind
    input_hash: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    summary: Mapped[dict] = mapped_column(JSONB, default=dict)


class SkillNode(Base):
    """One normalised skill: where it appears, how popular it is, its demand trend, cluster and centrality."""

    __tablename__ = "skill_nodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # normalised phrase, e.g. "javascript"
    name: Mapped[str] = mapped_column(String(120))  # display label, e.g. "JavaScript"
    family: Mapped[str | None] = mapped_column(String(120))  # taxonomy concept family, if any
    alumni_count: Mapped[int] = mapped_column(Integer, default=0)
    job_count: Mapped[int] = mapped_column(Integer, default=0)
    course_count: Mapped[int] = mapped_column(Integer, default=0)
    attendee_count: Mapped[int] = mapped_column(Integer, default=0)
    popularity: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    recent_jobs: Mapped[int] = mapped_column(Integer, default=0)
    earlier_jobs: Mapped[int] = mapped_column(Integer, default=0)
    trend: Mapped[float | None] = mapped_column(Float)  # growth of demand, recent vs earlier postings
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    centrality: Mapped[float] = mapped_column(Float, default=0.0)


class SkillEdge(Base):
    """A directed relation source -> target: embedding similarity, P(target | source) co-occurrence, their weight."""

    __tablename__ = "skill_edges"
    __table_args__ = (Index("ix_skill_edges_source_weight", "source_id", "weight"),)

    source_id: Mapped[int] = mapped_column(ForeignKey("skill_nodes.id", ondelete="CASCADE"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("skill_nodes.id", ondelete="CASCADE"), primary_key=True)
    similarity: Mapped[float] = mapped_column(Float)
    cooccurrence: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(30))  # SkillRelation


class SkillCluster(Base):
    """A community of skills (Louvain), named by its most central skills."""

    __tablename__ = "skill_clusters"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    skills: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)  # display names, most central first
    size: Mapped[int] = mapped_column(Integer)


class CareerMove(Base):
    """One step of an alumnus's career between role families, from the role history (current role last)."""

    __tablename__ = "career_moves"
    __table_args__ = (Index("ix_career_moves_roles", "from_role", "to_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumni.id", ondelete="CASCADE"), index=True)
    from_role: Mapped[str] = mapped_column(String(120))
    to_role: Mapped[str] = mapped_column(String(120))
    months: Mapped[float | None] = mapped_column(Float)  # time spent in from_role
    moved_year: Mapped[int | None] = mapped_column(Integer)


class CareerTransition(Base):
    """P(next role family | role family) with its count, mean time in role and the skills common among movers."""

    __tablename__ = "career_transitions"

    from_role: Mapped[str] = mapped_column(String(120), primary_key=True)
    to_role: Mapped[str] = mapped_column(String(120), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    probability: Mapped[float] = mapped_column(Float)
    mean_months: Mapped[float | None] = mapped_column(Float)
    common_skills: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)


class CareerRole(Base):
    """One role family's statistics: who holds it now, how long people stay, its typical skills."""

    __tablename__ = "career_roles"

    role: Mapped[str] = mapped_column(String(120), primary_key=True)
    alumni_count: Mapped[int] = mapped_column(Integer, default=0)  # current holders
    movers_out: Mapped[int] = mapped_column(Integer, default=0)
    movers_in: Mapped[int] = mapped_column(Integer, default=0)
    mean_months_in_role: Mapped[float | None] = mapped_column(Float)
    mean_years_experience: Mapped[float | None] = mapped_column(Float)
    required_skills: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)  # most common among holders


class CareerRoleSkill(Base):
    """How much a skill matters for reaching a role: share of movers into it who had it, job demand, priority."""

    __tablename__ = "career_role_skills"

    role: Mapped[str] = mapped_column(String(120), primary_key=True)
    skill: Mapped[str] = mapped_column(String(120), primary_key=True)  # display name of the skill node
    mover_share: Mapped[float] = mapped_column(Float)
    demand: Mapped[float] = mapped_column(Float)
    priority: Mapped[float] = mapped_column(Float)


class SkillCourse(Base):
    """A course from the educational data that taught a skill, with a time estimate."""

    __tablename__ = "skill_courses"

    skill: Mapped[str] = mapped_column(String(120), primary_key=True)  # display name of the skill node
    course_name: Mapped[str] = mapped_column(String(300), primary_key=True)
    completions: Mapped[int] = mapped_column(Integer)
    hours: Mapped[float] = mapped_column(Float)
    hours_estimated: Mapped[bool] = mapped_column(default=True)  # False when the data gave durations


class CareerModel(Base):
    """A trained next-role model: version, algorithm, cross-validation metrics, training date and the model bytes."""

    __tablename__ = "career_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    algorithm: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), index=True)  # ModelStatus
    trained_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    training_rows: Mapped[int] = mapped_column(Integer)
    metrics: Mapped[dict] = mapped_column(JSONB, default=dict)
    features: Mapped[dict] = mapped_column(JSONB, default=dict)
    input_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class CareerPrediction(Base):
    """An alumnus's stored top next roles (probability, time frame, required skills, gap, similar movers) and advice."""

    __tablename__ = "career_predictions"

    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumni.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)  # so "download my data" finds it
    model_id: Mapped[int | None] = mapped_column(ForeignKey("career_models.id", ondelete="SET NULL"))
    current_role: Mapped[str | None] = mapped_column(String(120))
    predictions: Mapped[list[dict]] = mapped_column(JSONB, default=list)
    advice: Mapped[str | None] = mapped_column(Text)
    advice_source: Mapped[str | None] = mapped_column(String(20))  # AdviceSource
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
