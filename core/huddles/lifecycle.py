"""Huddle status changes: start or cancel at the start time, complete into connections, and the organizer's cancel."""
from __future__ import annotations

from datetime import datetime, timedelta
from itertools import combinations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.accounts import Role
from core.events.events import can_organize
from core.huddles.huddles import HUDDLES_LINK, UPCOMING, HuddleError, accepted_count
from core.huddles.responses import CHECK_IN_AFTER
from core.networking.blocks import is_blocked_pair
from core.networking.connections import ActivityKind, ConnectionOrigin, get_or_create_connection, record_interaction
from core.networking.notifications import NotificationKind, notify
from core.platform.audit import record_audit
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from db.models import Account, Huddle, HuddleParticipant, HuddleStatus, ParticipantStatus

STATUS_JOB = "huddle-status"
REASON_LIMIT = 500
TOO_FEW_REASON = "Fewer than {min} people said they'd be there by the start time ({going} did)."


def _ended_at(huddle: Huddle) -> datetime:
    """Completed once the huddle is over and its check-in window (start + 15 min) has closed."""
    return huddle.starts_at + max(timedelta(minutes=huddle.duration_minutes), CHECK_IN_AFTER)


def _people(session: Session, huddle_id: int, statuses: tuple[str, ...]) -> list[int]:
    return list(session.scalars(select(HuddleParticipant.person_id).where(
        HuddleParticipant.huddle_id == huddle_id, HuddleParticipant.status.in_(statuses))
        .order_by(HuddleParticipant.person_id)))


def _due(session: Session, statuses: tuple[str, ...], before: datetime, event_id: int | None) -> list[Huddle]:
    """Huddles in these statuses whose start is before `before`, row-locked; rows another run (or an accept) holds
    are skipped and picked up by the next run."""
    query = (select(Huddle).where(Huddle.status.in_(statuses), Huddle.starts_at <= before)
             .order_by(Huddle.starts_at, Huddle.id).with_for_update(skip_locked=True))
    if event_id is not None:
        query = query.where(Huddle.event_id == event_id)
    return list(session.scalars(query.execution_options(populate_existing=True)))


def _set_status(session: Session, huddle_id: int, from_statuses: tuple[str, ...], **values) -> bool:
    """A status-guarded UPDATE: True only for the one caller that made the change."""
    return session.execute(update(Huddle).where(Huddle.id == huddle_id, Huddle.status.in_(from_statuses))
                           .values(**values).returning(Huddle.id)).first() is not None


def start_due_huddles(session: Session, *, now: datetime, event_id: int | None = None) -> dict:
    """At the start time: under the minimum accepted → CANCELLED (the accepted people are told why); otherwise
    → IN_PROGRESS."""
    counts = {"started": 0, "cancelled": 0}
    for huddle in _due(session, UPCOMING, now, event_id):
        going = accepted_count(session, huddle.id)
        if going < huddle.min_participants:
            reason = TOO_FEW_REASON.format(min=huddle.min_participants, going=going)
            if _set_status(session, huddle.id, UPCOMING, status=HuddleStatus.CANCELLED.value, cancelled_at=now,
                           cancel_reason=reason):
                counts["cancelled"] += 1
                for person_id in _people(session, huddle.id, (ParticipantStatus.ACCEPTED.value,)):
                    notify(session, person_id=person_id, kind=NotificationKind.HUDDLE_UPDATE,
                           title=f"Huddle cancelled: {huddle.topic}", body=reason, now=now, link=HUDDLES_LINK,
                           dedupe_key=f"huddle-cancelled:{huddle.id}")
        elif _set_status(session, huddle.id, UPCOMING, status=HuddleStatus.IN_PROGRESS.value):
            counts["started"] += 1
    session.flush()
    return counts


def complete_due_huddles(session: Session, *, now: datetime, event_id: int | None = None) -> dict:
    """After the end (and the check-in window): → COMPLETED; accepted people who never checked in become NO_SHOW,
    and every pair of attendees who checked in is connected (origin HUDDLE) or, if already connected, gets one
    "huddle together" interaction. Blocked pairs are never connected."""
    counts = {"completed": 0, "no_shows": 0, "connections": 0, "interactions": 0}
    latest_start = now - CHECK_IN_AFTER  # a cheap bound; each huddle's own end is checked below
    for huddle in _due(session, (HuddleStatus.IN_PROGRESS.value,), latest_start, event_id):
        if _ended_at(huddle) > now:
            continue
        if not _set_status(session, huddle.id, (HuddleStatus.IN_PROGRESS.value,),
                           status=HuddleStatus.COMPLETED.value):
            continue
        counts["completed"] += 1
        counts["no_shows"] += len(session.execute(
            update(HuddleParticipant).where(HuddleParticipant.huddle_id == huddle.id,
                                            HuddleParticipant.status == ParticipantStatus.ACCEPTED.value)
            .values(status=ParticipantStatus.NO_SHOW.value).returning(HuddleParticipant.id)).all())
        attended = _people(session, huddle.id, (ParticipantStatus.ATTENDED.value,))
        for a, b in combinations(attended, 2):
            if is_blocked_pair(session, a, b):
                continue
            _, created = get_or_create_connection(session, person_ids=(a, b), event_id=huddle.event_id,
                                                  source=ConnectionOrigin.HUDDLE.value, now=now)
            record_interaction(session, a, b, ActivityKind.HUDDLE_TOGETHER, now, note=f"Huddle: {huddle.topic}")
            counts["connections" if created else "interactions"] += 1
    session.flush()
    return counts


def huddle_status_job(ctx: JobContext) -> dict:
    """Job body (every minute): start or cancel huddles at their start, complete them after their end."""
    now = ctx.clock.now()
    return {**start_due_huddles(ctx.session, now=now, event_id=ctx.event_id),
            **complete_due_huddles(ctx.session, now=now, event_id=ctx.event_id)}


def cancel_huddle(session: Session, *, huddle_id: int, actor_account_id: int, reason: str, clock: Clock) -> Huddle:
    """An organizer of the huddle's event (or an admin) calls off a huddle that has not started; the invited and
    accepted people are told why, and the audit log records it."""
    now = clock.now()
    huddle = session.get(Huddle, huddle_id, populate_existing=True)
    if huddle is None:
        raise HuddleError("That huddle does not exist.")
    actor = session.get(Account, actor_account_id)
    is_admin = actor is not None and Role.ADMIN.value in (actor.roles or [])
    if actor is None or not can_organize(session, account_id=actor_account_id, is_admin=is_admin,
                                         event_id=huddle.event_id):
        raise HuddleError("Only an organizer of this event can cancel its huddles.")
    reason = " ".join(reason.split())[:REASON_LIMIT] or "Cancelled by the organizer."
    if not _set_status(session, huddle.id, UPCOMING, status=HuddleStatus.CANCELLED.value, cancelled_at=now,
                       cancel_reason=reason):
        session.refresh(huddle)
        raise HuddleError(f"This huddle is already {huddle.status.replace('_', ' ')}, so it cannot be cancelled.")
    told = _people(session, huddle.id, (ParticipantStatus.INVITED.value, ParticipantStatus.ACCEPTED.value))
    for person_id in told:
        notify(session, person_id=person_id, kind=NotificationKind.HUDDLE_UPDATE,
               title=f"Huddle cancelled: {huddle.topic}", body=f"The organizer cancelled it: {reason}", now=now,
               link=HUDDLES_LINK, dedupe_key=f"huddle-cancelled:{huddle.id}")
    record_audit(session, actor_id=actor_account_id, action="huddle.cancel", target_type="huddle",
                 target_id=huddle.id, details={"topic": huddle.topic, "reason": reason, "notified": len(told)},
                 at=now)
    session.flush()
    session.refresh(huddle)
    return huddle

