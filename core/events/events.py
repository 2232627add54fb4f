"""Events and their registrations."""
from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Event, Registration

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def validate_slug(slug: str) -> str:
    slug = (slug or "").strip().lower()
    if not SLUG_RE.match(slug):
        raise ValueError(f"'{slug}' is not a valid event slug: use lowercase letters, digits and '-' (max 80).")
    return slug


def get_event(session: Session, slug: str) -> Event | None:
    return session.scalar(select(Event).where(Event.slug == slug))


def get_or_create_event(session: Session, slug: str, name: str | None = None) -> Event:
    """The event with this slug, created (not committed) if it is new."""
    slug = validate_slug(slug)
    event = get_event(session, slug)
    if event is None:
        event = Event(slug=slug, name=name or slug.replace("-", " ").title())
        session.add(event)
        session.flush()
    return event


def list_events(session: Session) -> list[Event]:
    return list(session.scalars(select(Event).order_by(Event.starts_on.desc().nulls_last(), Event.name)))


def registration_counts(session: Session) -> dict[int, tuple[int, int]]:
    """event id -> (registered, checked in)."""
    rows = session.execute(
        select(Registration.event_id, func.count(), func.count(Registration.checked_in_at))
        .group_by(Registration.event_id)
    )
    return {event_id: (total, checked) for event_id, total, checked in rows}


def check_in(session: Session, *, event_id: int, person_id: int, now) -> bool:
    """Mark the attendee as arrived; False if they were checked in already."""
    registration = session.scalar(select(Registration).where(Registration.event_id == event_id,
                                                             Registration.person_id == person_id))
    if registration is None:
        raise ValueError("You are not registered for this event.")
    if registration.checked_in_at is not None:
        return False
    registration.checked_in_at = now
    session.flush()
    return True


def is_checked_in(session: Session, *, event_id: int, person_id: int) -> bool:
    return session.scalar(select(Registration.checked_in_at).where(
        Registration.event_id == event_id, Registration.person_id == person_id)) is not None
