"""The connection activity feed (seed 000 §7.7), events your network is attending (§7.5) and the first-event
welcome for someone with no connections yet (§7.8): a few indexed queries each, cheap enough for a page load."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Subquery, and_, exists, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from core.events.visibility import live
from core.knowledge.skills import concepts_of
from core.networking.blocks import pair_blocked
from db.models import (
    Connection,
    Event,
    Meeting,
    MeetingStatus,
    Person,
    ProgramSession,
    Registration,
    SessionAction,
    SessionActionKind,
)

ROLE_CHANGE_DAYS = 30
NEW_MEETING_DAYS = 30
FEED_LIMIT = 30
NAMES_SHOWN = 3
COLD_START_SESSIONS = 3
WELCOME = ("This is your first GlobalConnect event! Start with For you: it lists the people you should meet here "
           "and why, matched on your goals and interests rather than on who you already know. Connect with a few, "
           "bookmark the sessions you like, and your network grows from there.")


class ActivityType(StrEnum):
    """What a feed item says about a connection."""

    SHARED_EVENT = "shared_event"
    MEETING = "meeting"
    ROLE_CHANGE = "role_change"


@dataclass(frozen=True)
class ActivityItem:
    """One line of the activity feed, with the action it suggests: a page (an app page file) and its query."""

    type: ActivityType
    person_id: int
    person_name: str
    description: str
    action_label: str
    action_page: str
    at: datetime | date
    query: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EventWithConnections:
    """An upcoming event, how many of the person's connections attend it and the first few names."""

    event_id: int
    name: str
    starts_on: date | None
    city: str | None
    connections_attending: int
    names: list[str]
    registered: bool


@dataclass(frozen=True)
class PeerSession:
    """A session that first-timers with the same problem bookmarked."""

    session_id: int
    title: str
    starts_at: datetime | None
    room: str | None
    peers: int


@dataclass(frozen=True)
class ColdStart:
    """What a first-timer with no connections sees instead of an empty network."""

    event_id: int
    event_name: str
    problem: str | None  # the concept of their problem statement most peers share
    peer_count: int
    sessions: list[PeerSession]
    welcome: str = WELCOME


def connection_edges() -> Subquery:
    """Every active connection seen from both sides: (person_id, other_id, connection_id, event_id, created_at,
    interaction_count), without pairs where one blocked the other."""
    sides = [select(Connection.person_a_id.label("person_id"), Connection.person_b_id.label("other_id"),
                    Connection.id.label("connection_id"), Connection.event_id, Connection.created_at,
                    Connection.interaction_count)
             .where(Connection.status == "active",
                    ~exists().where(pair_blocked(Connection.person_a_id, Connection.person_b_id))),
             select(Connection.person_b_id, Connection.person_a_id, Connection.id, Connection.event_id,
                    Connection.created_at, Connection.interaction_count)
             .where(Connection.status == "active",
                    ~exists().where(pair_blocked(Connection.person_a_id, Connection.person_b_id)))]
    return union_all(*sides).subquery("edges")


def upcoming(today: date):
    """SQL condition: the event has not ended by `today` (an event without dates counts as upcoming)."""
    return or_(func.coalesce(Event.ends_on, Event.starts_on).is_(None),
               func.coalesce(Event.ends_on, Event.starts_on) >= today)


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def _shared_events(session: Session, person_id: int, today: date) -> list[ActivityItem]:
    edges = connection_edges()
    mine, theirs = aliased(Registration), aliased(Registration)
    rows = session.execute(
        select(edges.c.other_id, Person.first_name, Person.last_name, Event.id, Event.name, Event.starts_on)
        .join(theirs, theirs.person_id == edges.c.other_id)
        .join(mine, and_(mine.event_id == theirs.event_id, mine.person_id == person_id))
        .join(Event, Event.id == theirs.event_id)
        .join(Person, Person.id == edges.c.other_id)
        .where(edges.c.person_id == person_id, live(Person), upcoming(today))
        .order_by(edges.c.other_id, Event.starts_on.nulls_last(), Event.id)).all()
    items, seen = [], set()
    for other_id, first, last, _event_id, event_name, starts_on in rows:
        if other_id in seen:  # one item per connection: the soonest shared event
            continue
        seen.add(other_id)
        items.append(ActivityItem(ActivityType.SHARED_EVENT, other_id, _name(first, last),
                                  f"You'll both be at {event_name}", "Schedule a meetup", "pages/my_agenda.py",
                                  starts_on or today))
    return items


def _meetings(session: Session, person_id: int, now: datetime) -> list[ActivityItem]:
    edges = connection_edges()
    other_id = func.coalesce(func.nullif(Meeting.requester_id, person_id), Meeting.recipient_id)
    rows = session.execute(
        select(Meeting.status, Meeting.starts_at, Meeting.created_at, Meeting.requester_id, Person.id,
               Person.first_name, Person.last_name)
        .join(edges, and_(edges.c.person_id == person_id, edges.c.other_id == other_id))
        .join(Person, Person.id == other_id)
        .where(or_(Meeting.requester_id == person_id, Meeting.recipient_id == person_id),
               Meeting.status.in_([MeetingStatus.PENDING, MeetingStatus.ACCEPTED]),
               Meeting.created_at >= now - timedelta(days=NEW_MEETING_DAYS),
               or_(Meeting.starts_at.is_(None), Meeting.starts_at >= now), live(Person))).all()
    items = []
    for status, starts_at, created_at, requester_id, other, first, last in rows:
        when = f" on {starts_at:%a %d %b at %H:%M} UTC" if starts_at else ""
        if status == MeetingStatus.ACCEPTED:
            text = f"Meeting together{when}"
        elif requester_id == person_id:
            text = "You asked to meet: waiting for their answer"
        else:
            text = "Asked to meet you: answer in My agenda"
        items.append(ActivityItem(ActivityType.MEETING, other, _name(first, last), text, "Open My agenda",
                                  "pages/my_agenda.py", created_at))
    return items


def _role_changes(session: Session, person_id: int, now: datetime) -> list[ActivityItem]:
    edges = connection_edges()
    rows = session.execute(
        select(Person.id, Person.first_name, Person.last_name, Person.role, Person.company, Person.role_changed_at)
        .join(edges, and_(edges.c.person_id == person_id, edges.c.other_id == Person.id))
        .where(Person.role_changed_at >= now - timedelta(days=ROLE_CHANGE_DAYS), live(Person))).all()
    items = []
    for other, first, last, role, company, changed_at in rows:
        at_company = f" at {company}" if company else ""
        text = f"Now {role}{at_company}" if role else f"Now at {company}"
        items.append(ActivityItem(ActivityType.ROLE_CHANGE, other, _name(first, last), text, "Congratulate them",
                                  "pages/messages.py", changed_at, {"with": str(other)}))
    return items


def activity_feed(session: Session, person_id: int, *, now: datetime, limit: int = FEED_LIMIT) -> list[ActivityItem]:
    """The person's connection updates (§7.7): shared upcoming events, meetings with connections and role changes;
    role changes and meetings newest first, then shared events soonest first."""
    recent = sorted([*_role_changes(session, person_id, now), *_meetings(session, person_id, now)],
                    key=lambda item: item.at, reverse=True)
    shared = sorted(_shared_events(session, person_id, now.date()), key=lambda item: (item.at, item.person_name))
    return [*recent, *shared][:limit]


def events_with_connections(session: Session, person_id: int, today: date) -> list[EventWithConnections]:
    """Upcoming events that connections attend (§7.5), most connections first, with up to three names each."""
    edges = connection_edges()
    rows = session.execute(
        select(Event.id, Event.name, Event.starts_on, Event.city, Person.first_name, Person.last_name,
               edges.c.interaction_count)
        .join(Registration, Registration.event_id == Event.id)
        .join(edges, and_(edges.c.person_id == person_id, edges.c.other_id == Registration.person_id))
        .join(Person, Person.id == Registration.person_id)
        .where(upcoming(today), live(Person))
        .order_by(Event.id, edges.c.interaction_count.desc(), Person.last_name, Person.first_name)).all()
    mine = set(session.scalars(select(Registration.event_id).where(Registration.person_id == person_id)))
    grouped: dict[int, dict] = {}
    for event_id, name, starts_on, city, first, last, _ in rows:
        entry = grouped.setdefault(event_id, {"name": name, "starts_on": starts_on, "city": city, "names": []})
        entry["names"].append(_name(first, last))
    events = [EventWithConnections(event_id, e["name"], e["starts_on"], e["city"], len(e["names"]),
                                   e["names"][:NAMES_SHOWN], event_id in mine) for event_id, e in grouped.items()]
    return sorted(events, key=lambda e: (-e.connections_attending, e.starts_on or date.max, e.name))


def _has_connections(session: Session, person_id: int) -> bool:
    return bool(session.scalar(select(exists().where(
        Connection.status == "active", or_(Connection.person_a_id == person_id, Connection.person_b_id == person_id)))))


def _first_timers(event_id: int):
    """SQL: the people registered for this event and for no other."""
    other = aliased(Registration)
    return (select(Registration.person_id).where(
        Registration.event_id == event_id,
        ~exists().where(other.person_id == Registration.person_id, other.event_id != event_id)))


def cold_start(session: Session, person_id: int, today: date) -> ColdStart | None:
    """The first-event view (§7.8) for someone with no connections whose only event has not ended, else None:
    how many other first-timers there share a concept of their problem statement, and the sessions those peers
    bookmarked."""
    events = session.execute(select(Event.id, Event.name, upcoming(today).label("open"))
                             .join(Registration, Registration.event_id == Event.id)
                             .where(Registration.person_id == person_id)).all()
    if len(events) != 1 or not events[0].open or _has_connections(session, person_id):
        return None
    event_id, event_name = events[0].id, events[0].name
    problem = session.scalar(select(Person.problem_statement).where(Person.id == person_id)) or ""
    mine = concepts_of(problem)
    if not mine:
        return ColdStart(event_id, event_name, None, 0, [])
    candidates = session.execute(select(Person.id, Person.problem_statement).where(
        Person.id.in_(_first_timers(event_id)), Person.id != person_id, live(Person),
        Person.problem_statement.is_not(None), Person.matching_visible.is_(True),
        ~exists().where(pair_blocked(person_id, Person.id)))).all()
    shared_by: dict[int, set[str]] = {}
    for peer_id, statement in candidates:
        shared = mine & concepts_of(statement)
        if shared:
            shared_by[peer_id] = shared
    if not shared_by:
        return ColdStart(event_id, event_name, sorted(mine)[0], 0, [])
    concept_counts = Counter(c for shared in shared_by.values() for c in shared)
    problem_concept = min(concept_counts, key=lambda c: (-concept_counts[c], c))
    peers = func.count(func.distinct(SessionAction.person_id))
    rows = session.execute(
        select(ProgramSession.id, ProgramSession.title, ProgramSession.starts_at, ProgramSession.room,
               peers.label("peers"))
        .join(SessionAction, SessionAction.session_id == ProgramSession.id)
        .where(ProgramSession.event_id == event_id, SessionAction.kind == SessionActionKind.BOOKMARK,
               SessionAction.person_id.in_(list(shared_by)))
        .group_by(ProgramSession.id)
        .order_by(peers.desc(), ProgramSession.starts_at.nulls_last(), ProgramSession.id)
        .limit(COLD_START_SESSIONS)).all()
    return ColdStart(event_id, event_name, problem_concept, len(shared_by),
                     [PeerSession(r.id, r.title, r.starts_at, r.room, r.peers) for r in rows])

