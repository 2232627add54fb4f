"""Shared venue zones for proximity huddles (opt-in): the event's zones, sharing one for 30 minutes, the purge."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.accounts import Role
from core.events.events import can_organize
from core.platform.audit import record_audit
from core.platform.clock import Clock
from db.models import Account, Event, LocationShare, ProgramSession

SHARE_MINUTES = 30
# §11.2: proximity data is kept for the event plus 90 days; an expired share is useless after a day.
RETENTION_DAYS_AFTER_EVENT = 90
EXPIRED_KEEP = timedelta(days=1)
MAX_VENUE_AREAS = 30
AREA_NAME_LIMIT = 120


class LocationError(ValueError):
    """A location action that cannot be done; the message says what to fix."""


@dataclass(frozen=True)
class CurrentShare:
    zone: str
    shared_at: datetime
    expires_at: datetime


def _clean(name: str | None) -> str:
    return " ".join((name or "").split())


def venue_zones(session: Session, event_id: int) -> list[str]:
    """The event's zones: the distinct rooms of its program plus the organizer's venue areas, sorted by name."""
    rooms = session.scalars(select(ProgramSession.room).where(ProgramSession.event_id == event_id).distinct())
    event = session.get(Event, event_id)
    names = {_clean(room) for room in rooms} | {_clean(area) for area in (event.venue_areas if event else [])}
    names.discard("")
    return sorted(names, key=lambda name: (name.casefold(), name))


def share_location(session: Session, *, person_id: int, event_id: int, zone: str, clock: Clock) -> CurrentShare:
    """Share the zone a person is in for 30 minutes (replacing any earlier share at this event)."""
    wanted = _clean(zone)
    if wanted not in venue_zones(session, event_id):
        raise LocationError("Choose one of the event's rooms or areas.")
    now = clock.now()
    expires_at = now + timedelta(minutes=SHARE_MINUTES)
    statement = insert(LocationShare).values(person_id=person_id, event_id=event_id, zone=wanted, shared_at=now,
                                             expires_at=expires_at)
    session.execute(statement.on_conflict_do_update(
        index_elements=[LocationShare.person_id, LocationShare.event_id],
        set_={"zone": wanted, "shared_at": now, "expires_at": expires_at}))
    session.flush()
    session.expire_all()
    return CurrentShare(zone=wanted, shared_at=now, expires_at=expires_at)


def clear_location(session: Session, *, person_id: int, event_id: int) -> bool:
    """Stop sharing at once; True when there was a share to remove."""
    result = session.execute(delete(LocationShare).where(LocationShare.person_id == person_id,
                                                         LocationShare.event_id == event_id))
    session.flush()
    return result.rowcount > 0


def current_share(session: Session, *, person_id: int, event_id: int, clock: Clock) -> CurrentShare | None:
    """The person's live share at the event, or None when they share nothing or it has expired."""
    share = session.get(LocationShare, (person_id, event_id))
    if share is None or share.expires_at <= clock.now():
        return None
    return CurrentShare(zone=share.zone, shared_at=share.shared_at, expires_at=share.expires_at)


def active_shares(session: Session, *, event_id: int, clock: Clock) -> dict[int, str]:
    """Person id → zone for every live share at the event."""
    rows = session.execute(select(LocationShare.person_id, LocationShare.zone).where(
        LocationShare.event_id == event_id, LocationShare.expires_at > clock.now()))
    return {person_id: zone for person_id, zone in rows}


def purge_location_shares(session: Session, *, clock: Clock,
                          days_after_event: int = RETENTION_DAYS_AFTER_EVENT) -> int:
    """Delete shares expired over a day ago and every share of an event that ended over `days_after_event` days
    ago (the LOCATION_SHARE_RETENTION_DAYS setting); the count."""
    now = clock.now()
    ended_long_ago = select(Event.id).where(
        Event.ends_on.is_not(None), Event.ends_on < (now - timedelta(days=days_after_event)).date())
    expired = session.execute(delete(LocationShare).where(LocationShare.expires_at < now - EXPIRED_KEEP))
    old = session.execute(delete(LocationShare).where(LocationShare.event_id.in_(ended_long_ago)))
    session.flush()
    return expired.rowcount + old.rowcount


def set_venue_areas(session: Session, *, event_id: int, areas: list[str], actor_account_id: int | None,
                    clock: Clock) -> list[str]:
    """Replace the organizer's venue areas (trimmed, deduplicated ignoring case, capped) and audit the change.
    An account must organize the event (or be an admin); no account means the system."""
    event = session.get(Event, event_id)
    if event is None:
        raise LocationError("That event does not exist.")
    if actor_account_id is not None:
        actor = session.get(Account, actor_account_id)
        is_admin = actor is not None and Role.ADMIN.value in (actor.roles or [])
        if actor is None or not can_organize(session, account_id=actor_account_id, is_admin=is_admin,
                                             event_id=event_id):
            raise LocationError("Only an organizer of this event can change its venue areas.")
    cleaned: dict[str, str] = {}
    for area in areas:
        name = _clean(area)
        if not name:
            continue
        if len(name) > AREA_NAME_LIMIT:
            raise LocationError(f"Keep each area name to {AREA_NAME_LIMIT} characters: {name[:40]}… is too long.")
        cleaned.setdefault(name.casefold(), name)
    if len(cleaned) > MAX_VENUE_AREAS:
        raise LocationError(f"List at most {MAX_VENUE_AREAS} venue areas; you listed {len(cleaned)}.")
    before = list(event.venue_areas or [])
    event.venue_areas = list(cleaned.values())
    record_audit(session, actor_id=actor_account_id, action="event.venue_areas", target_type="event",
                 target_id=event_id, details={"before": before, "after": event.venue_areas}, at=clock.now())
    session.flush()
    return event.venue_areas
