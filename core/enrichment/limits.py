"""Per-source rate limits (seed 000 §8.2): a token bucket in Postgres shared by every process, and circuit breakers."""
from __future__ import annotations

import math
import threading
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.ai.llm import CircuitBreaker
from core.platform.clock import Clock
from db.models import EnrichmentRateBucket, EnrichmentSource

BREAKER_THRESHOLD = 5
BREAKER_COOLDOWN_SECONDS = 60.0

_breakers: dict[tuple[str, str], CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def _locked_bucket(session: Session, source: EnrichmentSource, *, now: datetime,
                   per_hour: int) -> EnrichmentRateBucket:
    """The source's bucket row, locked for this transaction; created full on first use."""
    session.execute(insert(EnrichmentRateBucket).values(source=source.value, tokens=float(per_hour), updated_at=now)
                    .on_conflict_do_nothing(index_elements=["source"]))
    return session.scalar(select(EnrichmentRateBucket).where(EnrichmentRateBucket.source == source.value)
                          .with_for_update().execution_options(populate_existing=True))


def _refilled(bucket: EnrichmentRateBucket, *, now: datetime, per_hour: int) -> float:
    elapsed = max(0.0, (now - bucket.updated_at).total_seconds())
    return min(float(per_hour), bucket.tokens + elapsed * per_hour / 3600.0)


def take_tokens(session: Session, source: EnrichmentSource, wanted: int, *, now: datetime, per_hour: int) -> int:
    """Take up to `wanted` whole tokens from the source's bucket (capacity `per_hour`, refilled by `now`); how many
    were granted. A blocked source grants none. The row lock is held until the caller's transaction ends."""
    if wanted <= 0:
        return 0
    bucket = _locked_bucket(session, source, now=now, per_hour=per_hour)
    if bucket.blocked_until is not None and now < bucket.blocked_until:
        return 0
    tokens = _refilled(bucket, now=now, per_hour=per_hour)
    granted = min(wanted, math.floor(tokens + 1e-9))
    bucket.tokens = tokens - granted
    bucket.updated_at = max(now, bucket.updated_at)
    session.flush()
    return granted


def next_token_at(session: Session, source: EnrichmentSource, *, now: datetime, per_hour: int) -> datetime:
    """When the source's bucket next has a whole token (now if it has one), after any block."""
    bucket = _locked_bucket(session, source, now=now, per_hour=per_hour)
    if bucket.blocked_until is not None and now < bucket.blocked_until:
        return bucket.blocked_until
    tokens = _refilled(bucket, now=now, per_hour=per_hour)
    if tokens >= 1:
        return now
    return now + timedelta(seconds=(1 - tokens) * 3600.0 / per_hour)


def block_source(session: Session, source: EnrichmentSource, until: datetime, *, now: datetime | None = None,
                 per_hour: int = 1) -> None:
    """Give no token of this source before `until` (it told us to stop); a later block never shortens one."""
    bucket = _locked_bucket(session, source, now=now or until, per_hour=per_hour)
    if bucket.blocked_until is None or bucket.blocked_until < until:
        bucket.blocked_until = until
    session.flush()


def breaker_for(source: EnrichmentSource, base_url: str, clock: Clock) -> CircuitBreaker:
    """This process's circuit breaker of a source at a base URL (5 failures in a row open it for 60 s)."""
    key = (source.value, base_url.rstrip("/"))
    with _breakers_lock:
        breaker = _breakers.get(key)
        if breaker is None:
            breaker = _breakers[key] = CircuitBreaker(clock, BREAKER_THRESHOLD, BREAKER_COOLDOWN_SECONDS)
        breaker.clock = clock  # the caller's clock: tests move a fixed one
        return breaker
