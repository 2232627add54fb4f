"""In-app notifications: written once per trigger, listed newest first, counted while unread."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models import Notification

TITLE_LIMIT = 200
BODY_LIMIT = 2000


class NotificationKind(StrEnum):
    """What a notification is about; the notification centre shows each with its own label and icon."""

    CONNECTION_REQUEST = "connection_request"
    REQUEST_ACCEPTED = "request_accepted"
    PING = "ping"
    MESSAGE = "message"
    MEETING_ANSWER = "meeting_answer"
    FOLLOW_UP_REMINDER = "follow_up_reminder"
    CONNECTION_HERE = "connection_here"
    DIGEST = "digest"


def notify(session: Session, *, person_id: int, kind: NotificationKind, title: str, now: datetime, body: str = "",
           link: str = "", actor_id: int | None = None, dedupe_key: str | None = None) -> int | None:
    """Write one notification; with a `dedupe_key` a second call for the same person and key writes nothing.

    Returns the new notification's id, or None when it already existed."""
    statement = insert(Notification).values(
        person_id=person_id, kind=kind.value, title=title[:TITLE_LIMIT], body=body[:BODY_LIMIT], link=link[:200],
        actor_id=actor_id, dedupe_key=dedupe_key, created_at=now)
    return session.scalar(statement.on_conflict_do_nothing(constraint="uq_notification_once")
                          .returning(Notification.id))


def unread_count(session: Session, person_id: int) -> int:
    """How many of the person's notifications are unread."""
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.person_id == person_id, Notification.read_at.is_(None))) or 0


def notifications_of(session: Session, person_id: int, *, limit: int = 50, unread_only: bool = False
                     ) -> list[Notification]:
    """The person's notifications, newest first."""
    query = select(Notification).where(Notification.person_id == person_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc())
                                .limit(limit)))


def mark_read(session: Session, *, person_id: int, now: datetime, notification_ids: list[int] | None = None) -> int:
    """Mark these notifications (or all of the person's) read; returns how many changed."""
    statement = update(Notification).where(Notification.person_id == person_id, Notification.read_at.is_(None))
    if notification_ids is not None:
        statement = statement.where(Notification.id.in_(notification_ids))
    changed = session.execute(statement.values(read_at=now)).rowcount
    session.flush()
    return changed
