"""Answering a huddle invitation (race-safe: never past the maximum), withdrawing, checking in, and the
attendee's view of their huddles (seed 000 §6.4, §6.4.1, §6.5)."""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.agenda.meetings import busy_intervals
from core.events.visibility import live
from core.huddles.huddles import HUDDLES_LINK, UPCOMING, HuddleError, accepted_count, huddle_overlaps
from core.networking.blocks import not_blocked_with
from core.networking.notifications import NotificationKind, notify
from core.platform.clock import Clock
from db.models import Huddle, HuddleKind, HuddleParticipant, HuddleStatus, ParticipantStatus, Person

FULL_MESSAGE = "This huddle is now full. Try another huddle or create your own!"
CONCURRENT_UPDATE_MESSAGE = "Too many people accepting at once. Please try again."
RESPONSES_PER_MINUTE = 5
LOCK_TIMEOUT_MS = 1500  # how long one attempt waits for the huddle's row lock
LOCK_ATTEMPTS = 4  # attempts before CONCURRENT_UPDATE; each retry waits a little longer
CHECK_IN_BEFORE = timedelta(minutes=5)
CHECK_IN_AFTER = timedelta(minutes=15)
SHOWN_ATTENDEES = 3
PAST_LIMIT = 20
# lock_not_available (lock_timeout), serialization_failure, deadlock_detected: the attempt is retried
_RETRYABLE = {"55P03", "40001", "40P01"}
_GOING = (ParticipantStatus.ACCEPTED.value, ParticipantStatus.ATTENDED.value)


class HuddleFull(HuddleError):
    """Every seat is taken (seed 000 §6.4.1 HUDDLE_FULL)."""

    code = "HUDDLE_FULL"


class ConcurrentUpdate(HuddleError):
    """The huddle stayed locked by other answers through every attempt (seed 000 §6.4.1 CONCURRENT_UPDATE)."""

    code = "CONCURRENT_UPDATE"


def check_in_open(starts_at: datetime, now: datetime) -> bool:
    """Check-in runs from 5 minutes before the start to 15 minutes after it."""
    return starts_at - CHECK_IN_BEFORE <= now <= starts_at + CHECK_IN_AFTER


def time_until(starts_at: datetime, now: datetime) -> str:
    """"in 25 min", "in 2 h 5 min", "in 3 days", "now", "started 4 min ago", "2 h ago"."""
    minutes = round((starts_at - now).total_seconds() / 60)
    if minutes == 0:
        return "now"
    span = abs(minutes)
    if span < 60:
        amount = f"{span} min"
    elif span < 24 * 60:
        amount = f"{span // 60} h" + (f" {span % 60} min" if span % 60 else "")
    else:
        days = round(span / (24 * 60))
        amount = f"{days} day" + ("s" if days != 1 else "")
    if minutes > 0:
        return f"in {amount}"
    return f"started {amount} ago" if span <= 60 else f"{amount} ago"


def _retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in _RETRYABLE


def _participant(session: Session, huddle_id: int, person_id: int) -> HuddleParticipant:
    participant = session.scalar(select(HuddleParticipant).where(
        HuddleParticipant.huddle_id == huddle_id, HuddleParticipant.person_id == person_id)
        .execution_options(populate_existing=True))
    if participant is None:
        raise HuddleError("Only people invited to this huddle can answer it.")
    return participant


def _check_rate(session: Session, person_id: int, now: datetime) -> None:
    """At most 5 answers a minute per person, across huddles."""
    window_start = now - timedelta(minutes=1)
    recent = list(session.scalars(select(HuddleParticipant.responded_at).where(
        HuddleParticipant.person_id == person_id, HuddleParticipant.responded_at > window_start)
        .order_by(HuddleParticipant.responded_at)))
    if len(recent) >= RESPONSES_PER_MINUTE:
        wait = max(1, int((recent[0] + timedelta(minutes=1) - now).total_seconds()) + 1)
        raise HuddleError(f"You answered {RESPONSES_PER_MINUTE} huddles in the last minute. "
                          f"Try again in {wait} seconds.")


def _open_for_answers(huddle: Huddle, now: datetime) -> None:
    if huddle.status == HuddleStatus.CANCELLED:
        raise HuddleError("This huddle was cancelled.")
    if huddle.status not in UPCOMING or (huddle.starts_at is not None and huddle.starts_at <= now):
        raise HuddleError("This huddle has already started, so it no longer takes answers.")


def _check_free(session: Session, huddle: Huddle, person_id: int) -> None:
    """Refuse a time that overlaps the person's accepted huddles, agenda sessions or accepted meetings."""
    if huddle.starts_at is None:
        return
    ends_at = huddle.starts_at + timedelta(minutes=huddle.duration_minutes)
    if huddle_overlaps(session, person_id=person_id, starts_at=huddle.starts_at, minutes=huddle.duration_minutes,
                       ignore_huddle=huddle.id):
        raise HuddleError("You already said you'll be at another huddle at this time. Leave that one first "
                          "(Can't make it) to join this one.")
    busy = busy_intervals(session, event_id=huddle.event_id, person_id=person_id)
    if any(start < ends_at and huddle.starts_at < end for start, end in busy):
        raise HuddleError(f"This huddle ({huddle.starts_at:%H:%M}–{ends_at:%H:%M} UTC) overlaps a session or "
                          "meeting in your agenda. Free that time on My agenda to join.")


def _lock(session: Session, huddle_id: int, person_id: int) -> Huddle:
    """Lock the person (one answer of theirs at a time: the rate limit and the overlap check stay true) and then
    the huddle (one accept at a time: the seat count read next is the committed one), each for up to the lock
    timeout; the huddle is re-read under its lock."""
    session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'"))
    session.execute(select(Person.id).where(Person.id == person_id).with_for_update(key_share=True))
    huddle = session.get(Huddle, huddle_id, with_for_update={"key_share": True}, populate_existing=True)
    if huddle is None:
        raise HuddleError("That huddle does not exist.")
    return huddle


def respond_to_huddle(session: Session, *, huddle_id: int, person_id: int, response: str,
                      clock: Clock) -> HuddleParticipant:
    """Accept ("I'll be there") or decline ("Can't make it") an invitation; declining after accepting withdraws.

    The person's and the huddle's rows are locked (FOR NO KEY UPDATE, with a short lock_timeout) before the seats
    are counted, so concurrent accepts run one after the other and never take more than `max_participants`
    seats. An attempt that times out on the lock (or hits a serialization failure or deadlock) is rolled back to
    its savepoint and retried; after LOCK_ATTEMPTS it raises ConcurrentUpdate. `version` goes up by one on every
    change to the accepted set (an accept or a withdrawal), so it is 1 + accepts - withdrawals."""
    if response not in ("accept", "decline"):
        raise HuddleError(f"Unknown answer '{response}'. Use accept or decline.")
    for attempt in range(LOCK_ATTEMPTS):
        try:
            with session.begin_nested():
                return _respond(session, huddle_id=huddle_id, person_id=person_id, response=response,
                                now=clock.now())
        except DBAPIError as exc:
            if not _retryable(exc):
                raise
            time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
    raise ConcurrentUpdate(CONCURRENT_UPDATE_MESSAGE)


def _respond(session: Session, *, huddle_id: int, person_id: int, response: str, now: datetime) -> HuddleParticipant:
    if session.get(Huddle, huddle_id) is None:
        raise HuddleError("That huddle does not exist.")
    _participant(session, huddle_id, person_id)  # only invitees: refused before any lock is taken
    huddle = _lock(session, huddle_id, person_id)
    participant = _participant(session, huddle_id, person_id)
    _open_for_answers(huddle, now)
    was = participant.status
    if response == "accept" and was in _GOING:
        raise HuddleError("You already said you'll be there.")
    if response == "decline" and was == ParticipantStatus.DECLINED:
        raise HuddleError("You already said you can't make it.")
    _check_rate(session, person_id, now)
    if response == "decline":
        participant.status, participant.responded_at = ParticipantStatus.DECLINED.value, now
        if was == ParticipantStatus.ACCEPTED:  # a withdrawal frees the seat
            huddle.version += 1
            session.flush()
            if huddle.status == HuddleStatus.CONFIRMED and accepted_count(session, huddle.id) < huddle.min_participants:
                huddle.status, huddle.confirmed_at = HuddleStatus.FORMING.value, None
        session.flush()
        return participant
    taken = accepted_count(session, huddle.id)
    if taken >= huddle.max_participants:
        raise HuddleFull(FULL_MESSAGE)
    _check_free(session, huddle, person_id)
    participant.status, participant.responded_at = ParticipantStatus.ACCEPTED.value, now
    huddle.version += 1
    if huddle.status == HuddleStatus.FORMING and taken + 1 >= huddle.min_participants:
        huddle.status, huddle.confirmed_at = HuddleStatus.CONFIRMED.value, now
    session.flush()
    _tell_others_someone_joined(session, huddle, person_id, going=taken + 1, now=now)
    return participant


def _tell_others_someone_joined(session: Session, huddle: Huddle, person_id: int, *, going: int,
                                now: datetime) -> None:
    joiner = session.get(Person, person_id)
    others = session.scalars(select(HuddleParticipant.person_id).where(
        HuddleParticipant.huddle_id == huddle.id, HuddleParticipant.person_id != person_id,
        HuddleParticipant.status.in_(_GOING), not_blocked_with(person_id, HuddleParticipant.person_id)))
    for other in others:
        notify(session, person_id=other, kind=NotificationKind.HUDDLE_UPDATE,
               title=f"{joiner.full_name} joined {huddle.topic}: {going} of {huddle.max_participants}",
               body=" · ".join(x for x in (joiner.role, joiner.company) if x), now=now, link=HUDDLES_LINK,
               actor_id=person_id, dedupe_key=f"huddle-join:{huddle.id}:{person_id}:{huddle.version}")


def check_in_at_huddle(session: Session, *, huddle_id: int, person_id: int, clock: Clock) -> HuddleParticipant:
    """Mark an accepted participant ATTENDED, from 5 minutes before the start to 15 minutes after it."""
    now = clock.now()
    huddle = session.get(Huddle, huddle_id, populate_existing=True)
    if huddle is None:
        raise HuddleError("That huddle does not exist.")
    participant = _participant(session, huddle_id, person_id)
    if participant.status == ParticipantStatus.ATTENDED:
        raise HuddleError(f"You already checked in at {participant.attended_at:%H:%M} UTC.")
    if participant.status != ParticipantStatus.ACCEPTED:
        raise HuddleError("Only people who said they'll be there can check in. Choose I'll be there first.")
    if huddle.status in (HuddleStatus.CANCELLED, HuddleStatus.COMPLETED):
        raise HuddleError(f"This huddle is {huddle.status.replace('_', ' ')}, so check-in is closed.")
    if not check_in_open(huddle.starts_at, now):
        opens, closes = huddle.starts_at - CHECK_IN_BEFORE, huddle.starts_at + CHECK_IN_AFTER
        if now < opens:
            raise HuddleError(f"Check-in opens at {opens:%H:%M} UTC, 5 minutes before the huddle starts.")
        raise HuddleError(f"Check-in closed at {closes:%H:%M} UTC, 15 minutes after the huddle started.")
    checked = session.execute(update(HuddleParticipant).where(
        HuddleParticipant.id == participant.id, HuddleParticipant.status == ParticipantStatus.ACCEPTED.value)
        .values(status=ParticipantStatus.ATTENDED.value, attended_at=now).returning(HuddleParticipant.id)).first()
    if checked is None:  # a second tab checked in meanwhile
        raise HuddleError("You are already checked in.")
    session.refresh(participant)
    return participant


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str
    company: str


@dataclass(frozen=True)
class HuddleCard:
    """One huddle as the attendee's page shows it."""

    huddle: Huddle
    my_status: str
    going: int  # accepted or attended
    first_going: tuple[Attendee, ...]  # up to three, never someone blocked with the viewer
    more: int  # how many more are going beyond those shown
    can_check_in: bool


@dataclass(frozen=True)
class MyHuddles:
    invitations: list[HuddleCard]
    going: list[HuddleCard]
    past: list[HuddleCard]

    @property
    def empty(self) -> bool:
        return not (self.invitations or self.going or self.past)


def my_huddles(session: Session, *, event_id: int, person_id: int, now: datetime) -> MyHuddles:
    """The person's huddles at one event: open invitations, the ones they are going to, and past ones."""
    rows = session.execute(
        select(Huddle, HuddleParticipant.status).join(HuddleParticipant, HuddleParticipant.huddle_id == Huddle.id)
        .where(Huddle.event_id == event_id, HuddleParticipant.person_id == person_id)
        .order_by(Huddle.starts_at, Huddle.id)).all()
    invitations, going, past = [], [], []
    for huddle, status in rows:
        if huddle.status in UPCOMING and huddle.starts_at > now and status == ParticipantStatus.INVITED:
            invitations.append((huddle, status))
        elif status in _GOING and huddle.status in (*UPCOMING, HuddleStatus.IN_PROGRESS.value):
            going.append((huddle, status))
        else:  # ended, cancelled, declined, or started without an answer
            past.append((huddle, status))
    past = list(reversed(past))[:PAST_LIMIT]  # the most recent first

    def cards(pairs):
        return [_card(session, huddle, status, person_id, now) for huddle, status in pairs]

    return MyHuddles(cards(invitations), cards(going), cards(past))


def _card(session: Session, huddle: Huddle, status: str, viewer_id: int, now: datetime) -> HuddleCard:
    going = accepted_count(session, huddle.id)
    shown = session.execute(
        select(Person.first_name, Person.last_name, Person.role, Person.company)
        .join(HuddleParticipant, HuddleParticipant.person_id == Person.id)
        .where(HuddleParticipant.huddle_id == huddle.id, HuddleParticipant.status.in_(_GOING),
               HuddleParticipant.person_id != viewer_id, live(Person),
               not_blocked_with(viewer_id, Person.id))
        .order_by(HuddleParticipant.responded_at, HuddleParticipant.id).limit(SHOWN_ATTENDEES)).all()
    others_going = going - (1 if status in _GOING else 0)
    attendees = tuple(Attendee(" ".join(x for x in (first, last) if x), role or "", company or "")
                      for first, last, role, company in shown)
    return HuddleCard(huddle=huddle, my_status=status, going=going, first_going=attendees,
                      more=max(0, others_going - len(attendees)),
                      can_check_in=(status == ParticipantStatus.ACCEPTED
                                    and huddle.status in (*UPCOMING, HuddleStatus.IN_PROGRESS.value)
                                    and check_in_open(huddle.starts_at, now)))



KIND_LABELS = {HuddleKind.PROBLEM: "Shared problem", HuddleKind.SESSION: "After a session",
               HuddleKind.PROXIMITY: "People nearby"}
PAST_LABELS = {ParticipantStatus.ATTENDED: "You were there", ParticipantStatus.NO_SHOW: "You did not check in",
               ParticipantStatus.DECLINED: "You couldn't make it", ParticipantStatus.INVITED: "You did not answer",
               ParticipantStatus.ACCEPTED: "You said you'd be there"}
HUDDLE_STATUS_LABELS = {HuddleStatus.FORMING: "Forming", HuddleStatus.CONFIRMED: "Confirmed",
                        HuddleStatus.IN_PROGRESS: "Happening now", HuddleStatus.COMPLETED: "Took place",
                        HuddleStatus.CANCELLED: "Cancelled"}
