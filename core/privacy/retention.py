"""The retention rules of seed 000 §11.1: what expires when, each period a setting, applied by the nightly job."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import cast, delete, literal, or_, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from core.enrichment.cache import purge_expired
from core.events.events import without_event_since
from core.platform.settings import Settings
from db.models import AuditLog, EnrichmentStatus, EnrichmentTier, LLMCall, Person, Recommendation

RETAINED_FOR_ANALYTICS = "[Retained for analytics only]"
# LLM calls made for enrichment (there is no separate enrichment log table): their feature starts with this.
ENRICHMENT_FEATURE_PREFIX = "enrichment"


@dataclass(frozen=True)
class RetentionPeriod:
    """One line of the retention schedule, as the data-processing page shows it."""

    data: str
    period: str
    why: str


def retention_schedule(settings: Settings) -> list[RetentionPeriod]:
    """The retention schedule in words, from the same settings the nightly job applies."""
    return [
        RetentionPeriod("Enriched profile data (from public profiles you allowed)",
                        f"{settings.enrichment_retention_days} days after your last event", "Legitimate interest"),
        RetentionPeriod("Recommendation history (who was suggested to you and why)",
                        f"{settings.recommendation_retention_days} days, then only the anonymous score is kept",
                        "Performance analytics"),
        RetentionPeriod("Connections and their activity", "As long as your account exists (you own them)",
                        "Part of your network"),
        RetentionPeriod("Enrichment logs", f"{settings.enrichment_log_retention_days} days", "Debugging only"),
        RetentionPeriod("Shared venue zones (proximity huddles)",
                        f"The event plus {settings.location_share_retention_days} days", "Running the huddles"),
        RetentionPeriod("Your account after a deletion request",
                        f"{settings.deletion_grace_days} days, then deleted for good", "Recovery window"),
        RetentionPeriod("Audit log entries",
                        f"{settings.audit_retention_days} days (about {settings.audit_retention_days / 365:.0f} years)",
                        "Legal obligation (accountability)"),
    ]


def anonymise_old_recommendations(session: Session, *, now: datetime, days: int) -> int:
    """Replace the reasons, chips, starters and value of recommendations generated over `days` ago with the
    retention marker (the score, rank and action timestamps stay for analytics); the count newly anonymised."""
    marker = cast(literal(f'["{RETAINED_FOR_ANALYTICS}"]'), JSONB)
    result = session.execute(
        update(Recommendation)
        .where(Recommendation.generated_at < now - timedelta(days=days),
               or_(Recommendation.reasons != marker, Recommendation.potential_value != RETAINED_FOR_ANALYTICS))
        .values(reasons=[RETAINED_FOR_ANALYTICS], chips=[], starters=[], potential_value=RETAINED_FOR_ANALYTICS)
        .execution_options(synchronize_session=False))
    session.flush()
    return result.rowcount


def purge_stale_enrichment(session: Session, *, now: datetime, days: int) -> int:
    """Clear the enrichment data of people whose last event ended over `days` ago (people with no registration
    count from when they were created); the count of people purged. Their opt-in and the handles they gave stay,
    and they are back to "not enriched yet" (the queue leaves them alone until they register for a new event)."""
    result = session.execute(
        update(Person).where(Person.enrichment != cast(literal("{}"), JSONB), without_event_since(now, days))
        .values(enrichment={}, enriched_at=None, enrichment_sources=[], enrichment_tier=EnrichmentTier.TIER_0_PENDING,
                enrichment_status=EnrichmentStatus.PENDING, enrichment_attempts=0, enrichment_last_error=None,
                enrichment_due_at=None, enrichment_input_hash=None)
        .execution_options(synchronize_session=False))
    session.flush()
    return result.rowcount


def purge_enrichment_logs(session: Session, *, now: datetime, days: int) -> int:
    """Delete the enrichment LLM-call log rows older than `days`; the count."""
    result = session.execute(delete(LLMCall).where(LLMCall.feature.startswith(ENRICHMENT_FEATURE_PREFIX),
                                                   LLMCall.created_at < now - timedelta(days=days)))
    session.flush()
    return result.rowcount


def purge_old_audit_entries(session: Session, *, now: datetime, days: int) -> int:
    """Delete audit entries older than `days` (7 years by default); the count."""
    result = session.execute(delete(AuditLog).where(AuditLog.at < now - timedelta(days=days)))
    session.flush()
    return result.rowcount


def apply_retention_rules(session: Session, *, now: datetime, settings: Settings) -> dict[str, int]:
    """Apply the recommendation, enrichment, enrichment-log and audit rules; the counts by rule."""
    return {
        "recommendations_anonymised": anonymise_old_recommendations(
            session, now=now, days=settings.recommendation_retention_days),
        "enrichment_purged": purge_stale_enrichment(session, now=now, days=settings.enrichment_retention_days),
        "enrichment_logs_purged": purge_enrichment_logs(session, now=now,
                                                        days=settings.enrichment_log_retention_days),
        "enrichment_cache_purged": purge_expired(session, now=now),
        "audit_entries_purged": purge_old_audit_entries(session, now=now, days=settings.audit_retention_days),
    }
