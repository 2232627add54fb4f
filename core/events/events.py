"""Events and their registrations."""
from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from core.platform.audit import record_audit
from db.models import Event, EventOrganizer, Person, Registration

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


def events_visible_to(session: Session, *, account_id: int, is_admin: bool) -> list[Event]:
    """The events an account may see as an organizer: admins see all, organizers the events they organize."""
    if is_admin:
        return list_events(session)
    return list(session.scalars(
        select(Event).join(EventOrganizer, EventOrganizer.event_id == Event.id)
        .where(EventOrganizer.account_id == account_id)
        .order_by(Event.starts_on.desc().nulls_last(), Event.name)))


def can_organize(session: Session, *, account_id: int, is_admin: bool, event_id: int) -> bool:
    """Whether the account may see this event's organizer pages and exports."""
    return is_admin or session.get(EventOrganizer, (event_id, account_id)) is not None


def add_organizer(session: Session, *, event_id: int, account_id: int, actor_id: int | None) -> bool:
    """Put an account in charge of an event; False if it already was."""
    if session.get(EventOrganizer, (event_id, account_id)) is not None:
        return False
    session.add(EventOrganizer(event_id=event_id, account_id=account_id))
    record_audit(session, actor_id=actor_id, action="event.organizer_added", target_type="event", target_id=event_id,
                 details={"account_id": account_id})
    session.flush()
    return True


class RegistrationSettingsError(ValueError):
    """Registration settings that cannot be saved; the message says what to fix."""


def set_registration(session: Session, *, event_id: int, open_: bool, capacity: int | None,
                     closes_at: datetime | None, actor_id: int | None, clock) -> Event:
    """Open or close public sign-up for an event, with an optional capacity and closing time.

    Opening it the first time gives the event its sign-up code (the public link carries it)."""
    event = session.get(Event, event_id)
    if capacity is not None and capacity < 1:
        raise RegistrationSettingsError("The capacity must be at least 1, or left empty for no limit.")
    if open_ and closes_at is not None and closes_at <= clock.now():
        raise RegistrationSettingsError("The closing time is in the past: choose a later one, or none.")
    if event.registration_code is None:
        event.registration_code = secrets.token_urlsafe(9)
    event.registration_open, event.registration_capacity, event.registration_closes_at = open_, capacity, closes_at
    record_audit(session, actor_id=actor_id, action="event.registration_changed", target_type="event",
                 target_id=event_id, details={"open": open_, "capacity": capacity,
                                              "closes_at": closes_at.isoformat() if closes_at else None},
                 at=clock.now())
    session.flush()
    return event


def event_by_code(session: Session, code: str) -> Event | None:
    return session.scalar(select(Event).where(Event.registration_code == (code or "").strip()))


def last_event_day():
    """Per person, the day their last event ended: the latest end (or start) of the events they registered for."""
    return (select(Registration.person_id, func.max(func.coalesce(Event.ends_on, Event.starts_on)).label("day"))
            .join(Event, Event.id == Registration.event_id).group_by(Registration.person_id).subquery())


def without_event_since(now: datetime, days: int) -> ColumnElement[bool]:
    """Whether a person's last event ended over `days` ago (people with no registration count from when they were
    created): the retention rule for data kept only while someone takes part in events."""
    last = last_event_day()
    cutoff = now - timedelta(days=days)
    stale = (select(Person.id).outerjoin(last, last.c.person_id == Person.id)
             .where(or_(last.c.day < cutoff.date(), last.c.day.is_(None) & (Person.created_at < cutoff))))
    return Person.id.in_(stale)
