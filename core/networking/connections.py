"""Mutual connections between two people, stored once per pair: their strength, interactions and private notes
(seed 000 §7.2)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.events.visibility import SharedWithOther
from core.platform.audit import AuditAction, record_audit
from db.models import (
    Connection,
    ConnectionActivity,
    ConnectionNote,
    ConnectionOrigin,
    ConnectionStrength,
    Person,
)

__all__ = ["NOTE_LIMIT", "ORIGIN_LABELS", "STRENGTH_LABELS", "ActivityKind", "ConnectionOrigin", "ConnectionStrength",
           "ConnectionView", "NetworkError", "connection_between", "connection_strength", "get_or_create_connection",
           "my_connections", "record_interaction", "set_connection_note"]

NOTE_LIMIT = 2000
ORIGIN_LABELS = {ConnectionOrigin.RECOMMENDATION: "From a recommendation", ConnectionOrigin.PING: "From a ping",
                 ConnectionOrigin.HUDDLE: "Met at a huddle", ConnectionOrigin.MEETING: "From a 1:1 meeting",
                 ConnectionOrigin.MESSAGE: "From a conversation", ConnectionOrigin.MANUAL: "Added by hand"}
STRENGTH_LABELS = {ConnectionStrength.WEAK: "Weak: a single interaction",
                   ConnectionStrength.MODERATE: "Moderate: several interactions or a follow-up",
                   ConnectionStrength.STRONG: "Strong: an ongoing relationship"}
MODERATE_INTERACTIONS = 2  # "multiple interactions"
STRONG_EVENTS = 3  # "3+ events together"
STRONG_DM_EXCHANGES = 3  # "active DMs": at least this many back-and-forth exchanges


class ActivityKind(StrEnum):
    """What happened on a connection (seed 000 §7.2 ActivityType, plus the accept that made it and pings)."""

    CONNECTED = "connected"
    PING = "ping"
    FIRST_CONTACT = "first_contact"
    DM_EXCHANGED = "dm_exchanged"
    HUDDLE_TOGETHER = "huddle_together"
    SAME_EVENT = "same_event"
    FOLLOW_UP_SENT = "follow_up_sent"
    FOLLOW_UP_RESPONSE = "follow_up_response"
    MEETING_SCHEDULED = "meeting_scheduled"
    RECONNECTED = "reconnected"


class NetworkError(ValueError):
    """A connection change that cannot be made; the message says why."""


def connection_strength(interaction_count: int, activity_kinds: Iterable[str]) -> ConnectionStrength:
    """The §7.2 strength of a connection from its interactions and the kinds of its activities.

    STRONG: an ongoing relationship, that is 3+ events together (the first one plus each "reconnected") or active
    DMs (3+ "dm_exchanged"). MODERATE: multiple interactions, or a follow-up exchanged (a follow-up response).
    WEAK: a single interaction (or none yet)."""
    kinds = list(activity_kinds)
    events_together = 1 + kinds.count(ActivityKind.RECONNECTED)
    if events_together >= STRONG_EVENTS or kinds.count(ActivityKind.DM_EXCHANGED) >= STRONG_DM_EXCHANGES:
        return ConnectionStrength.STRONG
    if interaction_count >= MODERATE_INTERACTIONS or ActivityKind.FOLLOW_UP_RESPONSE in kinds:
        return ConnectionStrength.MODERATE
    return ConnectionStrength.WEAK


def get_or_create_connection(session: Session, *, person_ids: tuple[int, int], event_id: int | None, source: str,
                             now: datetime) -> tuple[Connection, bool]:
    """The pair's connection, created if they had none; the flag says whether this call created it.

    One INSERT ... ON CONFLICT DO NOTHING: when both people connect at once, the second insert waits for the
    first, finds the pair taken and reads it, so exactly one caller sees the flag set (and logs the activity)."""
    low, high = sorted(person_ids)
    created_id = session.scalar(
        insert(Connection)
        .values(person_a_id=low, person_b_id=high, event_id=event_id, source=source, status="active",
                created_at=now)
        .on_conflict_do_nothing(index_elements=[Connection.person_a_id, Connection.person_b_id])
        .returning(Connection.id))
    connection = session.scalar(select(Connection).where(Connection.person_a_id == low,
                                                         Connection.person_b_id == high)
                                .execution_options(populate_existing=True))
    if created_id is not None:  # one connection.created entry filed under each of the pair (seed 000 §11.3)
        for person_id, other_id in ((low, high), (high, low)):
            record_audit(session, actor_id=None, action=AuditAction.CONNECTION_CREATED, target_type="connection",
                         target_id=created_id, at=now, target_person_id=person_id,
                         details={"other_person_id": other_id, "source": source, "event_id": event_id})
    return connection, created_id is not None


def connection_between(session: Session, person_a: int, person_b: int) -> Connection | None:
    """The pair's connection, if they have one."""
    low, high = sorted((person_a, person_b))
    return session.scalar(select(Connection).where(Connection.person_a_id == low, Connection.person_b_id == high))


def record_interaction(session: Session, person_a: int, person_b: int, kind: str, now: datetime, *,
                       actor_id: int | None = None, note: str = "") -> Connection | None:
    """Count one interaction on the pair's connection: bump interaction_count and last_interaction_at, log the
    activity and recompute the strength. Returns the connection, or None when the pair is not connected (an
    interaction never creates a connection: that takes an accepted request or meeting).

    The UPDATE takes the connection's row lock first, so two interactions at once run one after the other and the
    second recomputes the strength with the first's activity in view."""
    low, high = sorted((person_a, person_b))
    counted = session.execute(
        update(Connection).where(Connection.person_a_id == low, Connection.person_b_id == high)
        .values(interaction_count=Connection.interaction_count + 1,
                last_interaction_at=now)
        .returning(Connection.id, Connection.interaction_count)).first()
    if counted is None:
        return None
    session.add(ConnectionActivity(connection_id=counted.id, actor_id=actor_id, kind=ActivityKind(kind).value,
                                   note=note[:500], created_at=now))
    session.flush()
    kinds = session.scalars(select(ConnectionActivity.kind).where(ConnectionActivity.connection_id == counted.id))
    strength = connection_strength(counted.interaction_count, kinds)
    session.execute(update(Connection).where(Connection.id == counted.id).values(strength=strength.value))
    return session.get(Connection, counted.id, populate_existing=True)


@dataclass(frozen=True)
class ConnectionView(SharedWithOther):
    """One of a person's connections as their network page shows it."""

    connection: Connection
    other: Person
    note: str  # this person's private note ("" when none)

    @property
    def origin(self) -> str:
        return self.connection.source


def my_connections(session: Session, person_id: int) -> list[ConnectionView]:
    """The person's connections, most recent interaction first, each with the other person and their own note."""
    rows = session.scalars(select(Connection).where(or_(Connection.person_a_id == person_id,
                                                        Connection.person_b_id == person_id))).all()
    others = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(
        {c.person_b_id if c.person_a_id == person_id else c.person_a_id for c in rows})))}
    notes = dict(session.execute(select(ConnectionNote.connection_id, ConnectionNote.note).where(
        ConnectionNote.person_id == person_id, ConnectionNote.connection_id.in_([c.id for c in rows]))).all())
    views = [ConnectionView(c, others[c.person_b_id if c.person_a_id == person_id else c.person_a_id],
                            notes.get(c.id, "")) for c in rows]
    return sorted(views, key=lambda v: (v.connection.last_interaction_at or v.connection.created_at,
                                        v.connection.id), reverse=True)


def set_connection_note(session: Session, *, connection_id: int, person_id: int, note: str, now: datetime) -> str:
    """Store (or clear) this person's private note on one of their connections; only they ever see it."""
    text = (note or "").strip()
    if len(text) > NOTE_LIMIT:
        raise NetworkError(f"A note is at most {NOTE_LIMIT:,} characters; yours has {len(text):,}.")
    connection = session.get(Connection, connection_id)
    if connection is None or person_id not in (connection.person_a_id, connection.person_b_id):
        raise NetworkError("That connection is not one of yours.")
    statement = insert(ConnectionNote).values(connection_id=connection_id, person_id=person_id, note=text,
                                              updated_at=now)
    session.execute(statement.on_conflict_do_update(
        index_elements=[ConnectionNote.connection_id, ConnectionNote.person_id],
        set_={"note": statement.excluded.note, "updated_at": statement.excluded.updated_at}))
    session.flush()
    return text
