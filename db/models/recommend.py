"""Stored recommendations, match controls (dismiss, snooze, block) and session actions."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

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

from db.models.base import Base, enum_column


class SessionActionKind(StrEnum):
    BOOKMARK = "bookmark"
    DISMISS = "dismiss"
    ATTENDED = "attended"


class RecommendationKind(StrEnum):
    PERSON = "person"
    SESSION = "session"
    SPEAKER = "speaker"


class RecommendationSlot(StrEnum):
    """Why a card holds its place in a list: the best matches, or the one slot kept for exploration (seed 004 §3)."""

    MATCH = "match"
    ADJACENT_INTEREST = "adjacent_interest"


class Recommendation(Base):
    """A stored recommendation of a person, session or speaker to an attendee."""

    __tablename__ = "recommendations"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", "kind", "target_person_id", "target_session_id",
                         "target_speaker_id", name="uq_recommendation_target", postgresql_nulls_not_distinct=True),
        Index("ix_recommendations_user_event_kind", "user_id", "event_id", "kind"),
        # refreshes update every row in place (migration 0022): no index on expires_at, half of each page free
        {"postgresql_with": {"fillfactor": 50}},
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[RecommendationKind] = mapped_column(enum_column(RecommendationKind, "recommendation_kind"))
    target_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    target_session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    target_speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"))
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSONB, default=list)
    chips: Mapped[list[str]] = mapped_column(JSONB, default=list)
    starters: Mapped[list[str]] = mapped_column(JSONB, default=list)
    potential_value: Mapped[str] = mapped_column(Text, default="")
    strategy: Mapped[str] = mapped_column(String(20))
    slot: Mapped[RecommendationSlot] = mapped_column(enum_column(RecommendationSlot, "recommendation_slot"),
                                                     default=RecommendationSlot.MATCH,
                                                     server_default=RecommendationSlot.MATCH.value)
    prompt_variant_id: Mapped[int | None] = mapped_column(ForeignKey("prompt_variants.id", ondelete="SET NULL"))
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    viewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pinged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    connected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bookmarked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dismissed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MatchControl(Base):
    """A person's control over whom they see: block, snooze, dismiss, more/less like this."""

    __tablename__ = "match_controls"
    __table_args__ = (
        UniqueConstraint("person_id", "target_person_id", "kind"),
        CheckConstraint("kind in ('block','snooze','dismiss','more_like','less_like')", name="match_control_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    target_person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))
    until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SessionAction(Base):
    """An attendee's action on a session: bookmark, dismiss, attended, or an agenda keep/drop override."""

    __tablename__ = "session_actions"
    __table_args__ = (
        UniqueConstraint("person_id", "session_id", "kind", name="uq_session_action"),
        CheckConstraint("kind in ('bookmark','dismiss','attended','keep','drop')", name="session_action_kind"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
