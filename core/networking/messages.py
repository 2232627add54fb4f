"""One-to-one messages (seed 000 §4.1–4.2, §7.2): one thread per pair, opened from a match, a connection, a request
or a ping; unread counts, read marks, and one unread notification per thread at a time."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.orm import Session

from core.events.visibility import SharedWithOther, is_live
from core.networking.blocks import not_blocked_with
from core.networking.notifications import NotificationKind, mark_read, notify
from core.platform.clock import Clock
from core.platform.debounce import RapidRepeat, refuse_rapid_repeat
from db.models import (
    Block,
    Connection,
    MatchControl,
    Message,
    MessageKind,
    MessageThread,
    Notification,
    Person,
    Recommendation,
    RecommendationKind,
)

__all__ = ["BODY_LIMIT", "PAGE_SIZE", "MessageError", "MessageKind", "RepeatedMessage", "ThreadSummary", "can_message",
           "open_thread", "read_thread", "send_message", "thread_between", "threads_of", "unread_messages"]

BODY_LIMIT = 2000
PAGE_SIZE = 200
PREVIEW_LIMIT = 140
# Kinds that count as an interaction and notify the recipient as a MESSAGE here; pings, requests and follow-ups are
# counted and notified (in their own notification kinds) by the service that sends them.
_CONVERSATION_KINDS = {MessageKind.MESSAGE}
# Kinds that answer a follow-up the recipient sent the sender (seed 000 §7.2 follow-up response).
_REPLY_KINDS = {MessageKind.MESSAGE, MessageKind.FOLLOW_UP}
# Control characters other than tab and newline: Postgres text refuses NUL, and the rest only garble a bubble.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class MessageError(ValueError):
    """A message that cannot be sent or a conversation that cannot be opened; the text says why."""


class RepeatedMessage(MessageError, RapidRepeat):
    """The same message was just sent to the same person (a double click); the page shows it as information."""


@dataclass(frozen=True)
class ThreadSummary(SharedWithOther):
    """One conversation as a person's list shows it."""

    thread_id: int
    other: Person
    last_body: str | None
    last_sender_id: int | None
    last_at: datetime | None
    unread: int


def _thread_key(thread_id: int) -> str:
    return f"message-thread:{thread_id}:"


def thread_between(session: Session, person_a: int, person_b: int, event_id: int | None,
                   now: datetime) -> MessageThread:
    """The pair's one thread, created if they had none (no permission check: callers decide who may open it).

    INSERT ... ON CONFLICT DO NOTHING, then a select: two first messages at once make one thread."""
    if person_a == person_b:
        raise MessageError("You cannot message yourself.")
    low, high = sorted((person_a, person_b))
    session.execute(insert(MessageThread)
                    .values(person_a_id=low, person_b_id=high, event_id=event_id, created_at=now)
                    .on_conflict_do_nothing(constraint="uq_message_thread_pair"))
    return session.scalar(select(MessageThread).where(MessageThread.person_a_id == low,
                                                      MessageThread.person_b_id == high)
                          .execution_options(populate_existing=True))


def _existing_thread(session: Session, person_a: int, person_b: int) -> MessageThread | None:
    low, high = sorted((person_a, person_b))
    return session.scalar(select(MessageThread).where(MessageThread.person_a_id == low,
                                                      MessageThread.person_b_id == high))


def _either_way(column_a, column_b, person_a: int, person_b: int):
    return or_(and_(column_a == person_a, column_b == person_b), and_(column_a == person_b, column_b == person_a))


def _match_event(session: Session, person_a: int, person_b: int) -> tuple[bool, int | None]:
    """Whether the two matched (a stored person recommendation either way, in any event) or are connected, and the
    event that brought them together (the latest match's, else the connection's)."""
    event_id = session.scalar(
        select(Recommendation.event_id).where(
            Recommendation.kind == RecommendationKind.PERSON,
            _either_way(Recommendation.user_id, Recommendation.target_person_id, person_a, person_b))
        .order_by(Recommendation.generated_at.desc()).limit(1))
    if event_id is not None:
        return True, event_id
    low, high = sorted((person_a, person_b))
    connection = session.execute(select(Connection.id, Connection.event_id).where(
        Connection.person_a_id == low, Connection.person_b_id == high)).first()
    if connection is not None:
        return True, connection.event_id
    return False, None


def can_message(session: Session, *, sender_id: int, recipient_id: int) -> str | None:
    """Why `sender_id` may not message `recipient_id`, or None when they may.

    Allowed: people who matched (either way, any event), are connected, or already share a thread (a request or
    a ping opened it). A block either way always refuses."""
    if sender_id == recipient_id:
        return "You cannot message yourself."
    recipient = session.get(Person, recipient_id)
    if not is_live(recipient):
        return "That person is no longer on GlobalConnect."
    blocks = set(session.scalars(select(MatchControl.person_id).where(
        MatchControl.kind == "block",
        _either_way(MatchControl.person_id, MatchControl.target_person_id, sender_id, recipient_id))))
    blocks |= set(session.scalars(select(Block.blocker_id).where(
        _either_way(Block.blocker_id, Block.blocked_id, sender_id, recipient_id))))
    if sender_id in blocks:
        return ("You blocked this person, so you cannot message them. Unblock them under Blocked people on your "
                "Account page first.")
    if recipient_id in blocks:
        return "This person is not accepting messages from you."
    if _existing_thread(session, sender_id, recipient_id) is not None:
        return None
    matched, _ = _match_event(session, sender_id, recipient_id)
    if not matched:
        return ("You can message people you matched with or are connected to. Ping or connect with someone from "
                "For you first.")
    return None


def open_thread(session: Session, *, person_id: int, other_id: int, now: datetime,
                event_id: int | None = None) -> MessageThread:
    """The conversation of `person_id` with `other_id`, created when they may message each other; raises
    MessageError (saying why) when they may not."""
    refusal = can_message(session, sender_id=person_id, recipient_id=other_id)
    if refusal:
        raise MessageError(refusal)
    if event_id is None:
        _, event_id = _match_event(session, person_id, other_id)
    return thread_between(session, person_id, other_id, event_id, now)


def plain_text(text: str | None) -> str:
    """User-written text as stored: control characters removed (NUL would fail the insert), line ends unified,
    stripped."""
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n")).strip()


def clean_body(body: str | None) -> str:
    """The message as it is stored: plain text, stripped, 1 to BODY_LIMIT characters; MessageError otherwise."""
    text = plain_text(body)
    if not text:
        raise MessageError("Write a message first: it is empty.")
    if len(text) > BODY_LIMIT:
        raise MessageError(f"A message is at most {BODY_LIMIT:,} characters; yours has {len(text):,}. "
                           "Shorten it or send it in two parts.")
    return text


def send_message(session: Session, sender_id: int, recipient_id: int, body: str, clock: Clock,
                 event_id: int | None = None, kind: MessageKind = MessageKind.MESSAGE) -> Message:
    """Send a message in the pair's thread (created if needed) and return it.

    It bumps the thread's last_message_at, counts as an interaction on the pair's connection if they have one
    (seed 000 §7.2), and notifies the recipient, at most once per thread while that notification is unread. The
    thread row is locked, so the sends of one pair are serialised. Pings and requests (other kinds) are counted
    and notified by the service that sends them, as are follow-ups (core/networking/follow_ups.py), so only
    messages do both here. A message or follow-up answers the follow-ups the recipient sent the sender."""
    text = clean_body(body)
    now = clock.now()
    thread = open_thread(session, person_id=sender_id, other_id=recipient_id, now=now, event_id=event_id)
    session.execute(select(MessageThread.id).where(MessageThread.id == thread.id).with_for_update())
    try:  # keyed by the text too: a double click repeats it, a quick second line does not
        refuse_rapid_repeat(session, actor=f"person:{sender_id}", now=now,
                            action_key=f"message:{recipient_id}:{hashlib.sha1(text.encode()).hexdigest()[:16]}")
    except RapidRepeat as exc:
        raise RepeatedMessage(str(exc)) from None
    message = Message(thread_id=thread.id, sender_id=sender_id, kind=MessageKind(kind).value, body=text,
                      created_at=now)
    session.add(message)
    session.execute(update(MessageThread).where(MessageThread.id == thread.id).values(
        last_message_at=func.greatest(func.coalesce(MessageThread.last_message_at, now), now)))
    session.flush()
    if kind in _REPLY_KINDS:
        from core.networking.follow_ups import record_follow_up_reply  # here: follow_ups sends through this module

        record_follow_up_reply(session, sender_id=sender_id, recipient_id=recipient_id, now=now)
    if kind in _CONVERSATION_KINDS:
        low, high = sorted((sender_id, recipient_id))
        session.execute(update(Connection).where(Connection.person_a_id == low, Connection.person_b_id == high)
                        .values(interaction_count=Connection.interaction_count + 1, last_interaction_at=now))
        _notify_once(session, thread_id=thread.id, sender_id=sender_id, recipient_id=recipient_id, text=text,
                     now=now, message_id=message.id)
    session.flush()
    return message


def _notify_once(session: Session, *, thread_id: int, sender_id: int, recipient_id: int, text: str, now: datetime,
                 message_id: int) -> None:
    """Notify the recipient unless they still have an unread message notification for this thread."""
    pending = session.scalar(select(Notification.id).where(
        Notification.person_id == recipient_id, Notification.kind == NotificationKind.MESSAGE.value,
        Notification.read_at.is_(None), Notification.dedupe_key.startswith(_thread_key(thread_id))).limit(1))
    if pending is not None:
        return
    sender = session.get(Person, sender_id)
    preview = text if len(text) <= PREVIEW_LIMIT else text[: PREVIEW_LIMIT - 1] + "…"
    notify(session, person_id=recipient_id, kind=NotificationKind.MESSAGE, title=f"New message from "
           f"{sender.full_name}", body=preview, now=now, link=f"messages?with={sender_id}", actor_id=sender_id,
           dedupe_key=f"{_thread_key(thread_id)}{message_id}")


def _member_thread(session: Session, thread_id: int, person_id: int) -> MessageThread:
    thread = session.get(MessageThread, thread_id)
    if thread is None or person_id not in (thread.person_a_id, thread.person_b_id):
        raise MessageError("That conversation is not one of yours.")
    return thread


def read_thread(session: Session, thread_id: int, person_id: int, now: datetime, *, limit: int = PAGE_SIZE,
                before_id: int | None = None) -> list[Message]:
    """The thread's messages, oldest first: the last `limit` of them (or the `limit` before `before_id`, for an
    earlier page). The other person's unread messages, and this thread's message notifications, become read.
    Only the two people of the thread may read it."""
    _member_thread(session, thread_id, person_id)
    session.execute(update(Message).where(Message.thread_id == thread_id, Message.sender_id != person_id,
                                          Message.read_at.is_(None)).values(read_at=now))
    pending = list(session.scalars(select(Notification.id).where(
        Notification.person_id == person_id, Notification.read_at.is_(None),
        Notification.dedupe_key.startswith(_thread_key(thread_id)))))
    if pending:
        mark_read(session, person_id=person_id, now=now, notification_ids=pending)
    query = select(Message).where(Message.thread_id == thread_id)
    if before_id is not None:
        query = query.where(Message.id < before_id)
    newest = session.scalars(query.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
                             .execution_options(populate_existing=True)).all()
    session.flush()
    return list(reversed(newest))


def unread_messages(session: Session, person_id: int) -> int:
    """How many messages to this person are unread, over all their threads (the menu badge)."""
    return session.scalar(
        select(func.count()).select_from(Message).join(MessageThread, MessageThread.id == Message.thread_id)
        .where(or_(MessageThread.person_a_id == person_id, MessageThread.person_b_id == person_id),
               Message.sender_id != person_id, Message.read_at.is_(None),
               not_blocked_with(person_id, Message.sender_id))) or 0


def threads_of(session: Session, person_id: int) -> list[ThreadSummary]:
    """The person's conversations, newest first: the other person, the last message and this person's unread
    count in each."""
    mine = select(MessageThread.id).where(or_(MessageThread.person_a_id == person_id,
                                              MessageThread.person_b_id == person_id))
    last = (select(Message.thread_id, Message.body, Message.sender_id, Message.created_at)
            .where(Message.thread_id.in_(mine))
            .ext(distinct_on(Message.thread_id))
            .order_by(Message.thread_id, Message.created_at.desc(), Message.id.desc())
            .subquery())
    unread = (select(Message.thread_id, func.count().label("unread"))
              .where(Message.thread_id.in_(mine), Message.sender_id != person_id, Message.read_at.is_(None))
              .group_by(Message.thread_id).subquery())
    other_id = case((MessageThread.person_a_id == person_id, MessageThread.person_b_id),
                    else_=MessageThread.person_a_id)
    rows = session.execute(
        select(MessageThread.id, Person, last.c.body, last.c.sender_id, last.c.created_at,
               func.coalesce(unread.c.unread, 0))
        .join(Person, Person.id == other_id)
        .outerjoin(last, last.c.thread_id == MessageThread.id)
        .outerjoin(unread, unread.c.thread_id == MessageThread.id)
        .where(MessageThread.id.in_(mine), not_blocked_with(person_id, Person.id))
        .order_by(func.coalesce(MessageThread.last_message_at, MessageThread.created_at).desc(),
                  MessageThread.id.desc())).all()
    return [ThreadSummary(thread_id, other, body, sender, at, count)
            for thread_id, other, body, sender, at, count in rows]
