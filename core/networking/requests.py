"""Connection requests and pings (seed 000 §4.1–4.2, §7.2): a connection exists only once the other person accepts;
a ping is a short message in the pair's thread that the other person is told about."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from core.events.visibility import is_live, live
from core.networking.blocks import is_blocked_pair, not_blocked_with
from core.networking.connections import ActivityKind, connection_between, get_or_create_connection, record_interaction
from core.networking.messages import plain_text, thread_between
from core.networking.notifications import NotificationKind, notify
from core.networking.outreach import OutreachLimits, OutreachRefused, check_outreach
from core.platform.clock import Clock
from core.platform.debounce import RapidRepeat, refuse_rapid_repeat
from db.models import (
    Block,
    Connection,
    ConnectionOrigin,
    ConnectionRequest,
    MatchControl,
    Message,
    MessageKind,
    MessageThread,
    Person,
    Recommendation,
    RequestStatus,
)

__all__ = ["DECLINE_COOLDOWN", "NOTE_LIMIT", "PING_COOLDOWN", "PING_LIMIT", "ConnectionOrigin", "RepeatedRequest",
           "RequestAction", "RequestError", "RequestState", "RequestStatus", "RequestView", "SentRequest",
           "incoming_requests", "outgoing_requests", "request_states", "respond_to_request", "send_ping",
           "send_request"]

NOTE_LIMIT = 500
PING_LIMIT = 300
PING_COOLDOWN = timedelta(hours=24)  # one ping per person to the same person a day
DECLINE_COOLDOWN = timedelta(days=30)  # after a decline, the requester may ask the same person again only later
# Control characters other than tab and newline: Postgres text refuses NUL, and the rest only garble the text.


class RequestError(ValueError):
    """A request, answer or ping that cannot be made; the message says why and what to do."""


class RepeatedRequest(RequestError, RapidRepeat):
    """The same request or ping was just sent (a double click); the page shows it as information."""


class RequestAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


class RequestState(StrEnum):
    """Where a person stands with another, as a recommendation card shows it."""

    REQUESTED = "requested"  # this person asked; waiting for the other
    INCOMING = "incoming"  # the other person asked; waiting for this one
    CONNECTED = "connected"


_NEW_STATUS = {RequestAction.ACCEPT: RequestStatus.ACCEPTED, RequestAction.DECLINE: RequestStatus.DECLINED,
               RequestAction.WITHDRAW: RequestStatus.WITHDRAWN}
_ALREADY = {RequestStatus.ACCEPTED: "This request was just accepted: you are connected.",
            RequestStatus.DECLINED: "This request was just declined.",
            RequestStatus.WITHDRAWN: "This request was just withdrawn."}


@dataclass(frozen=True)
class SentRequest:
    """What "connect" did: a new pending request, or the acceptance of the other person's pending one."""

    request: ConnectionRequest
    accepted_theirs: bool
    message: str


@dataclass(frozen=True)
class RequestView:
    """A pending request as the network page shows it: the request and the other person."""

    request: ConnectionRequest
    other: Person


def clean_text(text: str | None, *, limit: int, what: str) -> str:
    """Plain text as stored: control characters removed, stripped, at most `limit` characters."""
    value = plain_text(text)
    if len(value) > limit:
        raise RequestError(f"{what} is at most {limit} characters; yours has {len(value)}. Shorten it a little.")
    return value


def _lock_people(session: Session, person_ids: list[int]) -> dict[int, Person]:
    """Row-lock both people in id order until the transaction ends, so two requests or pings between one pair (A to B
    and B to A, or a double click) run one after the other and the second sees the first. FOR NO KEY UPDATE: rows
    that merely reference a person are not held up. Returns the people who exist and are not deleted."""
    people = session.scalars(select(Person).where(Person.id.in_(sorted(set(person_ids)))).order_by(Person.id)
                             .with_for_update(key_share=True)).all()
    return {p.id: p for p in people if is_live(p)}


def _blocked(session: Session, person_a: int, person_b: int) -> bool:
    """A block either way (core/networking/moderation.py), or an older "block" match control."""
    if is_blocked_pair(session, person_a, person_b):
        return True
    return session.scalar(select(MatchControl.id).where(
        MatchControl.kind == "block",
        or_(and_(MatchControl.person_id == person_a, MatchControl.target_person_id == person_b),
            and_(MatchControl.person_id == person_b, MatchControl.target_person_id == person_a))).limit(1)) is not None


def _two_people(session: Session, me: int, other: int, *, verb: str) -> tuple[Person, Person]:
    """Both people, locked; refuses yourself, someone gone, and a blocked pair (without saying who blocked)."""
    if me == other:
        raise RequestError(f"You cannot {verb} yourself.")
    people = _lock_people(session, [me, other])
    if me not in people or other not in people:
        raise RequestError("That person is no longer on GlobalConnect.")
    if _blocked(session, me, other):
        if session.get(Block, (me, other)) is not None:
            raise RequestError(f"You cannot {verb} this person: you blocked them. Unblock them under Blocked people "
                               "on your Account page first.")
        raise RequestError(f"You cannot {verb} this person.")
    return people[me], people[other]


def _pending(session: Session, requester_id: int, recipient_id: int) -> ConnectionRequest | None:
    return session.scalar(select(ConnectionRequest).where(
        ConnectionRequest.requester_id == requester_id, ConnectionRequest.recipient_id == recipient_id,
        ConnectionRequest.status == RequestStatus.PENDING).execution_options(populate_existing=True))


def _check_recommendation(session: Session, recommendation_id: int | None, viewer: int, target: int) -> None:
    if recommendation_id is None:
        return
    rec = session.get(Recommendation, recommendation_id)
    if rec is None or rec.user_id != viewer or rec.target_person_id != target:
        raise RequestError("That recommendation is not yours or is about someone else.")


def _add_to_thread(session: Session, *, sender_id: int, recipient_id: int, event_id: int | None, kind: MessageKind,
                   body: str, now: datetime) -> Message:
    """Write one message in the pair's thread (created if needed) and move the thread's last message time."""
    thread = thread_between(session, sender_id, recipient_id, event_id, now)
    message = Message(thread_id=thread.id, sender_id=sender_id, kind=kind.value, body=body, created_at=now)
    session.add(message)
    session.execute(update(MessageThread).where(MessageThread.id == thread.id).values(
        last_message_at=func.greatest(func.coalesce(MessageThread.last_message_at, now), now)))
    session.flush()
    return message


def refuse_repeat(session: Session, *, person_id: int, action_key: str, now: datetime) -> None:
    """Refuse (as RepeatedRequest) the same outreach by the same person within the debounce window."""
    try:
        refuse_rapid_repeat(session, actor=f"person:{person_id}", action_key=action_key, now=now)
    except RapidRepeat as exc:
        raise RepeatedRequest(str(exc)) from None


def _check_outreach(session: Session, person_id: int, now: datetime, outreach: OutreachLimits | None) -> None:
    """The sender's daily outreach cap (their row is locked already, so two sends at once count one another)."""
    try:
        check_outreach(session, person_id=person_id, now=now, limits=outreach or OutreachLimits())
    except OutreachRefused as exc:
        raise RequestError(str(exc)) from None


def send_request(session: Session, *, requester_id: int, recipient_id: int, event_id: int | None,
                 origin: str = ConnectionOrigin.RECOMMENDATION, note: str = "", recommendation_id: int | None = None,
                 clock: Clock, outreach: OutreachLimits | None = None) -> SentRequest:
    """Ask someone to connect, with an optional plain-text note (at most NOTE_LIMIT characters).

    Refused: yourself, someone you are connected with, someone you already asked, a pair where either blocked the
    other, and someone who declined you within DECLINE_COOLDOWN. When the other person already asked you, this
    accepts their request instead (and says so). The recipient is notified; a note also opens the pair's thread."""
    now = clock.now()
    text = clean_text(note, limit=NOTE_LIMIT, what="A note")
    try:
        origin = ConnectionOrigin(origin)
    except ValueError:
        raise RequestError(f"Unknown origin '{origin}'.") from None
    me, other = _two_people(session, requester_id, recipient_id, verb="connect with")
    _check_recommendation(session, recommendation_id, requester_id, recipient_id)
    if connection_between(session, requester_id, recipient_id) is not None:
        raise RequestError(f"You are already connected with {other.full_name}.")
    if _pending(session, requester_id, recipient_id) is not None:
        raise RequestError(f"You already asked {other.full_name} to connect; they have not answered yet. "
                           "You can withdraw the request on My network.")
    theirs = _pending(session, recipient_id, requester_id)
    if theirs is not None:
        accepted = respond_to_request(session, request_id=theirs.id, person_id=requester_id,
                                      action=RequestAction.ACCEPT, clock=clock)
        return SentRequest(accepted, True, f"{other.full_name} had already asked to connect with you, so this "
                                           "accepted their request: you are now connected.")
    declined_at = session.scalar(select(func.max(ConnectionRequest.responded_at)).where(
        ConnectionRequest.requester_id == requester_id, ConnectionRequest.recipient_id == recipient_id,
        ConnectionRequest.status == RequestStatus.DECLINED))
    if declined_at is not None and declined_at + DECLINE_COOLDOWN > now:
        raise RequestError(f"{other.full_name} did not accept your last request. You can ask again from "
                           f"{declined_at + DECLINE_COOLDOWN:%d %b %Y}.")
    _check_outreach(session, requester_id, now, outreach)
    refuse_repeat(session, person_id=requester_id, action_key=f"request:{recipient_id}", now=now)
    request = ConnectionRequest(event_id=event_id, requester_id=requester_id, recipient_id=recipient_id,
                                recommendation_id=recommendation_id, origin=origin.value, note=text,
                                status=RequestStatus.PENDING.value, created_at=now)
    session.add(request)
    session.flush()
    if text:
        _add_to_thread(session, sender_id=requester_id, recipient_id=recipient_id, event_id=event_id,
                       kind=MessageKind.REQUEST, body=text, now=now)
    notify(session, person_id=recipient_id, kind=NotificationKind.CONNECTION_REQUEST,
           title=f"{me.full_name} wants to connect", body=text, now=now, link="my-network?tab=requests",
           actor_id=requester_id, dedupe_key=f"request:{request.id}")
    return SentRequest(request, False, f"Request sent to {other.full_name}. You are connected once they accept.")


def respond_to_request(session: Session, *, request_id: int, person_id: int, action: str, clock: Clock
                       ) -> ConnectionRequest:
    """Accept or decline (the recipient) or withdraw (the requester) a pending request.

    The status moves with one UPDATE ... WHERE status = 'pending': of two answers at once (an accept and a
    withdrawal) the second waits for the first, finds the request no longer pending and is refused with a
    RequestError saying what happened. Accepting creates the connection (its origin is the request's), counts it as
    the first interaction and notifies the requester."""
    try:
        action = RequestAction(action)
    except ValueError:
        raise RequestError(f"Unknown action '{action}'. Use accept, decline or withdraw.") from None
    request = session.get(ConnectionRequest, request_id)
    if request is None or person_id not in (request.requester_id, request.recipient_id):
        raise RequestError("That connection request does not exist.")
    if action == RequestAction.WITHDRAW and person_id != request.requester_id:
        raise RequestError("Only the person who sent a request can withdraw it; you can decline it.")
    if action != RequestAction.WITHDRAW and person_id != request.recipient_id:
        raise RequestError("Only the person you asked can answer your request; you can withdraw it.")
    now = clock.now()
    changed = session.execute(
        update(ConnectionRequest).where(ConnectionRequest.id == request_id,
                                        ConnectionRequest.status == RequestStatus.PENDING)
        .values(status=_NEW_STATUS[action].value, responded_at=now).returning(ConnectionRequest.id)).first()
    session.refresh(request)
    if changed is None:
        raise RequestError(_ALREADY.get(RequestStatus(request.status), "This request was already answered."))
    if action == RequestAction.ACCEPT:
        _connect(session, request, now)
    if action != RequestAction.WITHDRAW:
        _mark_note_read(session, request, now)
    session.flush()
    return request


def _mark_note_read(session: Session, request: ConnectionRequest, now: datetime) -> None:
    """The recipient read the request's note where they answered it, so it is not unread in Messages too."""
    pair = sorted((request.requester_id, request.recipient_id))
    thread_id = select(MessageThread.id).where(MessageThread.person_a_id == pair[0],
                                               MessageThread.person_b_id == pair[1]).scalar_subquery()
    session.execute(update(Message).where(Message.thread_id == thread_id, Message.sender_id == request.requester_id,
                                          Message.kind == MessageKind.REQUEST.value, Message.read_at.is_(None))
                    .values(read_at=now))


def _connect(session: Session, request: ConnectionRequest, now: datetime) -> None:
    get_or_create_connection(session, person_ids=(request.requester_id, request.recipient_id),
                             event_id=request.event_id, source=request.origin, now=now)
    record_interaction(session, request.requester_id, request.recipient_id, ActivityKind.CONNECTED, now,
                       actor_id=request.recipient_id, note="Accepted a connection request")
    if request.recommendation_id is not None:
        session.execute(update(Recommendation).where(Recommendation.id == request.recommendation_id).values(
            connected_at=func.coalesce(Recommendation.connected_at, now)))
    recipient = session.get(Person, request.recipient_id)
    notify(session, person_id=request.requester_id, kind=NotificationKind.REQUEST_ACCEPTED,
           title=f"{recipient.full_name} accepted your request to connect", now=now, link="my-network?tab=connections",
           actor_id=request.recipient_id, dedupe_key=f"accepted:{request.id}")


def send_ping(session: Session, *, sender_id: int, recipient_id: int, event_id: int | None, body: str,
              clock: Clock, recommendation_id: int | None = None, outreach: OutreachLimits | None = None) -> Message:
    """Ping a match: a short message (at most PING_LIMIT characters, e.g. one of the match's conversation starters)
    written in the pair's thread, counted as an interaction if they are connected, and notified to the recipient.
    One ping to the same person a day; the recommendation it came from (if any) is marked pinged."""
    now = clock.now()
    text = clean_text(body, limit=PING_LIMIT, what="A ping")
    if not text:
        raise RequestError("Write a line or pick a conversation starter for your ping.")
    me, other = _two_people(session, sender_id, recipient_id, verb="ping")
    _check_recommendation(session, recommendation_id, sender_id, recipient_id)
    low, high = sorted((sender_id, recipient_id))
    last_ping = session.scalar(
        select(func.max(Message.created_at)).join(MessageThread, MessageThread.id == Message.thread_id).where(
            MessageThread.person_a_id == low, MessageThread.person_b_id == high, Message.sender_id == sender_id,
            Message.kind == MessageKind.PING.value))
    if last_ping is not None and last_ping + PING_COOLDOWN > now:
        raise RequestError(f"You pinged {other.full_name} already today. Give them time to answer, or write to "
                           "them on Messages.")
    _check_outreach(session, sender_id, now, outreach)
    refuse_repeat(session, person_id=sender_id, action_key=f"ping:{recipient_id}", now=now)
    message = _add_to_thread(session, sender_id=sender_id, recipient_id=recipient_id, event_id=event_id,
                             kind=MessageKind.PING, body=text, now=now)
    record_interaction(session, sender_id, recipient_id, ActivityKind.PING, now, actor_id=sender_id)
    if recommendation_id is not None:
        session.execute(update(Recommendation).where(Recommendation.id == recommendation_id).values(
            pinged_at=func.coalesce(Recommendation.pinged_at, now)))
    notify(session, person_id=recipient_id, kind=NotificationKind.PING, title=f"{me.full_name} pinged you",
           body=text, now=now, link=f"messages?with={sender_id}", actor_id=sender_id, dedupe_key=f"ping:{message.id}")
    session.flush()
    return message


def request_states(session: Session, person_id: int, other_ids: list[int]) -> dict[int, RequestState]:
    """For each of these people who has one, where this person stands with them: connected, asked (pending) or
    asked by them (pending)."""
    if not other_ids:
        return {}
    states: dict[int, RequestState] = {}
    for requester, recipient in session.execute(select(ConnectionRequest.requester_id, ConnectionRequest.recipient_id)
                                                .where(ConnectionRequest.status == RequestStatus.PENDING,
                                                       or_(and_(ConnectionRequest.requester_id == person_id,
                                                                ConnectionRequest.recipient_id.in_(other_ids)),
                                                           and_(ConnectionRequest.recipient_id == person_id,
                                                                ConnectionRequest.requester_id.in_(other_ids))))):
        states[recipient if requester == person_id else requester] = (
            RequestState.REQUESTED if requester == person_id else RequestState.INCOMING)
    for a, b in session.execute(select(Connection.person_a_id, Connection.person_b_id).where(
            or_(and_(Connection.person_a_id == person_id, Connection.person_b_id.in_(other_ids)),
                and_(Connection.person_b_id == person_id, Connection.person_a_id.in_(other_ids))))):
        states[b if a == person_id else a] = RequestState.CONNECTED
    return states


def _pending_views(session: Session, person_id: int, *, incoming: bool) -> list[RequestView]:
    mine = ConnectionRequest.recipient_id if incoming else ConnectionRequest.requester_id
    theirs = ConnectionRequest.requester_id if incoming else ConnectionRequest.recipient_id
    rows = session.execute(
        select(ConnectionRequest, Person).join(Person, Person.id == theirs)
        .where(mine == person_id, ConnectionRequest.status == RequestStatus.PENDING, live(Person),
               not_blocked_with(person_id, Person.id))
        .order_by(ConnectionRequest.created_at.desc(), ConnectionRequest.id.desc())).all()
    return [RequestView(request, other) for request, other in rows]


def incoming_requests(session: Session, person_id: int) -> list[RequestView]:
    """Pending requests to this person, newest first."""
    return _pending_views(session, person_id, incoming=True)


def outgoing_requests(session: Session, person_id: int) -> list[RequestView]:
    """Pending requests this person sent, newest first."""
    return _pending_views(session, person_id, incoming=False)
