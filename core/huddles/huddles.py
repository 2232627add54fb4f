"""Creating a huddle with its invitations, and the reads every huddle view shares."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from core.networking.notifications import NewNotification, NotificationKind, write_notifications
from db.filters import in_values
from db.models import Huddle, HuddleKind, HuddleParticipant, HuddleStatus, ParticipantStatus, Person

TOPIC_LIMIT = 200
PROBLEM_LIMIT = 1000
HUDDLES_LINK = "huddles"
# Statuses of a huddle that has not happened yet; a person in one of these is not invited to another.
UPCOMING = (HuddleStatus.FORMING.value, HuddleStatus.CONFIRMED.value)
TAKING_PART = (ParticipantStatus.INVITED.value, ParticipantStatus.ACCEPTED.value)


class HuddleError(ValueError):
    """A huddle action that cannot be done; the message says why."""


@dataclass(frozen=True)
class HuddlePlan:
    """What a generator proposes: who, about what, where and when."""

    kind: HuddleKind
    topic: str
    invitee_ids: tuple[int, ...]
    starts_at: datetime
    location_name: str
    problem_statement: str = ""
    session_id: int | None = None
    location_lat: float | None = None
    location_lon: float | None = None
    duration_minutes: int = 15


def create_huddle(session: Session, *, event_id: int, plan: HuddlePlan, now: datetime) -> Huddle:
    """Store a FORMING huddle, invite its people and notify each of them once."""
    return create_huddles(session, event_id=event_id, plans=[plan], now=now)[0]


def create_huddles(session: Session, *, event_id: int, plans: list[HuddlePlan], now: datetime) -> list[Huddle]:
    """`create_huddle` for each plan, with one statement for the huddles, one for their invitations and one for
    the notifications (a scan creates hundreds)."""
    if any(not plan.invitee_ids for plan in plans):
        raise HuddleError("A huddle needs people to invite.")
    huddles = [Huddle(event_id=event_id, kind=plan.kind.value, topic=plan.topic.strip()[:TOPIC_LIMIT],
                      problem_statement=plan.problem_statement.strip()[:PROBLEM_LIMIT], session_id=plan.session_id,
                      location_name=plan.location_name[:200], location_lat=plan.location_lat,
                      location_lon=plan.location_lon, starts_at=plan.starts_at, duration_minutes=plan.duration_minutes,
                      status=HuddleStatus.FORMING.value, created_at=now)
               for plan in plans]
    session.add_all(huddles)
    session.flush()
    invitations = [(huddle, plan, person_id) for huddle, plan in zip(huddles, plans, strict=True)
                   for person_id in dict.fromkeys(plan.invitee_ids)]
    session.add_all(HuddleParticipant(huddle_id=huddle.id, person_id=person_id, status=ParticipantStatus.INVITED.value,
                                      invited_at=now) for huddle, _, person_id in invitations)
    session.flush()
    write_notifications(session, [
        NewNotification(person_id, NotificationKind.HUDDLE_INVITATION, f"Huddle invitation: {huddle.topic}",
                        f"{huddle.location_name}, {plan.starts_at:%a %d %b at %H:%M} UTC, {plan.duration_minutes} "
                        "minutes.", HUDDLES_LINK, dedupe_key=f"huddle-invite:{huddle.id}")
        for huddle, plan, person_id in invitations], now=now)
    return huddles


def people_already_in_upcoming_huddles(session: Session, event_id: int, now: datetime) -> set[int]:
    """Invited or accepted people of the event's huddles that have not started yet (they are not invited again)."""
    return set(session.scalars(
        select(HuddleParticipant.person_id).join(Huddle, Huddle.id == HuddleParticipant.huddle_id)
        .where(Huddle.event_id == event_id, Huddle.status.in_(UPCOMING), Huddle.starts_at > now,
               HuddleParticipant.status.in_(TAKING_PART))))


def opted_out(session: Session, person_ids) -> set[int]:
    """Of these people, those who turned huddles off."""
    return set(session.scalars(select(Person.id).where(in_values(Person.id, person_ids),
                                                       Person.huddles_opt_out.is_(True))))


def huddle_overlaps(session: Session, *, person_id: int, starts_at: datetime, minutes: int,
                    ignore_huddle: int | None = None) -> bool:
    """True when the person accepted another huddle that overlaps this time."""
    ends_at = starts_at + timedelta(minutes=minutes)
    other_end = Huddle.starts_at + func.make_interval(0, 0, 0, 0, 0, Huddle.duration_minutes)
    return bool(session.scalar(select(exists().where(
        HuddleParticipant.huddle_id == Huddle.id, HuddleParticipant.person_id == person_id,
        HuddleParticipant.status == ParticipantStatus.ACCEPTED.value, Huddle.id != (ignore_huddle or 0),
        Huddle.status.in_((*UPCOMING, HuddleStatus.IN_PROGRESS.value)),
        and_(Huddle.starts_at < ends_at, other_end > starts_at)))))


def accepted_count(session: Session, huddle_id: int) -> int:
    """How many people said they will be there (or came)."""
    return session.scalar(select(func.count()).select_from(HuddleParticipant).where(
        HuddleParticipant.huddle_id == huddle_id,
        or_(HuddleParticipant.status == ParticipantStatus.ACCEPTED.value,
            HuddleParticipant.status == ParticipantStatus.ATTENDED.value))) or 0


KIND_LABELS = {HuddleKind.PROBLEM: "Shared problem", HuddleKind.SESSION: "After a session",
               HuddleKind.PROXIMITY: "Nearby"}


@dataclass(frozen=True)
class UpcomingHuddle:
    """One row of the organizer's list of huddles still to happen."""

    id: int
    kind: HuddleKind
    topic: str
    starts_at: datetime | None
    location_name: str
    status: HuddleStatus
    accepted: int
    max_participants: int


def upcoming_huddles(session: Session, *, event_id: int) -> list[UpcomingHuddle]:
    """The event's forming and confirmed huddles, soonest first, with how many said yes."""
    yes = (ParticipantStatus.ACCEPTED.value, ParticipantStatus.ATTENDED.value)
    said_yes = (select(func.count()).where(HuddleParticipant.huddle_id == Huddle.id, HuddleParticipant.status.in_(yes))
                .correlate(Huddle).scalar_subquery())
    rows = session.execute(select(Huddle, said_yes).where(Huddle.event_id == event_id, Huddle.status.in_(UPCOMING))
                           .order_by(Huddle.starts_at.asc().nulls_last(), Huddle.id))
    return [UpcomingHuddle(id=h.id, kind=HuddleKind(h.kind), topic=h.topic, starts_at=h.starts_at,
                           location_name=h.location_name or "", status=HuddleStatus(h.status), accepted=accepted,
                           max_participants=h.max_participants) for h, accepted in rows]
