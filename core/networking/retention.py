"""Retention triggers (seed 000 §7.9, §10.3): "your connection is also attending", "N of your connections are here",
the monthly network digest and the post-event feedback campaign; each fires once per person per trigger."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Date, DateTime, and_, cast, func, literal, select, update
from sqlalchemy.orm import Session, aliased

from core.events.visibility import live
from core.networking.activity import connection_edges, upcoming
from core.networking.notifications import NotificationKind, notify
from core.platform.job_context import JobContext
from db.filters import in_values
from db.models import ConnectionFeedback, Event, Person, Registration

ARRIVALS_JOB, DIGEST_JOB, FEEDBACK_JOB = "connection-arrivals", "monthly-digest", "feedback-campaign"
# A registration or check-in this recent still triggers its notification, so a run the worker missed catches up.
LOOKBACK = timedelta(hours=24)
DIGEST_PERIOD = timedelta(days=30)
# §10.3: the campaign goes to events that ended 24 to 48 hours ago.
FEEDBACK_AFTER, FEEDBACK_BEFORE = timedelta(hours=24), timedelta(hours=48)
NETWORK_LINK = "my-network?tab=activity"


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def notify_connections_attending(session: Session, *, now: datetime) -> int:
    """For each registration of the last day, tell the registrant about each connection already registered for
    that event (one per registrant, connection and event); returns how many notifications were written."""
    edges = connection_edges()
    newcomer, earlier = aliased(Registration), aliased(Registration)
    other, origin = aliased(Person), aliased(Event)
    rows = session.execute(
        select(newcomer.person_id, newcomer.event_id, Event.name, edges.c.other_id, other.first_name,
               other.last_name, origin.name.label("origin"))
        .join(Event, Event.id == newcomer.event_id)
        .join(edges, edges.c.person_id == newcomer.person_id)
        .join(earlier, and_(earlier.event_id == newcomer.event_id, earlier.person_id == edges.c.other_id,
                            earlier.registered_at <= newcomer.registered_at))
        .join(other, other.id == edges.c.other_id)
        .join(Person, Person.id == newcomer.person_id)
        .outerjoin(origin, origin.id == edges.c.event_id)
        .where(newcomer.registered_at > now - LOOKBACK, newcomer.registered_at <= now, upcoming(now.date()),
               live(Person), live(other))
        .order_by(newcomer.id, edges.c.other_id)).all()
    written = 0
    for person_id, event_id, event_name, other_id, first, last, origin_name in rows:
        source = f" from {origin_name}" if origin_name else ""
        written += notify(session, person_id=person_id, kind=NotificationKind.CONNECTION_ATTENDING,
                          title=f"{_name(first, last)} is also attending",
                          body=f"Your connection{source} is going to {event_name} too.", now=now,
                          link=NETWORK_LINK, actor_id=other_id,
                          dedupe_key=f"attending:{event_id}:{other_id}") is not None
    return written


def notify_connections_here(session: Session, *, now: datetime) -> int:
    """For each check-in of the last day, tell the person how many of their connections are at that event (one per
    person and event, only when there is at least one); returns how many notifications were written."""
    edges = connection_edges()
    arrival, theirs, other = aliased(Registration), aliased(Registration), aliased(Person)
    rows = session.execute(
        select(arrival.person_id, arrival.event_id, Event.name, other.first_name, other.last_name,
               theirs.checked_in_at)
        .join(Event, Event.id == arrival.event_id)
        .join(edges, edges.c.person_id == arrival.person_id)
        .join(theirs, and_(theirs.event_id == arrival.event_id, theirs.person_id == edges.c.other_id))
        .join(other, other.id == theirs.person_id)
        .join(Person, Person.id == arrival.person_id)
        .where(arrival.checked_in_at > now - LOOKBACK, arrival.checked_in_at <= now,
               live(Person), live(other))
        # those already checked in first: they are the ones actually here
        .order_by(arrival.id, theirs.checked_in_at.is_(None), other.last_name, other.first_name)).all()
    here: dict[tuple[int, int], list[str]] = defaultdict(list)
    names: dict[int, str] = {}
    for person_id, event_id, event_name, first, last, _ in rows:
        here[(person_id, event_id)].append(_name(first, last))
        names[event_id] = event_name
    written = 0
    for (person_id, event_id), people in here.items():
        count = len(people)
        title = (f"{count} of your connections are here" if count > 1 else "1 of your connections is here")
        shown = ", ".join(people[:3]) + (f" and {count - 3} more" if count > 3 else "")
        written += notify(session, person_id=person_id, kind=NotificationKind.CONNECTION_HERE, title=title,
                          body=f"At {names[event_id]}: {shown}. Open My network to see who and say hello.",
                          now=now, link=NETWORK_LINK, dedupe_key=f"here:{event_id}") is not None
    return written


def connection_arrivals_job(ctx: JobContext) -> dict:
    """Job body: notify registrants about connections also attending, and arrivals about connections here."""
    now = ctx.clock.now()
    return {"attending": notify_connections_attending(ctx.session, now=now),
            "here": notify_connections_here(ctx.session, now=now)}


def send_monthly_digest(session: Session, *, now: datetime) -> int:
    """One digest per person with news this month (§7.9 trigger 4): new connections in the last 30 days, or upcoming
    events their connections attend; returns how many were written."""
    edges = connection_edges()
    stats = session.execute(
        select(edges.c.person_id, func.count().label("total"),
               func.count().filter(edges.c.created_at >= now - DIGEST_PERIOD).label("new"))
        .join(Person, Person.id == edges.c.other_id)
        .where(live(Person)).group_by(edges.c.person_id)).all()
    if not stats:
        return 0
    events = dict(session.execute(
        select(edges.c.person_id, func.count(func.distinct(Registration.event_id)))
        .join(Registration, Registration.person_id == edges.c.other_id)
        .join(Event, Event.id == Registration.event_id)
        .where(upcoming(now.date())).group_by(edges.c.person_id)).all())
    top_rank = func.row_number().over(partition_by=edges.c.person_id,
                                      order_by=(edges.c.interaction_count.desc(), edges.c.created_at.desc()))
    ranked = (select(edges.c.person_id, Person.first_name, Person.last_name, edges.c.interaction_count,
                     top_rank.label("rank"))
              .join(Person, Person.id == edges.c.other_id).where(live(Person)).subquery())
    top = {r.person_id: (_name(r.first_name, r.last_name), r.interaction_count) for r in session.execute(
        select(ranked).where(ranked.c.rank == 1))}
    active = set(session.scalars(select(Person.id).where(live(Person),
                                                         in_values(Person.id, [s.person_id for s in stats]))))
    month = f"{now:%Y-%m}"
    written = 0
    for person_id, total, new in stats:
        upcoming_events = events.get(person_id, 0)
        if person_id not in active or not (new or upcoming_events):
            continue
        lines = [f"{new} new connection{'s' if new != 1 else ''} this month ({total} in all)."]
        if upcoming_events:
            lines.append(f"{upcoming_events} upcoming event{'s' if upcoming_events != 1 else ''} where your "
                         "connections are going.")
        top_name, interactions = top.get(person_id, (None, 0))
        if top_name and interactions:
            lines.append(f"Most in touch: {top_name}.")
        written += notify(session, person_id=person_id, kind=NotificationKind.DIGEST,
                          title=f"Your network in {now:%B}", body=" ".join(lines), now=now, link=NETWORK_LINK,
                          dedupe_key=f"digest:{month}") is not None
    return written


def monthly_digest_job(ctx: JobContext) -> dict:
    """Job body: the monthly network digest."""
    return {"digests": send_monthly_digest(ctx.session, now=ctx.clock.now())}


def _event_end():
    """SQL: the moment an event ends, the midnight after its last day in its own time zone."""
    last_day = func.coalesce(Event.ends_on, Event.starts_on)
    return func.timezone(Event.timezone, cast(cast(last_day + literal(1), Date), DateTime))


def send_feedback_campaigns(session: Session, *, now: datetime) -> dict:
    """Ask everyone who made connections at an event that ended 24–48 hours ago how they went (§10.3), once per
    event: the event row is locked (rows another worker holds are skipped) and marked sent in the same transaction."""
    events = session.execute(
        select(Event.id, Event.name)
        .where(Event.feedback_campaign_sent_at.is_(None), func.coalesce(Event.ends_on, Event.starts_on).is_not(None),
               _event_end().between(now - FEEDBACK_BEFORE, now - FEEDBACK_AFTER))
        .order_by(Event.id).with_for_update(skip_locked=True)).all()
    edges = connection_edges()
    sent = 0
    for event_id, event_name in events:
        met = session.execute(
            select(edges.c.person_id, func.count())
            .join(Person, Person.id == edges.c.person_id)
            .where(edges.c.event_id == event_id, live(Person))
            .group_by(edges.c.person_id).order_by(edges.c.person_id)).all()
        for person_id, count in met:
            people = f"{count} {'people' if count != 1 else 'person'}"
            sent += notify(session, person_id=person_id, kind=NotificationKind.FEEDBACK_REQUEST,
                           title="How were your connections?",
                           body=f"You met {people} at {event_name}. Quick feedback helps us improve.", now=now,
                           link=NETWORK_LINK, dedupe_key=f"feedback:{event_id}") is not None
        session.execute(update(Event).where(Event.id == event_id).values(feedback_campaign_sent_at=now))
    session.flush()
    return {"events": len(events), "requests": sent}


def feedback_campaign_job(ctx: JobContext) -> dict:
    """Job body: the post-event connection feedback campaign."""
    return send_feedback_campaigns(ctx.session, now=ctx.clock.now())


FEEDBACK_OPEN_DAYS = 14


@dataclass(frozen=True)
class FeedbackDue:
    """A connection made at an event whose feedback campaign went out, still waiting for this person's feedback."""

    connection_id: int
    event_id: int
    event_name: str
    other_id: int
    other_name: str
    other_role: str


def feedback_due(session: Session, person_id: int, *, now: datetime) -> list[FeedbackDue]:
    """The person's connections from events whose feedback campaign went out in the last two weeks and that they
    have not rated yet, newest event first."""
    edges = connection_edges()
    rows = session.execute(
        select(edges.c.connection_id, Event.id, Event.name, Person.id, Person.first_name, Person.last_name,
               Person.role)
        .join(Event, Event.id == edges.c.event_id)
        .join(Person, Person.id == edges.c.other_id)
        .outerjoin(ConnectionFeedback, and_(ConnectionFeedback.connection_id == edges.c.connection_id,
                                            ConnectionFeedback.person_id == person_id))
        .where(edges.c.person_id == person_id, ConnectionFeedback.id.is_(None), live(Person),
               Event.feedback_campaign_sent_at >= now - timedelta(days=FEEDBACK_OPEN_DAYS))
        .order_by(Event.feedback_campaign_sent_at.desc(), Person.last_name, Person.first_name)).all()
    return [FeedbackDue(r[0], r[1], r[2], r[3], _name(r[4], r[5]), r[6] or "") for r in rows]
