"""The source cache in Postgres (seed 000 §8.2): a search answer is kept 24 hours, a GitHub profile 7 days."""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models import EnrichmentCacheEntry, EnrichmentSource

CACHE_TTL = {EnrichmentSource.SEARCH: timedelta(hours=24), EnrichmentSource.GITHUB: timedelta(days=7)}
KEY_LIMIT = 500


def normalised_key(key: str) -> str:
    """The cache key as compared: lower case, single spaces."""
    return re.sub(r"\s+", " ", key or "").strip().lower()[:KEY_LIMIT]


def key_hash(key: str) -> str:
    return hashlib.sha256(normalised_key(key).encode()).hexdigest()


def cached(session: Session, source: EnrichmentSource, key: str, *, now: datetime) -> dict | None:
    """The cached payload for this source and key if it has not expired, else None."""
    return session.scalar(select(EnrichmentCacheEntry.payload).where(
        EnrichmentCacheEntry.source == source.value, EnrichmentCacheEntry.key_hash == key_hash(key),
        EnrichmentCacheEntry.expires_at > now))


def remember(session: Session, source: EnrichmentSource, key: str, payload: dict, *, now: datetime,
             person_id: int | None) -> None:
    """Store (or replace) the payload for this source and key for the source's time to live."""
    values = {"source": source.value, "key_hash": key_hash(key), "key": normalised_key(key), "payload": payload,
              "person_id": person_id, "fetched_at": now, "expires_at": now + CACHE_TTL[source]}
    statement = insert(EnrichmentCacheEntry).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["source", "key_hash"],
        set_={k: statement.excluded[k] for k in ("key", "payload", "person_id", "fetched_at", "expires_at")}))
    session.flush()


def forget_person(session: Session, person_id: int, keys: list[tuple[EnrichmentSource, str]] = ()) -> int:
    """Delete every cached answer fetched for this person, and the answers to their own `keys` (someone else may
    have fetched them last); the count."""
    about_them = [(EnrichmentCacheEntry.source == source.value) & (EnrichmentCacheEntry.key_hash == key_hash(key))
                  for source, key in keys if key]
    result = session.execute(delete(EnrichmentCacheEntry).where(
        or_(EnrichmentCacheEntry.person_id == person_id, *about_them)))
    session.flush()
    return result.rowcount


def purge_expired(session: Session, *, now: datetime) -> int:
    """Delete the cached answers past their time to live; the count."""
    result = session.execute(delete(EnrichmentCacheEntry).where(EnrichmentCacheEntry.expires_at <= now))
    session.flush()
    return result.rowcount
