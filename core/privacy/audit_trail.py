"""The privacy audit trail (seed 000 §11.3): aggregated profile views, admin data access, and the audit log's
person-centred reading."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.platform.audit import AuditAction, count_audit, list_audit, record_audit
from core.platform.clock import Clock
from db.models import AuditLog, Person, ProfileView

AUDIT_PAGE_SIZE = 50
PERSON_MATCHES = 20


def record_profile_view(session: Session, *, viewer_id: int, person_id: int, clock: Clock,
                        actor_id: int | None = None, client: str | None = None) -> int:
    """Count one view of `person_id`'s profile by `viewer_id` on today's ProfileView row; the first view of the
    day also writes the day's one profile.viewed audit entry. Returns the day's view count (0 for one's own).

    The upsert takes the row's lock, so of two views at once exactly one sees the count 1 and audits it."""
    if viewer_id == person_id:
        return 0
    now = clock.now()
    views = session.scalar(
        insert(ProfileView).values(viewer_id=viewer_id, person_id=person_id, day=now.date(), views=1)
        .on_conflict_do_update(index_elements=[ProfileView.viewer_id, ProfileView.person_id, ProfileView.day],
                               set_={"views": ProfileView.views + 1})
        .returning(ProfileView.views))
    if views == 1:
        record_audit(session, actor_id=actor_id, action=AuditAction.PROFILE_VIEWED, target_type="person",
                     target_id=person_id, details={"viewer_person_id": viewer_id}, at=now,
                     target_person_id=person_id, client=client)
    session.flush()
    return views


def record_admin_data_access(session: Session, *, actor_id: int, scope: str, clock: Clock,
                             target_person_id: int | None = None, client: str | None = None,
                             details: dict | None = None) -> bool:
    """Audit an admin opening personal data (`scope`: the page or export, e.g. "users", "audit_log"), at most once
    per admin, scope and person a day so reruns of a page do not flood the log; True if an entry was written."""
    now = clock.now()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    person_match = (AuditLog.target_person_id.is_(None) if target_person_id is None
                    else AuditLog.target_person_id == target_person_id)
    seen = session.scalar(select(AuditLog.id).where(
        AuditLog.action == AuditAction.ADMIN_DATA_ACCESS, AuditLog.actor_account_id == actor_id,
        AuditLog.at >= day_start, AuditLog.details["scope"].astext == scope, person_match).limit(1))
    if seen is not None:
        return False
    record_audit(session, actor_id=actor_id, action=AuditAction.ADMIN_DATA_ACCESS, target_type="person"
                 if target_person_id is not None else "", target_id=target_person_id or "",
                 details={"scope": scope, **(details or {})}, at=now, target_person_id=target_person_id,
                 client=client)
    session.flush()
    return True


@dataclass(frozen=True)
class PersonMatch:
    """A person found by the audit log's search."""

    id: int
    name: str
    email: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.email})" if self.name else self.email


def find_people(session: Session, query: str, *, limit: int = PERSON_MATCHES) -> list[PersonMatch]:
    """People whose email or name contains `query` (ignoring case), by name; none for a blank query."""
    words = query.strip().lower().split()
    if not words:
        return []
    full_name = func.lower(Person.first_name + " " + Person.last_name)
    conditions = [or_(func.lower(Person.email).contains(word, autoescape=True),
                      full_name.contains(word, autoescape=True)) for word in words]
    rows = session.execute(select(Person.id, Person.first_name, Person.last_name, Person.email)
                           .where(and_(*conditions)).order_by(Person.last_name, Person.first_name, Person.id)
                           .limit(limit))
    return [PersonMatch(pid, f"{first} {last}".strip(), email) for pid, first, last, email in rows]


@dataclass(frozen=True)
class AuditPage:
    """One page of audit entries, newest first, with the total the filters match and the people named."""

    entries: list[AuditLog]
    total: int
    page: int
    pages: int
    people: dict[int, str]


def audit_page(session: Session, *, action: str | None = None, target_person_id: int | None = None,
               actor: str | None = None, page: int = 1, page_size: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """The `page`-th page (from 1, clamped to the last) of the filtered audit log, with the names of the people
    its entries are about."""
    total = count_audit(session, action=action, actor=actor, target_person_id=target_person_id)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    entries = list_audit(session, action=action, actor=actor, target_person_id=target_person_id, limit=page_size,
                         offset=(page - 1) * page_size)
    ids = {e.target_person_id for e in entries if e.target_person_id is not None}
    people = {pid: f"{first} {last}".strip() for pid, first, last in session.execute(
        select(Person.id, Person.first_name, Person.last_name).where(Person.id.in_(ids)))} if ids else {}
    return AuditPage(entries, total, page, pages, people)
