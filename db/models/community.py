"""Digital alumni ID cards with their review queue and verification log, knowledge capsules with views, reactions,
per-reader rankings and relevance cache, and engagement scores with their history and badges (seed 003, AI systems
4, 5 and 6)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Sequence,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base

CARD_NUMBER_SEQUENCE = Sequence("alumni_card_number_seq")  # the {SEQUENCE} of ALM-{YEAR}-{DEPT}-{SEQUENCE}


class CardStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    REPLACED = "replaced"  # a reissue made a new card


class CardRequestStatus(StrEnum):
    REVIEW = "review"  # a possible duplicate: waits for an admin
    ISSUED = "issued"
    REJECTED = "rejected"


class VerificationMethod(StrEnum):
    QR_SCAN = "qr_scan"
    MANUAL = "manual"
    API = "api"


class AlumniCard(Base):
    """A digital alumni ID card: its number, validity, the encrypted QR token and how often it was verified."""

    __tablename__ = "alumni_cards"
    __table_args__ = (Index("uq_alumni_cards_one_active", "alumnus_id", unique=True,
                            postgresql_where=text("status = 'active'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_uid: Mapped[str] = mapped_column(String(36), unique=True)  # a uuid4, the card id inside the QR payload
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumni.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    card_number: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    batch_year: Mapped[int] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(String(120))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), index=True)  # CardStatus
    token: Mapped[str] = mapped_column(Text)  # the Fernet token the QR encodes
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(String(300))
    verification_count: Mapped[int] = mapped_column(Integer, default=0)
    last_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AlumniCardRequest(Base):
    """A request for a card: issued at once, or queued for review as a possible duplicate of another alumnus."""

    __tablename__ = "alumni_card_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumni.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), index=True)  # CardRequestStatus
    similar_alumnus_id: Mapped[int | None] = mapped_column(ForeignKey("alumni.id", ondelete="SET NULL"))
    similarity: Mapped[float | None] = mapped_column(Float)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("alumni_cards.id", ondelete="SET NULL"))


class AlumniCardVerification(Base):
    """One verification of a card (or of a token that named no card): method, validity and each check's result."""

    __tablename__ = "alumni_card_verifications"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("alumni_cards.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))  # VerificationMethod
    valid: Mapped[bool] = mapped_column(Boolean)
    checks: Mapped[dict] = mapped_column(JSONB)  # {"decryption": true, "exists": true, "active": ..., ...}
    verified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class CapsuleSource(StrEnum):
    UPLOAD = "upload"
    WRITTEN = "written"


class ReactionKind(StrEnum):
    LIKE = "like"
    BOOKMARK = "bookmark"


class KnowledgeCapsule(Base):
    """A short piece of knowledge: uploaded or written by an attendee or alumnus, with its engagement counters."""

    __tablename__ = "knowledge_capsules"

    id: Mapped[int] = mapped_column(primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(64), unique=True)  # hash of title and author, for re-uploads
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    category: Mapped[str | None] = mapped_column(String(80))
    author_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    author_name: Mapped[str] = mapped_column(String(200))
    author_email: Mapped[str | None] = mapped_column(String(254), index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))  # CapsuleSource
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    views_count: Mapped[int] = mapped_column(Integer, default=0)
    likes_count: Mapped[int] = mapped_column(Integer, default=0)
    bookmarks_count: Mapped[int] = mapped_column(Integer, default=0)


class CapsuleView(Base):
    """One reader's view of a capsule (one per reader and day), for counts and trends."""

    __tablename__ = "capsule_views"
    __table_args__ = (UniqueConstraint("capsule_id", "person_id", "day", name="uq_capsule_view_per_day"),
                      Index("ix_capsule_views_capsule_viewed", "capsule_id", "viewed_at"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    capsule_id: Mapped[int] = mapped_column(ForeignKey("knowledge_capsules.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the view's day at 00:00 UTC
    viewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CapsuleReaction(Base):
    """A reader's like or bookmark of a capsule (at most one of each)."""

    __tablename__ = "capsule_reactions"

    capsule_id: Mapped[int] = mapped_column(ForeignKey("knowledge_capsules.id", ondelete="CASCADE"),
                                            primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # ReactionKind
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CapsuleRanking(Base):
    """A capsule's place in one reader's ranking, with the score of each component."""

    __tablename__ = "capsule_rankings"
    __table_args__ = (Index("ix_capsule_rankings_reader_rank", "person_id", "rank"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    capsule_id: Mapped[int] = mapped_column(ForeignKey("knowledge_capsules.id", ondelete="CASCADE"),
                                            primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[dict] = mapped_column(JSONB)  # skill_match, engagement, credibility, recency, relevance
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CapsuleRankingRun(Base):
    """When a reader's ranking was last computed, and over which capsules, so it is reused for an hour."""

    __tablename__ = "capsule_ranking_runs"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capsules_version: Mapped[str] = mapped_column(String(64))  # changes when a capsule is added or edited


class CapsuleRelevance(Base):
    """The cached 0-1 relevance of a capsule for a reader's profile: from the LLM, else embedding similarity."""

    __tablename__ = "capsule_relevance"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    capsule_id: Mapped[int] = mapped_column(ForeignKey("knowledge_capsules.id", ondelete="CASCADE"),
                                            primary_key=True)
    profile_hash: Mapped[str] = mapped_column(String(64))
    relevance: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(20))  # "llm" or "embedding"
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EngagementLevel(StrEnum):
    BEGINNER = "Beginner"
    ACTIVE = "Active"
    CONTRIBUTOR = "Contributor"
    VETERAN = "Veteran"
    LEGEND = "Legend"


class EngagementScore(Base):
    """A person's current engagement score: total, level, points per factor, rank and streak."""

    __tablename__ = "engagement_scores"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    total: Mapped[float] = mapped_column(Float, index=True)
    level: Mapped[str] = mapped_column(String(20))  # EngagementLevel
    factors: Mapped[dict] = mapped_column(JSONB)  # factor -> points
    rank: Mapped[int | None] = mapped_column(Integer)  # all-time, among people on leaderboards
    streak_days: Mapped[int] = mapped_column(Integer, default=0)
    last_active_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EngagementHistory(Base):
    """One recalculation of a person's score with its breakdown, for the history chart and monthly leaderboards."""

    __tablename__ = "engagement_history"
    __table_args__ = (Index("ix_engagement_history_person_at", "person_id", "computed_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    total: Mapped[float] = mapped_column(Float)
    factors: Mapped[dict] = mapped_column(JSONB)


class PersonBadge(Base):
    """A badge a person earned for a milestone, once."""

    __tablename__ = "person_badges"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    badge: Mapped[str] = mapped_column(String(40), primary_key=True)
    earned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
