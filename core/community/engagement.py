"""Engagement scoring (seed 003, AI system 6): points per factor from what people do here, levels, decay and streaks,
recalculated for one person or everyone at once, set-based over frames."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

import numpy as np
import pandas as pd
from sqlalchemy import Date, and_, cast, func, or_, select, text, union_all, update
from sqlalchemy.orm import Session

from core.community.badges import award_badges, earned_badges
from core.events.profiles import PROFILE_CHECKS
from core.events.visibility import live, takes_part_in_analytics
from core.platform.clock import Clock
from core.platform.job_context import JobContext
from core.platform.queue import advisory_key, request_job
from db.bulk import copy_to_temp_table
from db.filters import in_values
from db.models import (
    Alumnus,
    CapsuleReaction,
    CapsuleView,
    Connection,
    ConnectionActivity,
    ConnectionFeedback,
    EngagementHistory,
    EngagementLevel,
    EngagementScore,
    Event,
    FollowUpDraft,
    HuddleParticipant,
    KnowledgeCapsule,
    Meeting,
    MeetingStatus,
    Message,
    ParticipantStatus,
    Person,
    RecommendationFeedback,
    Registration,
    SessionAction,
)

ENGAGEMENT_JOB = "engagement-scores"
# Two recalculations queue up here, so the second compares against what the first stored (one history row).
STORE_LOCK = advisory_key("engagement-scores-store")
ACTIVITY_WINDOW_DAYS = 60  # activity days older than this cannot be part of a streak that still counts
ACTIVE_CONNECTION = "active"  # connections.status of an accepted connection (a plain string column)


class Factor(StrEnum):
    """The factors of a score, each with its own points and maximum."""

    PROFILE = "profile"
    EVENTS = "events"
    CONNECTIONS = "connections"
    MEETINGS = "meetings"
    HUDDLES = "huddles"
    FOLLOW_UPS = "follow_ups"
    FEEDBACK = "feedback"
    KNOWLEDGE = "knowledge"
    ACTIVITY = "activity"


FACTOR_LABELS = {
    Factor.PROFILE: "Profile", Factor.EVENTS: "Events", Factor.CONNECTIONS: "Connections",
    Factor.MEETINGS: "Meetings", Factor.HUDDLES: "Huddles", Factor.FOLLOW_UPS: "Follow-ups",
    Factor.FEEDBACK: "Feedback", Factor.KNOWLEDGE: "Knowledge capsules", Factor.ACTIVITY: "Recent activity",
}
# The seed's maxima (20+30+20+15+15+20+10 = 130) times about five, spread over the signals this platform has:
# they sum to 700, so Legend (501+) is reachable without a perfect score in every factor.
FACTOR_MAX = {
    Factor.PROFILE: 100, Factor.EVENTS: 100, Factor.CONNECTIONS: 100, Factor.MEETINGS: 75, Factor.HUDDLES: 50,
    Factor.FOLLOW_UPS: 50, Factor.FEEDBACK: 25, Factor.KNOWLEDGE: 150, Factor.ACTIVITY: 50,
}
ACTIVITY_MIN = -50  # the seed's "-0.5 per day, at most -10", times five

PROFILE_COMPLETE_POINTS = 60  # for all six matching fields filled; a share of it for fewer
SOCIAL_POINTS = 20  # LinkedIn, GitHub or X handle given
VERIFIED_POINTS = 20  # an admin verified the alumni record with the person's email
EVENT_POINTS = 15  # per event attended: registered and the event has started, or checked in
CHECK_IN_POINTS = 10  # bonus per event checked in at
CONNECTION_POINTS = 5  # per accepted connection
MEETING_POINTS = 10  # per 1:1 meeting held (accepted, and over)
HUDDLE_POINTS = 10  # per huddle attended
FOLLOW_UP_POINTS = 5  # per follow-up sent
FEEDBACK_POINTS = 3  # per feedback given on a connection or a recommendation
CAPSULE_POINTS = 50  # per capsule written
VIEW_POINTS = 0.5  # per view of one's capsules
LIKE_POINTS = 5  # per like of one's capsules
BOOKMARK_POINTS = 10  # per bookmark of one's capsules
STREAK_POINTS = 2.5  # per day of the current streak of active days
STREAK_CAP = 25
WEEKLY_ACTIVE_POINTS = 25  # active in the last seven days
DECAY_PER_DAY = 2.5  # per inactive day after a one-day grace
DECAY_CAP = 50

LEVEL_FLOORS = [(EngagementLevel.BEGINNER, 0), (EngagementLevel.ACTIVE, 51), (EngagementLevel.CONTRIBUTOR, 151),
                (EngagementLevel.VETERAN, 301), (EngagementLevel.LEGEND, 501)]

COUNT_COLUMNS = ["completeness", "social", "verified", "events_attended", "check_ins", "connections", "meetings",
                 "huddles", "follow_ups", "feedback", "capsules", "views", "likes", "bookmarks", "streak_days",
                 "active_last_week", "days_inactive"]


# --- points, totals and levels (pure) --------------------------------------------------------------------------------

def whole_points(total: float) -> int:
    """A total in whole points, halves rounded up, never below zero: levels are read from this number."""
    return max(0, math.floor(total + 0.5))


def level_of(total: float) -> EngagementLevel:
    """The level of a total: Beginner 0–50, Active 51–150, Contributor 151–300, Veteran 301–500, Legend 501+."""
    points = whole_points(total)
    return next(level for level, floor in reversed(LEVEL_FLOORS) if points >= floor)


def next_level(total: float) -> tuple[EngagementLevel | None, int]:
    """The level after this total's, and the whole points still missing (None and 0 for a Legend)."""
    points = whole_points(total)
    for level, floor in LEVEL_FLOORS:
        if floor > points:
            return level, floor - points
    return None, 0


def factor_points(counts: pd.DataFrame) -> pd.DataFrame:
    """Points per factor (one column per Factor, one decimal) for frames of COUNT_COLUMNS, each capped at its max."""
    c = counts
    raw = {
        Factor.PROFILE: c["completeness"] * PROFILE_COMPLETE_POINTS + c["social"] * SOCIAL_POINTS
        + c["verified"] * VERIFIED_POINTS,
        Factor.EVENTS: c["events_attended"] * EVENT_POINTS + c["check_ins"] * CHECK_IN_POINTS,
        Factor.CONNECTIONS: c["connections"] * CONNECTION_POINTS,
        Factor.MEETINGS: c["meetings"] * MEETING_POINTS,
        Factor.HUDDLES: c["huddles"] * HUDDLE_POINTS,
        Factor.FOLLOW_UPS: c["follow_ups"] * FOLLOW_UP_POINTS,
        Factor.FEEDBACK: c["feedback"] * FEEDBACK_POINTS,
        Factor.KNOWLEDGE: c["capsules"] * CAPSULE_POINTS + c["views"] * VIEW_POINTS + c["likes"] * LIKE_POINTS
        + c["bookmarks"] * BOOKMARK_POINTS,
        Factor.ACTIVITY: np.minimum(c["streak_days"] * STREAK_POINTS, STREAK_CAP)
        + c["active_last_week"] * WEEKLY_ACTIVE_POINTS - np.minimum(c["days_inactive"] * DECAY_PER_DAY, DECAY_CAP),
    }
    points = pd.DataFrame({factor.value: np.asarray(values, dtype=float) for factor, values in raw.items()},
                          index=counts.index)
    for factor, most in FACTOR_MAX.items():
        points[factor.value] = points[factor.value].clip(lower=ACTIVITY_MIN if factor is Factor.ACTIVITY else 0,
                                                         upper=most)
    return points.round(1)


def totals(points: pd.DataFrame) -> pd.Series:
    """Each row's total in whole points (halves up, at least 0)."""
    return np.floor(points.sum(axis=1) + 0.5).clip(lower=0).astype(int)


def levels(total: pd.Series) -> pd.Series:
    """The level of each whole-point total."""
    floors = [floor for _, floor in LEVEL_FLOORS]
    names = np.array([level.value for level, _ in LEVEL_FLOORS])
    return pd.Series(names[np.searchsorted(floors, total.to_numpy(), side="right") - 1], index=total.index)


def activity_counts(days: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """From distinct (person_id, day) rows: the current streak (consecutive active days up to today or yesterday),
    active in the last seven days (0/1), and inactive days after a one-day grace (DECAY_CAP reached with none)."""
    if days.empty:
        return pd.DataFrame(columns=["streak_days", "active_last_week", "days_inactive"],
                            index=pd.Index([], name="person_id"), dtype=int)
    frame = days.assign(day=pd.to_datetime(days["day"])).sort_values(["person_id", "day"], ascending=[True, False])
    last = frame.groupby("person_id")["day"].transform("max")
    back = (last - frame["day"]).dt.days.to_numpy()
    nth = frame.groupby("person_id").cumcount().to_numpy()
    # Days are distinct and newest first, so the k-th day is in the run exactly when it is k days before the last.
    frame["in_run"] = (back == nth).astype(int)
    frame["run"] = frame.groupby("person_id")["in_run"].cummin()
    grouped = frame.groupby("person_id")
    result = pd.DataFrame({"run": grouped["run"].sum(), "last": grouped["day"].max()})
    since = (pd.Timestamp(today) - result["last"]).dt.days
    return pd.DataFrame({
        "streak_days": np.where(since <= 1, result["run"], 0),
        "active_last_week": (since < 7).astype(int),
        "days_inactive": (since - 1).clip(lower=0),
    }, index=result.index)


# --- reading the signals --------------------------------------------------------------------------------------------

def _activity_sources():
    """(person, time) of everything that counts as being active: messages sent, session actions, connection
    activities, capsule views, reactions and capsules written, check-ins, feedback, follow-ups sent, huddles
    attended."""
    return [
        (Message.sender_id, Message.created_at), (SessionAction.person_id, SessionAction.created_at),
        (ConnectionActivity.actor_id, ConnectionActivity.created_at), (CapsuleView.person_id, CapsuleView.viewed_at),
        (CapsuleReaction.person_id, CapsuleReaction.created_at),
        (KnowledgeCapsule.author_person_id, KnowledgeCapsule.created_at),
        (Registration.person_id, Registration.checked_in_at),
        (ConnectionFeedback.person_id, ConnectionFeedback.created_at),
        (RecommendationFeedback.person_id, RecommendationFeedback.created_at),
        (FollowUpDraft.author_id, FollowUpDraft.sent_at), (HuddleParticipant.person_id, HuddleParticipant.attended_at),
    ]


def _ids_filter(column, person_ids: list[int] | None):
    return in_values(column, person_ids) if person_ids is not None else column.is_not(None)


def _frame(session: Session, statement, columns: list[str]) -> pd.DataFrame:
    rows = session.execute(statement).all()
    return pd.DataFrame(rows, columns=columns).set_index("person_id") if rows else pd.DataFrame(
        columns=columns).set_index("person_id")


def load_counts(session: Session, *, now: datetime, person_ids: list[int] | None = None) -> pd.DataFrame:
    """COUNT_COLUMNS for every live person (or the given ones), one grouped query per signal, plus last_active_at.
    An event counts as attended when the person registered and it has started (its first day is today or earlier),
    or they checked in."""
    people = session.execute(select(
        Person.id, *[_filled(getattr(Person, field)) for field, _ in PROFILE_CHECKS],
        or_(func.coalesce(Person.linkedin_url, "") != "", func.coalesce(Person.github_username, "") != "",
            func.coalesce(Person.twitter_handle, "") != ""),
        select(Alumnus.id).where(func.lower(Alumnus.email) == func.lower(Person.email),
                                 Alumnus.verified_at.is_not(None)).exists(),
    ).where(live(), _ids_filter(Person.id, person_ids))).all()
    checks = len(PROFILE_CHECKS)
    base = pd.DataFrame([(row[0], sum(bool(v) for v in row[1:1 + checks]) / checks, int(row[-2]), int(row[-1]))
                         for row in people], columns=["person_id", "completeness", "social", "verified"])
    counts = base.set_index("person_id")
    if counts.empty:
        return counts.reindex(columns=[*COUNT_COLUMNS, "last_active_at"])
    ids = counts.index.tolist() if person_ids is not None else None

    def count(column, *where, name: str):
        return _frame(session, select(column.label("person_id"), func.count().label(name))
                      .where(_ids_filter(column, ids), *where).group_by(column), ["person_id", name])

    connections = union_all(
        select(Connection.person_a_id.label("person_id")).where(Connection.status == ACTIVE_CONNECTION),
        select(Connection.person_b_id.label("person_id")).where(Connection.status == ACTIVE_CONNECTION)).subquery()
    checked_in = and_(Registration.checked_in_at.is_not(None), Registration.checked_in_at <= now)
    meetings = union_all(*[select(column.label("person_id")).where(
        Meeting.status == MeetingStatus.ACCEPTED, Meeting.starts_at.is_not(None),
        func.coalesce(Meeting.ends_at, Meeting.starts_at) <= now) for column in (Meeting.requester_id,
                                                                                  Meeting.recipient_id)]).subquery()
    parts = [
        count(Registration.person_id, Event.id == Registration.event_id,
              or_(Event.starts_on <= now.astimezone(UTC).date(), checked_in), name="events_attended"),
        count(Registration.person_id, checked_in, name="check_ins"),
        count(connections.c.person_id, name="connections"),
        count(meetings.c.person_id, name="meetings"),
        count(HuddleParticipant.person_id, or_(HuddleParticipant.status == ParticipantStatus.ATTENDED,
                                               HuddleParticipant.attended_at.is_not(None)), name="huddles"),
        count(FollowUpDraft.author_id, FollowUpDraft.sent_at.is_not(None), name="follow_ups"),
        count(ConnectionFeedback.person_id, name="connection_feedback"),
        count(RecommendationFeedback.person_id, name="recommendation_feedback"),
        _frame(session, select(KnowledgeCapsule.author_person_id, func.count(),
                               func.coalesce(func.sum(KnowledgeCapsule.views_count), 0),
                               func.coalesce(func.sum(KnowledgeCapsule.likes_count), 0),
                               func.coalesce(func.sum(KnowledgeCapsule.bookmarks_count), 0))
               .where(_ids_filter(KnowledgeCapsule.author_person_id, ids))
               .group_by(KnowledgeCapsule.author_person_id),
               ["person_id", "capsules", "views", "likes", "bookmarks"]),
    ]
    activity = union_all(*[select(person.label("person_id"), at.label("at"))
                           .where(_ids_filter(person, ids), at.is_not(None), at <= now)
                           for person, at in _activity_sources()]).subquery()
    start = now - timedelta(days=ACTIVITY_WINDOW_DAYS)
    day = cast(func.timezone("UTC", activity.c.at), Date)
    days = pd.DataFrame(session.execute(select(activity.c.person_id, day).where(activity.c.at >= start)
                                        .group_by(activity.c.person_id, day)).all(), columns=["person_id", "day"])
    last_active = _frame(session, select(activity.c.person_id, func.max(activity.c.at))
                         .group_by(activity.c.person_id), ["person_id", "last_active_at"])
    counts = counts.join(parts + [activity_counts(days, today=now.astimezone(UTC).date()), last_active])
    counts["feedback"] = counts.pop("connection_feedback").fillna(0) + counts.pop("recommendation_feedback").fillna(0)
    numeric = [c for c in COUNT_COLUMNS if c != "completeness"]
    counts[numeric] = counts[numeric].fillna(0)
    # Never active in the window: inactive for the whole window, which is past the decay's cap.
    counts.loc[~counts.index.isin(days["person_id"].unique()), "days_inactive"] = ACTIVITY_WINDOW_DAYS
    counts[numeric] = counts[numeric].astype(float)
    return counts


def _filled(column):
    """SQL: the profile field counts as filled (profile_completeness's truthiness: no empty list, text or 0)."""
    kind = column.type.python_type if hasattr(column.type, "python_type") else str
    if kind is list:
        return func.coalesce(func.cardinality(column), 0) > 0
    if kind is int:
        return func.coalesce(column, 0) != 0
    return func.coalesce(column, "") != ""


# --- recalculation ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EngagementReport:
    """What one recalculation did: people scored, scores changed (history rows appended), badges newly awarded."""

    people: int
    changed: int
    badges: int

    def counts(self) -> dict[str, int]:
        """The report as a job run's counts."""
        return {"people": self.people, "changed": self.changed, "badges": self.badges}


STORED_COLUMNS = ("person_id", "total", "level", "factors", "streak_days", "last_active_at", "computed_at")


def recalculate(session: Session, *, clock: Clock, person_ids: list[int] | None = None) -> EngagementReport:
    """Score every live person (or the given ones): store each score, append a history row where the total or a
    factor changed, award new badges (with a notification each) and re-rank the all-time leaderboard. Flushes."""
    now = clock.now()
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": STORE_LOCK})
    counts = load_counts(session, now=now, person_ids=person_ids)
    if counts.empty:
        update_ranks(session)
        return EngagementReport(0, 0, 0)
    points = factor_points(counts)
    total = totals(points)
    level = levels(total)
    factors_json = [json.dumps(dict(zip(points.columns, row, strict=True)))
                    for row in points.itertuples(index=False, name=None)]
    ids = counts.index.astype(int).tolist()
    last_active = [None if pd.isna(v) else v for v in counts["last_active_at"].tolist()]
    rows = list(zip(ids, total.astype(float).tolist(), level.tolist(), factors_json,
                    counts["streak_days"].astype(int).tolist(), last_active, [now] * len(ids), strict=True))
    copy_to_temp_table(session, "new_engagement_scores", "engagement_scores", STORED_COLUMNS, rows)
    # History first: a row for each person whose stored total or factors differ (or who had no score).
    changed = session.execute(text(
        "INSERT INTO engagement_history (person_id, computed_at, total, factors) "
        "SELECT n.person_id, n.computed_at, n.total, n.factors FROM new_engagement_scores n "
        "LEFT JOIN engagement_scores s ON s.person_id = n.person_id "
        "WHERE s.person_id IS NULL OR s.total <> n.total OR s.factors <> n.factors")).rowcount
    names = ", ".join(STORED_COLUMNS)
    session.execute(text(
        f"INSERT INTO engagement_scores ({names}) SELECT {names} FROM new_engagement_scores "
        "ON CONFLICT (person_id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in STORED_COLUMNS if c != "person_id")))
    session.execute(text("DROP TABLE new_engagement_scores"))
    awarded = award_badges(session, earned=earned_badges(counts.assign(level=level)), now=now)
    update_ranks(session)
    session.flush()
    return EngagementReport(len(ids), changed, len(awarded))


def update_ranks(session: Session) -> None:
    """The all-time rank of everyone on the leaderboards (live, not opted out of analytics); others get none."""
    ranked = (select(EngagementScore.person_id, func.rank().over(order_by=EngagementScore.total.desc()).label("rank"))
              .join(Person, Person.id == EngagementScore.person_id).where(on_leaderboards()).subquery())
    session.execute(update(EngagementScore).where(EngagementScore.person_id == ranked.c.person_id,
                                                  EngagementScore.rank.is_distinct_from(ranked.c.rank))
                    .values(rank=ranked.c.rank).execution_options(synchronize_session=False))
    session.execute(update(EngagementScore).where(
        EngagementScore.rank.is_not(None),
        ~select(Person.id).where(Person.id == EngagementScore.person_id, on_leaderboards()).exists())
        .values(rank=None).execution_options(synchronize_session=False))


def on_leaderboards():
    """SQL condition on Person: shown on leaderboards (live, and not opted out of analytics participation)."""
    return and_(live(), takes_part_in_analytics())


def person_by_email(session: Session, email: str) -> int | None:
    """The id of the live person with this email (any case, spaces around ignored), or None."""
    return session.scalar(select(Person.id).where(func.lower(Person.email) == email.strip().lower(), live()))


def recalculate_one(session: Session, *, clock: Clock, email: str) -> EngagementReport | None:
    """Recalculate the person with this email now (for the worker and the CLI); None when there is no such live
    person."""
    person_id = person_by_email(session, email)
    if person_id is None:
        return None
    return recalculate(session, clock=clock, person_ids=[person_id])


def engagement_job(ctx: JobContext) -> dict:
    """Nightly (and on request): recalculate everyone's score, or one person's when the request names them."""
    report = recalculate(ctx.session, clock=ctx.clock,
                         person_ids=[ctx.person_id] if ctx.person_id is not None else None)
    return report.counts()


# --- reading stored scores --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredScore:
    """A person's stored score for their page: total, level, next level, rank, points per factor, streak."""

    total: int
    level: EngagementLevel
    next_level: EngagementLevel | None
    points_to_next: int
    rank: int | None
    factors: dict[str, float]
    streak_days: int
    last_active_at: datetime | None
    computed_at: datetime


def score_of(session: Session, person_id: int) -> StoredScore | None:
    """The person's stored score, or None before their first recalculation."""
    row = session.get(EngagementScore, person_id)
    if row is None:
        return None
    following, missing = next_level(row.total)
    return StoredScore(whole_points(row.total), EngagementLevel(row.level), following, missing, row.rank,
                       {f.value: float(row.factors.get(f.value, 0.0)) for f in Factor}, row.streak_days,
                       row.last_active_at, row.computed_at)


def history_of(session: Session, person_id: int, *, limit: int = 365) -> list[tuple[datetime, float]]:
    """(time, total) of the person's recalculations that changed their score, oldest first."""
    rows = session.execute(select(EngagementHistory.computed_at, EngagementHistory.total)
                           .where(EngagementHistory.person_id == person_id)
                           .order_by(EngagementHistory.computed_at.desc(), EngagementHistory.id.desc())
                           .limit(limit)).all()
    return [(at, total) for at, total in reversed(rows)]


def request_recalculation(session: Session, *, clock: Clock, reason: str, person_id: int | None = None) -> bool:
    """Queue a recalculation of everyone (or of one person) for the worker; False when the same one is already
    waiting."""
    return request_job(session, job_id=ENGAGEMENT_JOB, event_id=None, reason=reason, clock=clock, person_id=person_id)
