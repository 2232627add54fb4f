"""Huddles (small-group meetups, seed 000 §6.2), their participants, and attendees' shared venue zones."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
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
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class HuddleKind(StrEnum):
    """Which generator formed the huddle (seed 000 §6.3)."""

    PROBLEM = "problem"
    SESSION = "session"
    PROXIMITY = "proximity"


class HuddleStatus(StrEnum):
    FORMING = "forming"
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ParticipantStatus(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class Huddle(Base):
    """A small-group meetup: 3–8 people, one topic, one place, 15 minutes. `version` counts accepted changes."""

    __tablename__ = "huddles"
    __table_args__ = (
        Index("ix_huddles_event_status", "event_id", "status"),
        Index("ix_huddles_starts_at", "starts_at"),
        CheckConstraint("min_participants >= 1 AND max_participants >= min_participants",
                        name="huddle_participant_bounds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=HuddleKind.PROBLEM.value, server_default="problem")
    topic: Mapped[str] = mapped_column(String(200))
    problem_statement: Mapped[str] = mapped_column(Text, default="")
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    location_name: Mapped[str | None] = mapped_column(String(200))
    location_lat: Mapped[float | None] = mapped_column(Float)
    location_lon: Mapped[float | None] = mapped_column(Float)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    status: Mapped[str] = mapped_column(String(20), default=HuddleStatus.FORMING.value, server_default="forming")
    min_participants: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    max_participants: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class HuddleParticipant(Base):
    __tablename__ = "huddle_participants"
    __table_args__ = (
        UniqueConstraint("huddle_id", "person_id"),
        Index("ix_huddle_participants_person", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    huddle_id: Mapped[int] = mapped_column(ForeignKey("huddles.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=ParticipantStatus.INVITED.value, server_default="invited")
    invited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LocationShare(Base):
    """Where in the venue an attendee said they are (opt-in); it expires after 30 minutes."""

    __tablename__ = "location_shares"
    __table_args__ = (Index("ix_location_shares_event_expires", "event_id", "expires_at"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    zone: Mapped[str] = mapped_column(String(120))
    shared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
