"""Audit log: who did what to which record."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Account, AuditLog


class AuditAction(StrEnum):
    """The privacy audit trail's actions (seed 000 §11.3); other entries use their own "domain.verb" codes."""

    PROFILE_VIEWED = "profile.viewed"
    ENRICHMENT_ACCESSED = "enrichment.accessed"
    RECOMMENDATIONS_GENERATED = "recommendations.generated"
    PROFILE_UPDATED = "profile.updated"
    ENRICHMENT_TRIGGERED = "enrichment.triggered"
    CONNECTION_CREATED = "connection.created"
    DELETION_REQUESTED = "person.deletion_requested"
    DELETION_CANCELLED = "person.deletion_cancelled"
    DATA_EXPORTED = "data.exported"
    CONSENT_UPDATED = "consent.updated"
    ADMIN_DATA_ACCESS = "admin.data_access"
    RETENTION_CLEANUP = "retention.cleanup"


ACTION_LABELS = {
    AuditAction.PROFILE_VIEWED: "Profile viewed",
    AuditAction.ENRICHMENT_ACCESSED: "Enrichment data accessed",
    AuditAction.RECOMMENDATIONS_GENERATED: "Recommendations generated",
    AuditAction.PROFILE_UPDATED: "Profile updated",
    AuditAction.ENRICHMENT_TRIGGERED: "Enrichment started",
    AuditAction.CONNECTION_CREATED: "Connection created",
    AuditAction.DELETION_REQUESTED: "Deletion requested",
    AuditAction.DELETION_CANCELLED: "Deletion cancelled",
    AuditAction.DATA_EXPORTED: "Personal data exported",
    AuditAction.CONSENT_UPDATED: "Consent updated",
    AuditAction.ADMIN_DATA_ACCESS: "Admin accessed personal data",
    AuditAction.RETENTION_CLEANUP: "Retention cleanup",
    "person.purged": "Person deleted for good",
    "login.succeeded": "Login succeeded",
    "login.failed": "Login failed",
}


def action_label(action: str) -> str:
    """A stored action code in words: a known one from ACTION_LABELS, else "event.organizer_added" ->
    "Event organizer added"."""
    return ACTION_LABELS.get(action) or action.replace(".", " ").replace("_", " ").capitalize()


def client_hash(client: str, at: datetime) -> str:
    """The client identifier kept in the audit log: sha256(ip + day)[:16], so the raw address is never stored and
    one client can be followed within a day only."""
    day = at.astimezone(UTC).date().isoformat()
    return hashlib.sha256(f"{client}{day}".encode()).hexdigest()[:16]


def record_audit(session: Session, *, actor_id: int | None, action: str, target_type: str = "",
                 target_id: object = "", details: dict | None = None, at: datetime | None = None,
                 target_person_id: int | None = None, client: str | None = None) -> None:
    """Add an audit entry to the caller's transaction; no actor means the system. `target_person_id` files the
    entry under the person it is about; `client` (an IP address) is stored only as its daily hash."""
    actor = session.get(Account, actor_id) if actor_id is not None else None
    entry = AuditLog(
        actor_account_id=actor_id,
        actor_label=actor.username if actor else "system",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=details or {},
        target_person_id=target_person_id,
        client_hash=client_hash(client, at or datetime.now(UTC)) if client else None,
    )
    if at is not None:
        entry.at = at
    session.add(entry)


def _filtered(query, *, action: str | None, actor: str | None, target_person_id: int | None):
    if action:
        query = query.where(AuditLog.action == action)
    if actor:
        query = query.where(AuditLog.actor_label == actor)
    if target_person_id is not None:
        query = query.where(AuditLog.target_person_id == target_person_id)
    return query


def list_audit(session: Session, *, action: str | None = None, actor: str | None = None,
               target_person_id: int | None = None, limit: int = 500, offset: int = 0) -> list[AuditLog]:
    """Newest audit entries first, optionally filtered by action, actor username or the person they are about."""
    query = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(_filtered(query, action=action, actor=actor, target_person_id=target_person_id)))


def count_audit(session: Session, *, action: str | None = None, actor: str | None = None,
                target_person_id: int | None = None) -> int:
    """How many audit entries the same filters as list_audit match."""
    query = select(func.count()).select_from(AuditLog)
    return session.scalar(_filtered(query, action=action, actor=actor, target_person_id=target_person_id))


def audit_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))
