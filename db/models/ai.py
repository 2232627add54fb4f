"""Embedding caches, prompt variants, the LLM call log, feedback reports and experiment assignments."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import EMBEDDING_DIM, Base


class VariantStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class PersonEmbedding(Base):
    """A person's profile embedding, cached by the hash of the profile text."""

    __tablename__ = "person_embeddings"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(200))
    embedding: Mapped[list[float]] = mapped_column(Vector(EMBEDDING_DIM))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TextEmbedding(Base):
    """A cached embedding of any text (skill phrase, bio clause, profile), keyed by model and content hash."""

    __tablename__ = "text_embeddings"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    embedding: Mapped[list[float]] = mapped_column(Vector(EMBEDDING_DIM))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PromptVariant(Base):
    """One version of an LLM prompt template, with its A/B traffic weight."""

    __tablename__ = "prompt_variants"
    __table_args__ = (
        UniqueConstraint("name", "version"),
        CheckConstraint("status in ('draft','active','retired')", name="prompt_variant_status"),
        CheckConstraint("weight >= 0 and weight <= 100", name="prompt_variant_weight"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=1)
    template: Mapped[str] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(String(100))
    temperature: Mapped[float] = mapped_column(Float, default=0.3)
    weight: Mapped[float] = mapped_column(Float, default=0)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LLMCall(Base):
    """One LLM call: what it was for, its tokens, estimated cost, latency and outcome (never its content)."""

    __tablename__ = "llm_calls"
    __table_args__ = (
        CheckConstraint("outcome in ('ok','invalid','error','circuit_open')", name="llm_call_outcome"),
        Index("ix_llm_calls_variant_created", "prompt_variant_id", "created_at"),
        Index("ix_llm_calls_event_created", "event_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    feature: Mapped[str] = mapped_column(String(40))
    prompt_variant_id: Mapped[int | None] = mapped_column(ForeignKey("prompt_variants.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    model: Mapped[str] = mapped_column(String(100))
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    outcome: Mapped[str] = mapped_column(String(20))
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FeedbackReport(Base):
    """A computed learning-loop report (feedback analysis or variant optimisation), kept as JSON."""

    __tablename__ = "feedback_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # 'analysis' | 'optimizer'
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    body: Mapped[dict] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ExperimentAssignment(Base):
    __tablename__ = "experiment_assignments"
    __table_args__ = (UniqueConstraint("experiment", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment: Mapped[str] = mapped_column(String(80))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("prompt_variants.id", ondelete="CASCADE"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LLMBatchStatus(StrEnum):
    SUBMITTED = "submitted"
    APPLIED = "applied"
    FAILED = "failed"


class LLMBatch(Base):
    """A Message Batches API submission and what each of its requests was for, until its results are applied."""

    __tablename__ = "llm_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(120), unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    feature: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    request_count: Mapped[int] = mapped_column(Integer, default=0)
    succeeded: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    requests: Mapped[dict] = mapped_column(JSONB, default=dict)  # custom_id -> what the request was for
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
