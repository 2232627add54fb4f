"""Behavioural datasets (community users, orders, past events and messages) and the re-engagement profiles computed
from them."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, SmallInteger, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class BehaviorUser(Base):
    """A community member from a behavioural dataset (seed 002's users)."""

    __tablename__ = "behavior_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(120), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    interests: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    cuisine_preference: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    dietary_restrictions: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    age: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(40))
    occupation: Mapped[str | None] = mapped_column(String(200))
    relationship_status: Mapped[str | None] = mapped_column(String(40))
    table_type_preference: Mapped[str | None] = mapped_column(String(60))
    home_neighborhood: Mapped[str | None] = mapped_column(String(120))
    work_neighborhood: Mapped[str | None] = mapped_column(String(120))
    is_on_team: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BehaviorOrder(Base):
    __tablename__ = "behavior_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(120), unique=True)
    user_external_id: Mapped[str] = mapped_column(String(120), index=True)
    event_external_id: Mapped[str | None] = mapped_column(String(120))
    amount: Mapped[float | None] = mapped_column(Numeric(12, 2, asdecimal=False))
    ordered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BehaviorEvent(Base):
    """A past community event and the emails of who attended it."""

    __tablename__ = "behavior_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    held_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    venue: Mapped[str | None] = mapped_column(String(200))
    host: Mapped[str | None] = mapped_column(String(200))
    event_type: Mapped[str | None] = mapped_column(String(80))
    participants: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BehaviorMessage(Base):
    __tablename__ = "behavior_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(120), unique=True)
    user_external_id: Mapped[str] = mapped_column(String(120), index=True)
    content: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReengagementDecision(StrEnum):
    """Seed 002's messaging decision for one community member."""

    SEND_PERSONALISED_MESSAGE = "send_personalised_message"
    REQUEST_MORE_DETAILS = "request_more_details"
    WAIT = "wait"


class ReengagementProfile(Base):
    """A community member's computed re-engagement profile (seed 002): every calculated field, the summary and the
    send / ask / wait decision, with the hash of the inputs it was computed from. The filter columns are copies of
    fields kept in `fields`, so the page can filter 100k members in SQL."""

    __tablename__ = "reengagement_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("behavior_users.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    as_of: Mapped[date] = mapped_column(Date)  # the day "days since" figures count to
    input_hash: Mapped[str] = mapped_column(String(64))
    fields: Mapped[dict] = mapped_column(JSONB)  # every calculated field under the seed's names
    summary: Mapped[str] = mapped_column(Text)
    decision: Mapped[ReengagementDecision] = mapped_column(String(40), index=True)
    decision_reason: Mapped[str] = mapped_column(String(300))
    personalization_score: Mapped[int] = mapped_column(SmallInteger)
    number_of_events_attended: Mapped[int] = mapped_column(Integer)
    days_since_last_event: Mapped[int | None] = mapped_column(Integer)
    is_first_time_user: Mapped[bool] = mapped_column(Boolean)
    is_healthy_active_user: Mapped[bool] = mapped_column(Boolean)
    has_queued_messages: Mapped[bool] = mapped_column(Boolean)
    can_send_new_message: Mapped[bool] = mapped_column(Boolean)
