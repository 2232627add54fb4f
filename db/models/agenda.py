"""Personal agenda items and 1:1 meetings."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class MeetingStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class AgendaItem(Base):
    """A session in an attendee's planned agenda."""

    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("person_id", "session_id", name="uq_agenda_item"),
                      Index("ix_agenda_items_event_person", "event_id", "person_id"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    kept: Mapped[bool] = mapped_column(Boolean, default=False)
    planned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Meeting(Base):
    """A 1:1 meeting request between two attendees (or an attendee and a speaker with an attendee account)."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("status in ('pending','accepted','declined','cancelled')", name="meeting_status"),
        CheckConstraint("requester_id <> recipient_id", name="meeting_two_people"),
        Index("ix_meetings_requester_created", "requester_id", "created_at"),
        Index("ix_meetings_recipient", "recipient_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12))
    proposed_by: Mapped[int] = mapped_column(Integer)  # whoever proposed the current slots; the other one answers
    proposed_slots: Mapped[list[str]] = mapped_column(JSONB)  # ISO start times
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
