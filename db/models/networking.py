"""Connection requests, connections with their activities, notes, follow-up drafts and feedback, recommendation
feedback, message threads, notifications, and blocks and reports."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import text

from db.models.base import Base


class ConnectionOrigin(StrEnum):
    """Where a connection started (seed 000 §7.2)."""

    RECOMMENDATION = "recommendation"
    PING = "ping"
    HUDDLE = "huddle"
    MEETING = "meeting"
    MESSAGE = "message"
    MANUAL = "manual"


class ConnectionStrength(StrEnum):
    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"


class FollowUpState(StrEnum):
    NONE = "none"
    PENDING = "pending"
    SENT = "sent"
    ANSWERED = "answered"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ConnectionRequest(Base):
    """A request to connect, with an optional note; it becomes a connection only when accepted."""

    __tablename__ = "connection_requests"
    __table_args__ = (
        CheckConstraint("requester_id <> recipient_id", name="connection_request_two_people"),
        Index("ix_connection_requests_recipient", "recipient_id", "status"),
        Index("ix_connection_requests_requester", "requester_id", "created_at"),
        # replacing an event's recommendations checks each deleted row for requests made from it (ON DELETE SET
        # NULL), and the analytics count the requests per recommendation: without this, a scan per row
        Index("ix_connection_requests_recommendation", "recommendation_id",
              postgresql_where=text("recommendation_id IS NOT NULL")),
        Index("uq_connection_request_pending_pair", text("LEAST(requester_id, recipient_id)"),
              text("GREATEST(requester_id, recipient_id)"), unique=True,
              postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id", ondelete="SET NULL"))
    origin: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Connection(Base):
    """A mutual connection; person_a_id < person_b_id so each pair is stored once."""

    __tablename__ = "connections"
    __table_args__ = (
        UniqueConstraint("person_a_id", "person_b_id"),
        CheckConstraint("person_a_id < person_b_id", name="connection_ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_a_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    person_b_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(30), default="recommendation")
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    strength: Mapped[str] = mapped_column(String(10), default="weak", server_default="weak")
    interaction_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_interaction_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    follow_up_state: Mapped[str] = mapped_column(String(20), default="none", server_default="none")


class ConnectionNote(Base):
    """One person's private note on one of their connections."""

    __tablename__ = "connection_notes"

    connection_id: Mapped[int] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MessageKind(StrEnum):
    MESSAGE = "message"
    PING = "ping"
    REQUEST = "request"  # the note of a connection request
    FOLLOW_UP = "follow_up"


class MessageThread(Base):
    """One-to-one conversation; person_a_id < person_b_id so each pair has one thread."""

    __tablename__ = "message_threads"
    __table_args__ = (
        UniqueConstraint("person_a_id", "person_b_id", name="uq_message_thread_pair"),
        CheckConstraint("person_a_id < person_b_id", name="message_thread_ordered_pair"),
        Index("ix_message_threads_b", "person_b_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_a_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    person_b_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_thread_created", "thread_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("message_threads.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="message", server_default="message")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ConnectionActivity(Base):
    __tablename__ = "connection_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RecommendationFeedback(Base):
    __tablename__ = "recommendation_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(30))
    rating: Mapped[int | None] = mapped_column(Integer, CheckConstraint("rating between 1 and 5"))
    skip_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ConnectionFeedback(Base):
    __tablename__ = "connection_feedback"
    __table_args__ = (UniqueConstraint("connection_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    rating: Mapped[int | None] = mapped_column(Integer, CheckConstraint("rating between 1 and 5"))
    valuable: Mapped[bool | None] = mapped_column(Boolean)
    will_follow_up: Mapped[bool | None] = mapped_column(Boolean)
    positive_factors: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    negative_factors: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Notification(Base):
    """An in-app notification; `dedupe_key` makes a trigger fire once per person."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("person_id", "dedupe_key", name="uq_notification_once"),
        Index("ix_notifications_person_created", "person_id", "created_at"),
        Index("ix_notifications_not_emailed", "created_at", postgresql_where=text("emailed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    link: Mapped[str] = mapped_column(String(200), default="", server_default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    dedupe_key: Mapped[str | None] = mapped_column(String(160))
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FollowUpDraftStatus(StrEnum):
    PENDING = "pending"
    SNOOZED = "snoozed"
    SENT = "sent"
    SKIPPED = "skipped"


class FollowUpSource(StrEnum):
    LLM = "llm"
    TEMPLATE = "template"


class FollowUpDraft(Base):
    """A suggested follow-up message from one person to one connection after an event (seed 000 §7.3)."""

    __tablename__ = "follow_up_drafts"
    __table_args__ = (
        UniqueConstraint("author_id", "connection_id", "event_id", name="uq_follow_up_once_per_event"),
        Index("ix_follow_up_drafts_event_status", "event_id", "status"),
        Index("ix_follow_up_drafts_recipient", "recipient_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    body: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="pending")
    snoozed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))


class Block(Base):
    """One person blocks another: both are hidden from each other everywhere."""

    __tablename__ = "blocks"
    __table_args__ = (
        CheckConstraint("blocker_id <> blocked_id", name="block_two_people"),
        Index("ix_blocks_blocked", "blocked_id"),
    )

    blocker_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReportStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Report(Base):
    """A report of one person by another, waiting in the admins' moderation queue."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("reporter_id <> reported_id", name="report_two_people"),
        Index("ix_reports_status_created", "status", "created_at"),
        Index("ix_reports_reported", "reported_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    reported_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    context: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(40))
    details: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    resolution: Mapped[str | None] = mapped_column(String(30))
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
