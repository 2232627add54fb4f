"""Engagement leaderboards, overall or for one event, all-time or this month: rank, score, level and the points to
the next level, for people who are live and did not say no to analytics participation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.community.engagement import next_level, on_leaderboards, whole_points
from db.models import (
    EngagementHistory,
    EngagementLevel,
    EngagementScore,
    Event,
    EventOrganizer,
    Person,
    PersonBadge,
    Registration,
)


class Timeframe(StrEnum):
    """The span a leaderboard counts points over."""

    ALL_TIME = "all_time"
    MONTH = "month"


TIMEFRAME_LABELS = {Timeframe.ALL_TIME: "All time", Timeframe.MONTH: "This month"}


@dataclass(frozen=True)
class LeaderboardRow:
    """One place: `points` is the all-time total, or the points gained this month."""

    rank: int
    person_id: int
    name: str
    points: int
    total: int
    level: EngagementLevel
    points_to_next: int
    badges: int


def month_start(now: datetime) -> datetime:
    """00:00 UTC on the first day of `now`'s month."""
    now = now.astimezone(UTC)
    return datetime(now.year, now.month, 1, tzinfo=UTC)


def _ranked(*, timeframe: Timeframe, now: datetime, event_id: int | None):
    """A subquery of everyone on the board with their points and rank (ties share a rank)."""
    if timeframe is Timeframe.MONTH:
        # The month began with the last total stored before it (0 for someone scored first this month).
        before = (select(EngagementHistory.total).where(EngagementHistory.person_id == EngagementScore.person_id,
                                                        EngagementHistory.computed_at < month_start(now))
                  .order_by(EngagementHistory.computed_at.desc(), EngagementHistory.id.desc()).limit(1)
                  .scalar_subquery())
        points = func.greatest(func.round(EngagementScore.total) - func.coalesce(func.round(before), 0), 0)
    else:
        points = func.round(EngagementScore.total)
    badges = (select(func.count()).select_from(PersonBadge).where(PersonBadge.person_id == EngagementScore.person_id)
              .scalar_subquery())
    statement = (select(EngagementScore.person_id, Person.first_name, Person.last_name, points.label("points"),
                        EngagementScore.total, EngagementScore.level, badges.label("badges"),
                        func.rank().over(order_by=points.desc()).label("rank"))
                 .join(Person, Person.id == EngagementScore.person_id).where(on_leaderboards()))
    if event_id is not None:
        statement = statement.where(select(Registration.id).where(
            Registration.person_id == EngagementScore.person_id, Registration.event_id == event_id).exists())
    return statement.subquery()


def _row(r) -> LeaderboardRow:
    _, missing = next_level(r.total)
    return LeaderboardRow(int(r.rank), r.person_id, f"{r.first_name} {r.last_name}".strip(), int(r.points),
                          whole_points(r.total), EngagementLevel(r.level), missing, int(r.badges))


def leaderboard(session: Session, *, timeframe: Timeframe, now: datetime, event_id: int | None = None,
                limit: int = 50) -> list[LeaderboardRow]:
    """The top `limit` places, overall or among an event's registered people."""
    ranked = _ranked(timeframe=timeframe, now=now, event_id=event_id)
    rows = session.execute(select(ranked).order_by(ranked.c.rank, ranked.c.total.desc(), ranked.c.person_id)
                           .limit(limit)).all()
    return [_row(r) for r in rows]


def place_of(session: Session, *, person_id: int, timeframe: Timeframe, now: datetime,
             event_id: int | None = None) -> LeaderboardRow | None:
    """The person's own place on that board, or None when they are not on it. The all-time board of everyone reads
    the rank each recalculation stores; the others rank the whole board."""
    if timeframe is Timeframe.ALL_TIME and event_id is None:
        return stored_place(session, person_id)
    ranked = _ranked(timeframe=timeframe, now=now, event_id=event_id)
    row = session.execute(select(ranked).where(ranked.c.person_id == person_id)).first()
    return _row(row) if row else None


def stored_place(session: Session, person_id: int) -> LeaderboardRow | None:
    """The person's place on the all-time board of everyone from their stored rank (None when unranked)."""
    badges = (select(func.count()).select_from(PersonBadge).where(PersonBadge.person_id == EngagementScore.person_id)
              .scalar_subquery())
    row = session.execute(select(EngagementScore.rank, EngagementScore.person_id, Person.first_name, Person.last_name,
                                 func.round(EngagementScore.total).label("points"), EngagementScore.total,
                                 EngagementScore.level, badges.label("badges"))
                          .join(Person, Person.id == EngagementScore.person_id)
                          .where(EngagementScore.person_id == person_id, EngagementScore.rank.is_not(None),
                                 on_leaderboards())).first()
    return _row(row) if row else None


def latest_computed_at(session: Session) -> datetime | None:
    """When a score was last stored: cached boards are keyed by it."""
    return session.scalar(select(func.max(EngagementScore.computed_at)))


def events_of(session: Session, person_id: int | None = None, *,
              organizer_account_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the events the person registered for, or the account organizes, or every event when neither is
    given; newest first."""
    statement = select(Event.id, Event.name).order_by(Event.starts_on.desc().nulls_last(), Event.id.desc())
    if organizer_account_id is not None:
        statement = statement.where(select(EventOrganizer.event_id).where(
            EventOrganizer.event_id == Event.id, EventOrganizer.account_id == organizer_account_id).exists())
    if person_id is not None:
        statement = statement.where(select(Registration.id).where(Registration.event_id == Event.id,
                                                                  Registration.person_id == person_id).exists())
    return [(event_id, name) for event_id, name in session.execute(statement).all()]
