"""Audit log: who did what to which record."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Account, AuditLog


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


def list_audit(session: Session, *, action: str | None = None, actor: str | None = None,
               limit: int = 500) -> list[AuditLog]:
    """Newest audit entries first, optionally filtered by action or actor username."""
    query = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)
    if action:
        query = query.where(AuditLog.action == action)
    if actor:
        query = query.where(AuditLog.actor_label == actor)
    return list(session.scalars(query))


def audit_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))
