"""ORM models: the whole GlobalConnect schema on Postgres."""
from __future__ import annotations

import enum
from datetime import date, datetime

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

EMBEDDING_DIM = 384


class Base(DeclarativeBase):
    pass


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e])


class Goal(str, enum.Enum):
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


class CompanySize(str, enum.Enum):
    SOLO = "SOLO"
    STARTUP_1_10 = "STARTUP_1_10"
    SMALL_11_50 = "SMALL_11_50"
    MEDIUM_51_200 = "MEDIUM_51_200"
    LARGE_201_1000 = "LARGE_201_1000"
    ENTERPRISE_1000_PLUS = "ENTERPRISE_1000_PLUS"


class EnrichmentStatus(str, enum.Enum):
    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    OPTED_OUT = "OPTED_OUT"


class EnrichmentTier(str, enum.Enum):
    """Seed 000 §8.1: how much we know about a person; never a ranking penalty."""

    TIER_0_PENDING = "TIER_0_PENDING"
    TIER_1_RICH = "TIER_1_RICH"
    TIER_2_BASIC = "TIER_2_BASIC"
    TIER_3_MANUAL = "TIER_3_MANUAL"


class Role(str, enum.Enum):
    ATTENDEE = "attendee"
    ORGANIZER = "organizer"
    ADMIN = "admin"
    STAFF = "staff"


class RecommendationKind(str, enum.Enum):
    PERSON = "person"
    SESSION = "session"
    SPEAKER = "speaker"


class Person(Base):
    """A registered human: registration profile, location, consent and enrichment state."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    company: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str | None] = mapped_column(String(120))
    company_size: Mapped[CompanySize | None] = mapped_column(_enum(CompanySize, "company_size"))
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
        _enum(EnrichmentStatus, "enrichment_status"), default=EnrichmentStatus.PENDING
    )
    enrichment_tier: Mapped[EnrichmentTier] = mapped_column(
        _enum(EnrichmentTier, "enrichment_tier"), default=EnrichmentTier.TIER_0_PENDING
    )
    enriched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    enrichment: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


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


class Account(Base):
    """A login: bcrypt hash and roles; optionally tied to the person it represents."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    person: Mapped[Person | None] = relationship()


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


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Session(Base):
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

    sessions: Mapped[list[Session]] = relationship(secondary="session_speakers", back_populates="speakers")


class SessionSpeaker(Base):
    __tablename__ = "session_speakers"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True)


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


class EventAnalytics(Base):
    """An event's organizer analytics as last computed by the analytics job."""

    __tablename__ = "event_analytics"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict] = mapped_column(JSONB)


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
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    feature: Mapped[str] = mapped_column(String(40))
    prompt_variant_id: Mapped[int | None] = mapped_column(ForeignKey("prompt_variants.id", ondelete="SET NULL"))
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


class Recommendation(Base):
    """A stored recommendation of a person, session or speaker to an attendee."""

    __tablename__ = "recommendations"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", "kind", "target_person_id", "target_session_id",
                         "target_speaker_id", name="uq_recommendation_target", postgresql_nulls_not_distinct=True),
        Index("ix_recommendations_user_event_kind", "user_id", "event_id", "kind"),
        Index("ix_recommendations_event_expiry", "event_id", "expires_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[RecommendationKind] = mapped_column(_enum(RecommendationKind, "recommendation_kind"))
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


class ConnectionActivity(Base):
    __tablename__ = "connection_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Huddle(Base):
    """A small-group meetup; `version` guards concurrent joins (optimistic locking)."""

    __tablename__ = "huddles"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(200))
    problem_statement: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    location: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer, default=6)
    status: Mapped[str] = mapped_column(String(20), default="forming")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __mapper_args__ = {"version_id_col": version}


class HuddleParticipant(Base):
    __tablename__ = "huddle_participants"
    __table_args__ = (UniqueConstraint("huddle_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    huddle_id: Mapped[int] = mapped_column(ForeignKey("huddles.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="invited")
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


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


class Alumnus(Base):
    """An alumni record (seed 003): where graduates work, for the talent heatmap."""

    __tablename__ = "alumni"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    batch_year: Mapped[int | None] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(120))
    current_company: Mapped[str | None] = mapped_column(String(200))
    current_role: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    skills: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    linkedin_url: Mapped[str | None] = mapped_column(String(300))
    role_history: Mapped[list[dict]] = mapped_column(JSONB, default=list, server_default="[]")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class JobPosting(Base):
    """A job posting from a job-market dataset (seed 003): demand for skills, by place and company."""

    __tablename__ = "job_postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(64), unique=True)  # hash of title, company, location
    title: Mapped[str] = mapped_column(String(300))
    company: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    salary_min: Mapped[float | None] = mapped_column(Float)
    salary_max: Mapped[float | None] = mapped_column(Float)
    skills: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    experience_level: Mapped[str | None] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CourseCompletion(Base):
    """A course a student or alumnus completed (seed 003's educational dataset)."""

    __tablename__ = "course_completions"
    __table_args__ = (UniqueConstraint("student_id", "course_name", name="uq_course_completion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    course_name: Mapped[str] = mapped_column(String(300))
    grade: Mapped[str | None] = mapped_column(String(10))
    completion_date: Mapped[date | None] = mapped_column(Date)
    skills_learned: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    instructor: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


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


class DatasetUpload(Base):
    """One uploaded file and its pipeline progress."""

    __tablename__ = "dataset_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(10), default="ui")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    stage: Mapped[str] = mapped_column(String(20), default="validating")
    progress: Mapped[float] = mapped_column(Float, default=0)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_valid: Mapped[int] = mapped_column(Integer, default=0)
    rows_invalid: Mapped[int] = mapped_column(Integer, default=0)
    rows_inserted: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    event_slug: Mapped[str | None] = mapped_column(String(80))  # the target event, created only when rows load
    line_label: Mapped[str] = mapped_column(String(20), default="line")
    warnings: Mapped[list[str]] = mapped_column(JSONB, default=list)
    follow_up_jobs: Mapped[list[str]] = mapped_column(JSONB, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UploadPayload(Base):
    """The bytes of a queued upload, kept until the worker has processed it."""

    __tablename__ = "upload_payloads"

    upload_id: Mapped[int] = mapped_column(ForeignKey("dataset_uploads.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class UploadRowError(Base):
    __tablename__ = "upload_row_errors"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("dataset_uploads.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(120), default="")
    message: Mapped[str] = mapped_column(Text)


class JobRun(Base):
    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started", "job_id", "started_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    job_id: Mapped[str] = mapped_column(String(80))
    trigger: Mapped[str] = mapped_column(String(20), default="schedule")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    counts: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    error: Mapped[str | None] = mapped_column(Text)


class JobRequest(Base):
    """A job asked for outside its schedule (e.g. after an upload), waiting for the worker."""

    __tablename__ = "job_requests"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    job_id: Mapped[str] = mapped_column(String(80))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued | running | done
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("job_runs.id", ondelete="SET NULL"))


class WorkerHeartbeat(Base):
    __tablename__ = "worker_heartbeats"

    worker_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TalentHubSnapshot(Base):
    """The talent hubs of all located alumni at one cluster rebuild, for growth between upload periods."""

    __tablename__ = "talent_hub_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    radius_km: Mapped[float] = mapped_column(Float)
    min_alumni: Mapped[int] = mapped_column(Integer)
    alumni_located: Mapped[int] = mapped_column(Integer)
    hubs: Mapped[list[dict]] = mapped_column(JSONB)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(100), default="system")
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[str] = mapped_column(String(80), default="")
    details: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
