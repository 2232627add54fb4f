"""Events, people and their registrations, and the program (sessions, speakers)."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, enum_column


class Goal(StrEnum):
    LEARN = "LEARN"
    NETWORK = "NETWORK"
    HIRE = "HIRE"
    GET_HIRED = "GET_HIRED"
    FIND_PARTNERS = "FIND_PARTNERS"
    FIND_INVESTORS = "FIND_INVESTORS"
    INVEST = "INVEST"
    SELL = "SELL"
    BUY = "BUY"
    MENTOR = "MENTOR"
    GET_MENTORED = "GET_MENTORED"


class CompanySize(StrEnum):
    SOLO = "SOLO"
    STARTUP_1_10 = "STARTUP_1_10"
    SMALL_11_50 = "SMALL_11_50"
    MEDIUM_51_200 = "MEDIUM_51_200"
    LARGE_201_1000 = "LARGE_201_1000"
    ENTERPRISE_1000_PLUS = "ENTERPRISE_1000_PLUS"


class EnrichmentStatus(StrEnum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    OPTED_OUT = "OPTED_OUT"


class EnrichmentTier(StrEnum):
    """Seed 000 §8.1: how much we know about a person; never a ranking penalty."""

    TIER_0_PENDING = "TIER_0_PENDING"
    TIER_1_RICH = "TIER_1_RICH"
    TIER_2_BASIC = "TIER_2_BASIC"
    TIER_3_MANUAL = "TIER_3_MANUAL"


class Person(Base):
    """A registered human: registration profile, location, consent and enrichment state."""

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_enrichment_due", "enrichment_due_at",
                            postgresql_where=text("enrichment_due_at IS NOT NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    company: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str | None] = mapped_column(String(120))
    company_size: Mapped[CompanySize | None] = mapped_column(enum_column(CompanySize, "company_size"))
    years_experience: Mapped[int | None] = mapped_column(Integer)
    interests: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    goals: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    skills_offered: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    skills_needed: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    bio: Mapped[str | None] = mapped_column(String(500))
    problem_statement: Mapped[str | None] = mapped_column(String(1000))
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    linkedin_url: Mapped[str | None] = mapped_column(String(300))
    github_username: Mapped[str | None] = mapped_column(String(100))
    twitter_handle: Mapped[str | None] = mapped_column(String(100))
    allow_enrichment: Mapped[bool] = mapped_column(Boolean, default=False)
    matching_visible: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    marketing_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    enrichment_status: Mapped[EnrichmentStatus] = mapped_column(
        enum_column(EnrichmentStatus, "enrichment_status"), default=EnrichmentStatus.PENDING
    )
    enrichment_tier: Mapped[EnrichmentTier] = mapped_column(
        enum_column(EnrichmentTier, "enrichment_tier"), default=EnrichmentTier.TIER_0_PENDING
    )
    enriched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # {fact: {"value": …, "source": "GitHub", …}}; the fact keys are in core/enrichment/facts.py
    enrichment: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    enrichment_sources: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    enrichment_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    enrichment_last_error: Mapped[str | None] = mapped_column(String(500))
    enrichment_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # queued for the worker
    enrichment_input_hash: Mapped[str | None] = mapped_column(String(64))  # name, company, role, handles last run
    taste_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    consents: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    # {kind: {"email": bool}}; a kind not in it follows its consent (core/networking/notifications.py)
    notification_preferences: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outreach_suspended_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    role_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    huddles_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    deletion_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    consents_set_by_person: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    city: Mapped[str | None] = mapped_column(String(120))
    venue: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    registration_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    registration_open: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    registration_capacity: Mapped[int | None] = mapped_column(Integer)
    registration_closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    feedback_campaign_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    venue_areas: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")


class EventOrganizer(Base):
    """An organizer account in charge of an event: their pages and exports cover only such events."""

    __tablename__ = "event_organizers"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProgramSession(Base):
    """A program item (talk, workshop, panel) of an event."""

    __tablename__ = "sessions"
    __table_args__ = (UniqueConstraint("event_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    room: Mapped[str | None] = mapped_column(String(120))
    track: Mapped[str | None] = mapped_column(String(120))
    session_type: Mapped[str | None] = mapped_column(String(60))
    difficulty: Mapped[str | None] = mapped_column(String(30))
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    outcomes: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    target_audience: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    capacity: Mapped[int | None] = mapped_column(Integer)

    speakers: Mapped[list[Speaker]] = relationship(secondary="session_speakers", back_populates="sessions")


class Speaker(Base):
    __tablename__ = "speakers"
    __table_args__ = (UniqueConstraint("event_id", "email"),
                      UniqueConstraint("event_id", "external_id", name="uq_speakers_event_external_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    external_id: Mapped[str | None] = mapped_column(String(120))  # the id in a program export (pretalx code)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    title: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    bio: Mapped[str] = mapped_column(Text, default="")
    expertise: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    offerings: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)

    sessions: Mapped[list[ProgramSession]] = relationship(secondary="session_speakers", back_populates="speakers")


class SessionSpeaker(Base):
    __tablename__ = "session_speakers"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True)
