"""Behavioural datasets: community users, orders, past events and messages."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, Numeric, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY
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
