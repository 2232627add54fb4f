"""Account deletion (seed 000 §11.2): a request hides the person at once, the hard delete follows after a grace."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from core.platform.audit import record_audit
from core.platform.clock import Clock
from core.platform.settings import get_settings
from core.recommend.llm_upgrade import batch_request_key
from db.models import Account, AuditLog, CareerPrediction, LLMBatch, Notification, Person

DELETED_ACTOR_LABEL = "[Deleted user]"


class DeletionError(ValueError):
    """A deletion request or cancellation that cannot be done; the message says why."""


@dataclass(frozen=True)
class DeletionStatus:
    """Where a person's deletion stands: requested when, and when the data goes."""

    requested_at: datetime | None
    deadline: datetime | None

    @property
    def pending(self) -> bool:
        return self.requested_at is not None


def _grace_days(grace_days: int | None) -> int:
    return get_settings().deletion_grace_days if grace_days is None else grace_days


def deletion_deadline(requested_at: datetime, *, grace_days: int | None = None) -> datetime:
    """When a request made at `requested_at` becomes the hard delete."""
    return requested_at + timedelta(days=_grace_days(grace_days))


def deletion_status(session: Session, *, person_id: int, grace_days: int | None = None) -> DeletionStatus:
    """The person's pending deletion, if any, with its deadline."""
    person = session.get(Person, person_id)
    if person is None or person.deletion_requested_at is None:
        return DeletionStatus(None, None)
    return DeletionStatus(person.deletion_requested_at,
                          deletion_deadline(person.deletion_requested_at, grace_days=grace_days))


def request_deletion(session: Session, *, person_id: int, clock: Clock, actor_id: int | None = None,
                     client: str | None = None, grace_days: int | None = None) -> DeletionStatus:
    """Ask for the person's deletion: hidden from everyone else at once, deleted after the grace period.
    A second request keeps the first deadline."""
    person = session.get(Person, person_id, with_for_update=True)
    if person is None:
        raise DeletionError("This person no longer exists.")
    if person.deletion_requested_at is None:
        now = clock.now()
        person.deletion_requested_at = now
        record_audit(session, actor_id=actor_id, action="person.deletion_requested", target_type="person",
                     target_id=person_id, target_person_id=person_id, at=now, client=client,
                     details={"deadline": deletion_deadline(now, grace_days=grace_days).isoformat()})
        session.flush()
    return deletion_status(session, person_id=person_id, grace_days=grace_days)


def cancel_deletion(session: Session, *, person_id: int, clock: Clock, actor_id: int | None = None,
                    client: str | None = None) -> bool:
    """Withdraw a pending deletion request, which makes the person visible again; False if there was none."""
    person = session.get(Person, person_id, with_for_update=True)
    if person is None or person.deletion_requested_at is None:
        return False
    person.deletion_requested_at = None
    record_audit(session, actor_id=actor_id, action="person.deletion_cancelled", target_type="person",
                 target_id=person_id, target_person_id=person_id, at=clock.now(), client=client)
    session.flush()
    return True


def hard_delete_person(session: Session, *, person_id: int) -> bool:
    """Delete the person, their accounts and everything that references them (seed 000 §11.1): the foreign keys
    cascade to activities, connections, recommendations, huddle places, messages and the rest. Audit rows keep
    their history but lose every pointer to the person: `target_person_id` goes NULL by its key, and the text ids,
    details and actor labels that name them are scrubbed here. False if the person was already gone."""
    if session.get(Person, person_id) is None:
        return False
    account_ids = list(session.scalars(select(Account.id).where(Account.person_id == person_id)))
    account_texts = [str(account_id) for account_id in account_ids]
    about_them = or_(AuditLog.target_person_id == person_id,
                     (AuditLog.target_type == "person") & (AuditLog.target_id == str(person_id)),
                     (AuditLog.target_type == "account") & AuditLog.target_id.in_(account_texts))
    session.execute(update(AuditLog).where(about_them).values(target_id="", details={}, target_person_id=None))
    session.execute(update(AuditLog).where(AuditLog.details["person_id"].astext == str(person_id))
                    .values(details={}))
    if account_ids:
        session.execute(update(AuditLog).where(AuditLog.actor_account_id.in_(account_ids))
                        .values(actor_label=DELETED_ACTOR_LABEL, actor_account_id=None))
        session.execute(delete(Account).where(Account.id.in_(account_ids)))
    # a nightly LLM batch keeps what each request was for, keyed by the attendee
    key = batch_request_key(person_id)
    session.execute(update(LLMBatch).where(LLMBatch.requests.has_key(key))
                    .values(requests=LLMBatch.requests.op("-")(key)))
    # notifications to others about what this person did carry their name in the title
    session.execute(delete(Notification).where(Notification.actor_id == person_id))
    # career predictions are kept for the alumni record with the person's email; the alumni record itself is the
    # organisation's upload and stays
    email = session.scalar(select(Person.email).where(Person.id == person_id))
    session.execute(delete(CareerPrediction).where(func.lower(CareerPrediction.email) == (email or "").lower()))
    session.execute(delete(Person).where(Person.id == person_id))
    return True


def due_for_deletion(session: Session, *, clock: Clock, grace_days: int | None = None) -> list[int]:
    """People whose grace period is over: a deletion request or the old soft delete older than the grace."""
    cutoff = clock.now() - timedelta(days=_grace_days(grace_days))
    return list(session.scalars(select(Person.id).where(
        or_(Person.deletion_requested_at < cutoff, Person.deleted_at < cutoff)).order_by(Person.id)))


def purge_due_deletions(session: Session, *, clock: Clock, grace_days: int | None = None) -> int:
    """Hard-delete everyone whose grace period is over; one audit entry says how many, never who."""
    due = due_for_deletion(session, clock=clock, grace_days=grace_days)
    for person_id in due:
        hard_delete_person(session, person_id=person_id)
    if due:
        record_audit(session, actor_id=None, action="person.purged", target_type="person",
                     details={"people": len(due)}, at=clock.now())
    session.flush()
    return len(due)
