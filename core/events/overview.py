"""Organizer overview of an event's crowd (registrations, check-ins, goals, industries, interests), and who
organizes each event."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.events.visibility import live
from db.models import Account, Event, EventOrganizer, Person, ProgramSession, Registration


@dataclass
class EventOverview:
    registered: int = 0
    checked_in: int = 0
    sessions: int = 0
    goals: Counter = field(default_factory=Counter)
    industries: Counter = field(default_factory=Counter)
    interests: Counter = field(default_factory=Counter)
    countries: Counter = field(default_factory=Counter)
    registrations_by_day: dict = field(default_factory=dict)

    @property
    def check_in_rate(self) -> float:
        return self.checked_in / self.registered if self.registered else 0.0


def event_overview(session: Session, event_id: int) -> EventOverview:
    """Counts that describe who is coming to the event (deleted people excluded)."""
    overview = EventOverview()
    rows = session.execute(
        select(Person.goals, Person.industry, Person.interests, Person.country, Registration.checked_in_at,
               func.date(Registration.registered_at))
        .join(Registration, Registration.person_id == Person.id)
        .where(Registration.event_id == event_id, live(Person))
    )
    by_day: Counter = Counter()
    for goals, industry, interests, country, checked_in_at, day in rows:
        overview.registered += 1
        overview.checked_in += checked_in_at is not None
        overview.goals.update(goals)
        overview.industries[(industry or "not given").strip()] += 1
        overview.interests.update(i.lower() for i in interests)
        overview.countries[country or "not given"] += 1
        by_day[day] += 1
    overview.registrations_by_day = dict(sorted(by_day.items()))
    overview.sessions = session.scalar(
        select(func.count()).select_from(ProgramSession).where(ProgramSession.event_id == event_id)) or 0
    return overview


@dataclass(frozen=True)
class EventOrganizers:
    """One event and the accounts in charge of it (usernames, alphabetical)."""

    event_id: int
    event_name: str
    event_slug: str
    organizers: list[str]


def organizers_by_event(session: Session) -> list[EventOrganizers]:
    """Every event with its organizers, newest event first; an event nobody organizes has an empty list."""
    events = session.execute(select(Event.id, Event.name, Event.slug)
                             .order_by(Event.starts_on.desc().nulls_last(), Event.name)).all()
    names: dict[int, list[str]] = {}
    for event_id, username in session.execute(
            select(EventOrganizer.event_id, Account.username).join(Account, Account.id == EventOrganizer.account_id)
            .order_by(Account.username)):
        names.setdefault(event_id, []).append(username)
    return [EventOrganizers(event_id, name, slug, names.get(event_id, [])) for event_id, name, slug in events]
