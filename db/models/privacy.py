"""Privacy tables: signals a person excluded from matching, per-category snoozes, and aggregated profile views."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class SignalExclusion(Base):
    """A signal ("skill:Python", "interest:AI", "field:bio", …) the person asked matching to ignore."""

    __tablename__ = "signal_exclusions"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    signal: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CategorySnooze(Base):
    """A whole category of matches (e.g. investors) hidden from the person until a date (seed 004 §5)."""

    __tablename__ = "category_snoozes"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(80), primary_key=True)
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProfileView(Base):
    """How often one person viewed another's profile on one day: aggregated, never one row per page view."""

    __tablename__ = "profile_views"
    __table_args__ = (Index("ix_profile_views_person_day", "person_id", "day"),)

    viewer_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
