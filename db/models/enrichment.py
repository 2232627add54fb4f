"""Enrichment tables: cached source answers, the per-source rate buckets, favourites and taste profiles."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pgvector.sqlalchemy import Vector
from sqlalchemy import DateTime, Float, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import EMBEDDING_DIM, Base


class EnrichmentSource(StrEnum):
    """An external service enrichment calls; each has its own rate bucket, cache and circuit breaker."""

    SEARCH = "search"
    GITHUB = "github"


class FavouriteKind(StrEnum):
    BOOK = "book"
    FILM = "film"
    PODCAST = "podcast"
    MUSIC = "music"


class EnrichmentCacheEntry(Base):
    """One source answer (a search, a GitHub profile), kept until `expires_at` so a repeat asks nobody.

    `person_id` names whose enrichment fetched it, so withdrawing consent or deletion removes it too."""

    __tablename__ = "enrichment_cache"

    source: Mapped[EnrichmentSource] = mapped_column(String(20), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(500))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    payload: Mapped[dict] = mapped_column(JSONB)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class EnrichmentRateBucket(Base):
    """A source's token bucket, shared by every process: `tokens` as of `updated_at` (refilled lazily)."""

    __tablename__ = "enrichment_rate_buckets"

    source: Mapped[EnrichmentSource] = mapped_column(String(20), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # a source that told us to stop (GitHub 403, search 429) gives no token before this
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Favourite(Base):
    """A book, film, podcast or music title a person loves (seed 004, taste vectors); one per canonical title."""

    __tablename__ = "favourites"
    __table_args__ = (UniqueConstraint("person_id", "kind", "canonical_title", name="uq_favourite_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FavouriteKind] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    canonical_title: Mapped[str] = mapped_column(String(300))
    rating: Mapped[int | None] = mapped_column(SmallInteger)  # 1-5; none = neutral
    source: Mapped[str] = mapped_column(String(20), default="manual")  # manual | upload
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TasteProfile(Base):
    """A person's taste vector (recency- and rating-weighted mean of their titles) and the traits inferred from it."""

    __tablename__ = "taste_profiles"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    vector: Mapped[list[float]] = mapped_column(Vector(EMBEDDING_DIM))
    titles: Mapped[int] = mapped_column(Integer)
    input_hash: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    traits: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    traits_summary: Mapped[str | None] = mapped_column(String(300))
    traits_input_hash: Mapped[str | None] = mapped_column(String(64))
    traits_inferred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
