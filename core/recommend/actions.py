"""What an attendee does with a person recommendation: view, ping, ask to connect, dismiss, snooze, more or less like
this."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.networking.outreach import OutreachLimits
from core.networking.requests import ConnectionOrigin, RequestError, send_ping, send_request
from core.platform.clock import Clock
from core.platform.debounce import RapidRepeat
from db.models import MatchControl, Person, Recommendation

SNOOZE_DAYS = 30
DEFAULT_PING = "Hi! We were matched as people worth meeting here. Would you like to meet?"


class ActionError(ValueError):
    pass


class RepeatedAction(ActionError, RapidRepeat):
    """The same action on the same recommendation was just done (a double click); shown as information."""


def _own_recommendation(session: Session, recommendation_id: int, person_id: int) -> Recommendation:
    """The attendee's recommendation, row-locked until the transaction ends, so two clicks on it run one after the
    other and the second sees what the first wrote."""
    recommendation = session.get(Recommendation, recommendation_id, with_for_update={"key_share": True},
                                 populate_existing=True)
    if recommendation is None or recommendation.user_id != person_id:
        raise ActionError("That recommendation is not yours or no longer exists.")
    return recommendation


OPPOSITE_CONTROLS = {"more_like": "less_like", "less_like": "more_like"}


def _set_control(session: Session, person_id: int, target_id: int, kind: str, until: datetime | None = None) -> None:
    """Store (or renew) one control in a single INSERT ... ON CONFLICT, so a repeated click never collides.

    "More like" and "less like" exclude each other: the person's row is locked first so that two opposite clicks
    at once cannot both survive."""
    opposite = OPPOSITE_CONTROLS.get(kind)
    if opposite:
        session.execute(select(Person.id).where(Person.id == person_id).with_for_update(key_share=True))
    statement = insert(MatchControl).values(person_id=person_id, target_person_id=target_id, kind=kind, until=until)
    session.execute(statement.on_conflict_do_update(
        index_elements=[MatchControl.person_id, MatchControl.target_person_id, MatchControl.kind],
        set_={"until": statement.excluded.until}))
    if opposite:
        session.execute(delete(MatchControl).where(MatchControl.person_id == person_id,
                                                   MatchControl.target_person_id == target_id,
                                                   MatchControl.kind == opposite))


class RecommendationAction(StrEnum):
    """What an attendee can do with a person recommendation."""

    VIEW = "view"
    PING = "ping"
    CONNECT = "connect"
    DISMISS = "dismiss"
    SNOOZE = "snooze"
    MORE_LIKE = "more_like"
    LESS_LIKE = "less_like"


@dataclass(frozen=True)
class ActionInput:
    """What an action may carry: the note of a request or the line of a ping, and the sender's outreach limits."""

    text: str
    outreach: OutreachLimits


def _view(session: Session, rec: Recommendation, person_id: int, clock: Clock, given: ActionInput) -> str:
    rec.viewed_at = rec.viewed_at or clock.now()
    return ""


def _ping(session: Session, rec: Recommendation, person_id: int, clock: Clock, given: ActionInput) -> str:
    """A short message to the match (the attendee's line, a starter, or a greeting), in their thread."""
    send_ping(session, sender_id=person_id, recipient_id=rec.target_person_id, event_id=rec.event_id,
              body=given.text.strip() or DEFAULT_PING, clock=clock, recommendation_id=rec.id, outreach=given.outreach)
    return "Ping sent: they see it in their messages."


def _connect(session: Session, rec: Recommendation, person_id: int, clock: Clock, given: ActionInput) -> str:
    """A request to connect with an optional note; if they already asked, this accepts their request."""
    sent = send_request(session, requester_id=person_id, recipient_id=rec.target_person_id, event_id=rec.event_id,
                        origin=ConnectionOrigin.RECOMMENDATION, note=given.text, recommendation_id=rec.id, clock=clock,
                        outreach=given.outreach)
    if sent.accepted_theirs:
        rec.connected_at = rec.connected_at or clock.now()
    return sent.message


def _dismiss(session: Session, rec: Recommendation, person_id: int, clock: Clock, given: ActionInput) -> str:
    rec.dismissed_at = clock.now()
    _set_control(session, person_id, rec.target_person_id, "dismiss")
    return "Dismissed; you will not see this person again."


def _snooze(session: Session, rec: Recommendation, person_id: int, clock: Clock, given: ActionInput) -> str:
    rec.dismissed_at = clock.now()
    _set_control(session, person_id, rec.target_person_id, "snooze", clock.now() + timedelta(days=SNOOZE_DAYS))
    return f"Snoozed for {SNOOZE_DAYS} days."


def _more_like(session: Session, rec: Recommendation, person_id: int, clock: Clock, given: ActionInput) -> str:
    _set_control(session, person_id, rec.target_person_id, "more_like")
    return "Noted: your next refresh shows more people like this."


def _less_like(session: Session, rec: Recommendation, person_id: int, clock: Clock, given: ActionInput) -> str:
    _set_control(session, person_id, rec.target_person_id, "less_like")
    return "Noted: your next refresh shows fewer people like this."


ACTION_HANDLERS: dict[RecommendationAction, Callable[[Session, Recommendation, int, Clock, ActionInput], str]] = {
    RecommendationAction.VIEW: _view,
    RecommendationAction.PING: _ping,
    RecommendationAction.CONNECT: _connect,
    RecommendationAction.DISMISS: _dismiss,
    RecommendationAction.SNOOZE: _snooze,
    RecommendationAction.MORE_LIKE: _more_like,
    RecommendationAction.LESS_LIKE: _less_like,
}


def record_action(session: Session, *, recommendation_id: int, person_id: int, action: str, clock: Clock,
                  text: str = "", outreach: OutreachLimits | None = None) -> str:
    """Persist one attendee action on a recommendation; returns a confirmation message.

    `text` is the note of a connection request or the line of a ping (empty: no note, a greeting ping). A request
    or ping that cannot be sent raises ActionError with the reason."""
    try:
        handler = ACTION_HANDLERS[RecommendationAction(action)]
    except ValueError:
        raise ActionError(f"Unknown action '{action}'.") from None
    rec = _own_recommendation(session, recommendation_id, person_id)
    # Ping and connect are debounced on their target by the request service they call (a repeat shows as
    # RepeatedAction); dismiss, snooze and more/less like are idempotent, so a double click just stores them once.
    try:
        message = handler(session, rec, person_id, clock, ActionInput(text or "", outreach or OutreachLimits()))
    except RequestError as exc:
        raise (RepeatedAction if isinstance(exc, RapidRepeat) else ActionError)(str(exc)) from None
    session.flush()
    return message


def mark_viewed(session: Session, *, recommendation_ids: list[int], person_id: int, now: datetime) -> int:
    """Mark the attendee's shown recommendations viewed in one statement; returns how many were new views."""
    if not recommendation_ids:
        return 0
    return session.execute(update(Recommendation).where(
        Recommendation.id.in_(recommendation_ids), Recommendation.user_id == person_id,
        Recommendation.viewed_at.is_(None)).values(viewed_at=now)).rowcount
