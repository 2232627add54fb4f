"""Attendee feedback (seed 000 §10.1–10.2): on a recommendation, and on a connection after the event."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.platform.clock import Clock
from db.models import Connection, ConnectionFeedback, Person, Recommendation, RecommendationFeedback

SKIP_REASONS = ["Not relevant to my goals", "Already know them", "Wrong seniority", "Wrong industry",
                "Not enough information", "Other"]
POSITIVE_FACTORS = ["Shared goals", "Complementary skills", "Same industry", "Good conversation starter",
                    "Useful introduction", "Mentoring value", "Business opportunity"]
NEGATIVE_FACTORS = ["Goals did not match", "No common ground", "Too senior / junior", "No follow-up",
                    "Wrong industry", "Felt like a sales pitch"]


class FeedbackError(ValueError):
    """Feedback that cannot be stored; the message says what to fix."""


def _check_rating(rating: int | None) -> None:
    if rating is not None and not 1 <= rating <= 5:
        raise FeedbackError("A rating is 1 to 5 stars.")


def record_recommendation_feedback(session: Session, *, recommendation_id: int, person_id: int, clock: Clock,
                                   rating: int | None = None, skip_reason: str | None = None,
                                   action: str = "rated") -> RecommendationFeedback:
    """Store one attendee's rating or skip reason for a recommendation shown to them."""
    _check_rating(rating)
    if rating is None and not skip_reason:
        raise FeedbackError("Give a rating or a reason.")
    if skip_reason and len(skip_reason) > 200:
        raise FeedbackError("Keep the reason under 200 characters.")
    recommendation = session.get(Recommendation, recommendation_id)
    if recommendation is None or recommendation.user_id != person_id:
        raise FeedbackError("That recommendation is not one of yours.")
    feedback = RecommendationFeedback(recommendation_id=recommendation_id, person_id=person_id, action=action,
                                      rating=rating, skip_reason=skip_reason or None, created_at=clock.now())
    session.add(feedback)
    session.flush()
    return feedback


def connections_of(session: Session, person_id: int) -> list[tuple[Connection, Person, ConnectionFeedback | None]]:
    """The person's connections, the other person, and the feedback they already gave (if any)."""
    rows = session.execute(select(Connection).where(or_(Connection.person_a_id == person_id,
                                                        Connection.person_b_id == person_id))
                           .order_by(Connection.created_at.desc())).scalars().all()
    given = {f.connection_id: f for f in session.scalars(select(ConnectionFeedback).where(
        ConnectionFeedback.person_id == person_id))}
    return [(c, session.get(Person, c.person_b_id if c.person_a_id == person_id else c.person_a_id), given.get(c.id))
            for c in rows]


def record_connection_feedback(session: Session, *, connection_id: int, person_id: int, rating: int | None,
                               valuable: bool | None, will_follow_up: bool | None, positive_factors: list[str],
                               negative_factors: list[str], comment: str, clock: Clock) -> None:
    """Store (or replace) one side's feedback on a connection."""
    _check_rating(rating)
    if len(comment) > 2000:
        raise FeedbackError("Keep the comment under 2,000 characters.")
    unknown = [f for f in (*positive_factors, *negative_factors) if f not in (*POSITIVE_FACTORS, *NEGATIVE_FACTORS)]
    if unknown:
        raise FeedbackError(f"Unknown factor: {unknown[0]}.")
    connection = session.get(Connection, connection_id)
    if connection is None or person_id not in (connection.person_a_id, connection.person_b_id):
        raise FeedbackError("That connection is not one of yours.")
    values = dict(connection_id=connection_id, person_id=person_id, rating=rating, valuable=valuable,
                  will_follow_up=will_follow_up, positive_factors=positive_factors,
                  negative_factors=negative_factors, comment=comment.strip(), created_at=clock.now())
    statement = insert(ConnectionFeedback).values(values)
    session.execute(statement.on_conflict_do_update(
        index_elements=[ConnectionFeedback.connection_id, ConnectionFeedback.person_id],
        set_={k: statement.excluded[k] for k in values if k not in ("connection_id", "person_id")}))
    session.flush()
