"""1:1 meetings: slots free for both people, requests with a daily cap, accept/decline/reschedule, no double-booking."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from core.events.visibility import SharedWithOther, is_live
from core.networking.blocks import is_blocked_pair, not_blocked_with
from core.networking.connections import get_or_create_connection
from core.networking.notifications import NotificationKind, notify
from core.networking.outreach import OutreachLimits, OutreachRefused, check_outreach
from core.platform.clock import Clock
from core.platform.debounce import RapidRepeat, refuse_rapid_repeat
from db.filters import in_values
from db.models import (
    AgendaItem,
    ConnectionActivity,
    Event,
    Meeting,
    MeetingStatus,
    Person,
    ProgramSession,
    Registration,
)

MAX_PROPOSED_SLOTS = 3
DAY_START, DAY_END = time(9, 0), time(18, 0)  # meeting hours on days without a program


class MeetingError(ValueError):
    """A meeting action that cannot be done; the message says why."""


class RepeatedMeetingRequest(MeetingError, RapidRepeat):
    """The same meeting request was just sent (a double click); the page shows it as information."""


Interval = tuple[datetime, datetime]


def busy_intervals(session: Session, *, event_id: int, person_id: int, ignore_meeting: int | None = None
                   ) -> list[Interval]:
    """When a person is taken: the sessions of their agenda and their accepted meetings."""
    return busy_intervals_of(session, event_id=event_id, person_ids=[person_id],
                             ignore_meeting=ignore_meeting).get(person_id, [])


def busy_intervals_of(session: Session, *, event_id: int, person_ids: list[int], ignore_meeting: int | None = None
                      ) -> dict[int, list[Interval]]:
    """`busy_intervals` for many people at once, in two queries whatever their number."""
    busy: dict[int, list[Interval]] = {}
    for person_id, start, end in session.execute(
            select(AgendaItem.person_id, ProgramSession.starts_at, ProgramSession.ends_at)
            .join(ProgramSession, ProgramSession.id == AgendaItem.session_id)
            .where(in_values(AgendaItem.person_id, person_ids), AgendaItem.event_id == event_id,
                   ProgramSession.starts_at.is_not(None), ProgramSession.ends_at.is_not(None))):
        busy.setdefault(person_id, []).append((start, end))
    wanted = set(person_ids)
    for requester, recipient, start, end in session.execute(
            select(Meeting.requester_id, Meeting.recipient_id, Meeting.starts_at, Meeting.ends_at).where(
                Meeting.event_id == event_id, Meeting.status == MeetingStatus.ACCEPTED,
                or_(in_values(Meeting.requester_id, person_ids), in_values(Meeting.recipient_id, person_ids)),
                Meeting.id != (ignore_meeting or 0))):
        for person_id in {requester, recipient} & wanted:
            busy.setdefault(person_id, []).append((start, end))
    return busy


def _overlaps(start: datetime, end: datetime, busy: list[Interval]) -> bool:
    return any(start < b_end and b_start < end for b_start, b_end in busy)


def meeting_windows(session: Session, event_id: int) -> list[Interval]:
    """The hours meetings can happen: each program day from its first session start to its last session end."""
    rows = session.execute(
        select(func.min(ProgramSession.starts_at), func.max(ProgramSession.ends_at))
        .where(ProgramSession.event_id == event_id, ProgramSession.starts_at.is_not(None))
        .group_by(func.date(func.timezone("UTC", ProgramSession.starts_at)))
        .order_by(func.min(ProgramSession.starts_at))).all()
    if rows:
        return [(start, end) for start, end in rows if end]
    event = session.get(Event, event_id)
    if event is None or event.starts_on is None:
        return []
    days = ((event.ends_on or event.starts_on) - event.starts_on).days + 1
    return [(datetime.combine(event.starts_on + timedelta(days=d), DAY_START, UTC),
             datetime.combine(event.starts_on + timedelta(days=d), DAY_END, UTC)) for d in range(days)]


def free_slots(session: Session, *, event_id: int, person_ids: list[int], now: datetime, minutes: int = 30,
               limit: int = 12, ignore_meeting: int | None = None) -> list[datetime]:
    """Slot starts in the meeting hours, after now, when none of these people has a session or a meeting."""
    busy = [b for pid in person_ids
            for b in busy_intervals(session, event_id=event_id, person_id=pid, ignore_meeting=ignore_meeting)]
    length = timedelta(minutes=minutes)
    slots: list[datetime] = []
    for window_start, window_end in meeting_windows(session, event_id):
        start = window_start
        while start + length <= window_end and len(slots) < limit:
            if start >= now and not _overlaps(start, start + length, busy):
                slots.append(start)
            start += length
    return slots


def _registered(session: Session, event_id: int, person_id: int) -> bool:
    return session.scalar(select(Registration.id).where(Registration.event_id == event_id,
                                                        Registration.person_id == person_id)) is not None


def _check_slots(session: Session, *, event_id: int, people: list[int], slots: list[datetime], now: datetime,
                 minutes: int, ignore_meeting: int | None = None) -> None:
    if not slots:
        raise MeetingError("Propose at least one time slot.")
    if len(slots) > MAX_PROPOSED_SLOTS:
        raise MeetingError(f"Propose at most {MAX_PROPOSED_SLOTS} time slots.")
    free = set(free_slots(session, event_id=event_id, person_ids=people, now=now, minutes=minutes, limit=10_000,
                          ignore_meeting=ignore_meeting))
    taken = [s for s in slots if s not in free]
    if taken:
        raise MeetingError(f"{taken[0]:%a %H:%M} is no longer free for both of you. Pick another slot.")


def _lock_people(session: Session, person_ids: list[int]) -> None:
    """Row-lock these people, in id order (so two transactions never wait on each other crosswise), until the
    transaction ends. FOR NO KEY UPDATE: rows that merely reference a person (connections, activities) are not held
    up."""
    session.execute(select(Person.id).where(Person.id.in_(sorted(set(person_ids)))).order_by(Person.id)
                    .with_for_update(key_share=True))


def requests_sent_today(session: Session, person_id: int, now: datetime) -> int:
    day_start = datetime.combine(now.astimezone(UTC).date(), time(0), UTC)
    return session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.requester_id == person_id, Meeting.created_at >= day_start)) or 0


def request_meeting(session: Session, *, event_id: int, requester_id: int, recipient_id: int,
                    slots: list[datetime], clock: Clock, message: str = "", speaker_id: int | None = None,
                    minutes: int = 30, daily_cap: int = 10, outreach: OutreachLimits | None = None) -> Meeting:
    """Ask someone for a 1:1 at one of up to three slots free for both, within the daily meeting cap and the
    sender's outreach cap.

    Both people's rows are locked first, so two requests between the same pair (A to B and B to A at once) run one
    after the other and the second sees the first's open request; so do two of one person's requests, which keeps
    the daily cap exact."""
    now = clock.now()
    if requester_id == recipient_id:
        raise MeetingError("You cannot request a meeting with yourself.")
    if not (_registered(session, event_id, requester_id) and _registered(session, event_id, recipient_id)):
        raise MeetingError("Both people must be registered for the event to meet there.")
    _lock_people(session, [requester_id, recipient_id])
    if is_blocked_pair(session, requester_id, recipient_id) or not is_live(session.get(Person, recipient_id)):
        raise MeetingError("You cannot request a meeting with this person.")
    if requests_sent_today(session, requester_id, now) >= daily_cap:
        raise MeetingError(f"You have sent {daily_cap} meeting requests today, the daily limit. "
                           "Try again tomorrow, or follow up on the ones you sent.")
    open_between = session.scalar(select(Meeting.id).where(
        Meeting.event_id == event_id, Meeting.status.in_((MeetingStatus.PENDING, MeetingStatus.ACCEPTED)),
        or_(and_(Meeting.requester_id == requester_id, Meeting.recipient_id == recipient_id),
            and_(Meeting.requester_id == recipient_id, Meeting.recipient_id == requester_id))))
    if open_between:
        raise MeetingError("You already have a meeting or an open request with this person.")
    try:
        check_outreach(session, person_id=requester_id, now=now, limits=outreach or OutreachLimits())
    except OutreachRefused as exc:
        raise MeetingError(str(exc)) from None
    _check_slots(session, event_id=event_id, people=[requester_id, recipient_id], slots=slots, now=now,
                 minutes=minutes)
    try:
        refuse_rapid_repeat(session, actor=f"person:{requester_id}", action_key=f"meeting:{recipient_id}", now=now)
    except RapidRepeat as exc:
        raise RepeatedMeetingRequest(str(exc)) from None
    meeting = Meeting(event_id=event_id, requester_id=requester_id, recipient_id=recipient_id, speaker_id=speaker_id,
                      status=MeetingStatus.PENDING, proposed_by=requester_id,
                      proposed_slots=[s.isoformat() for s in slots],
                      message=message.strip()[:1000], created_at=now)
    session.add(meeting)
    session.flush()
    _notify_other(session, meeting, actor_id=requester_id, other_id=recipient_id, what="requested", now=now)
    return meeting


def _locked_meeting(session: Session, meeting_id: int) -> Meeting | None:
    """The meeting, row-locked until the transaction ends and re-read: an answer given meanwhile in another tab or
    by the other person is seen, never overwritten."""
    return session.get(Meeting, meeting_id, with_for_update={"key_share": True}, populate_existing=True)


def _changed_meanwhile(meeting: Meeting) -> MeetingError:
    """What the loser of two answers at once is told: what the winner did."""
    return MeetingError(f"This meeting was just {meeting.status}.")


def respond_to_meeting(session: Session, *, meeting_id: int, person_id: int, action: str, clock: Clock,
                       slot: datetime | None = None, new_slots: list[datetime] | None = None,
                       minutes: int = 30, seen_status: str | None = None) -> Meeting:
    """Accept one proposed slot, decline, propose other slots (reschedule) or cancel.

    The meeting row is locked and re-read first, so of two answers given at once (cancel and accept, accept at two
    different slots from two tabs) the second sees the first's and is refused with a MeetingError saying what
    happened. `seen_status` is the status the person was shown: when given and the meeting has moved on since (a
    withdrawal of what was just accepted), the answer is refused rather than applied to a meeting they did not see.
    Accepting also locks both people's rows, so two accepts that would double-book someone run one after the other
    and the second sees the first's meeting."""
    if action not in ("accept", "decline", "reschedule", "cancel"):
        raise MeetingError(f"Unknown action '{action}'. Use accept, decline, reschedule or cancel.")
    meeting = _locked_meeting(session, meeting_id)
    if meeting is None or person_id not in (meeting.requester_id, meeting.recipient_id):
        raise MeetingError("That meeting request does not exist.")
    if seen_status is not None and meeting.status != seen_status:
        raise _changed_meanwhile(meeting)
    other = meeting.recipient_id if person_id == meeting.requester_id else meeting.requester_id
    now = clock.now()
    if action == "cancel":
        if meeting.status not in (MeetingStatus.PENDING, MeetingStatus.ACCEPTED):
            raise _changed_meanwhile(meeting)
        # a pending request the requester calls off is withdrawn; the recipient calling it off declines it
        what = ("cancelled" if meeting.status == MeetingStatus.ACCEPTED
                else "withdrawn" if person_id == meeting.requester_id else "declined")
        meeting.status, meeting.responded_at = MeetingStatus.CANCELLED, now
        session.flush()
        _notify_other(session, meeting, actor_id=person_id, other_id=other, now=now, what=what)
        return meeting
    if meeting.status != MeetingStatus.PENDING:
        raise _changed_meanwhile(meeting)
    if not is_live(session.get(Person, other)):
        raise MeetingError("This person has left GlobalConnect: the request can only be cancelled.")
    if person_id == meeting.proposed_by:
        raise MeetingError("Wait for the other person to answer the slots you proposed.")
    if action == "decline":
        meeting.status, meeting.responded_at = MeetingStatus.DECLINED, now
    elif action == "reschedule":
        _check_slots(session, event_id=meeting.event_id, people=[person_id, other], slots=new_slots or [], now=now,
                     minutes=minutes, ignore_meeting=meeting.id)
        meeting.proposed_by, meeting.proposed_slots = person_id, [s.isoformat() for s in new_slots]
        meeting.responded_at = now
    else:  # accept
        if slot is None or slot.isoformat() not in meeting.proposed_slots:
            raise MeetingError("Pick one of the proposed slots.")
        _lock_people(session, [person_id, other])
        busy = [b for pid in (person_id, other)
                for b in busy_intervals(session, event_id=meeting.event_id, person_id=pid, ignore_meeting=meeting.id)]
        if _overlaps(slot, slot + timedelta(minutes=minutes), busy):
            raise MeetingError(f"{slot:%a %H:%M} was just taken in one of your agendas. Propose another slot.")
        meeting.status, meeting.responded_at = MeetingStatus.ACCEPTED, now
        meeting.starts_at, meeting.ends_at = slot, slot + timedelta(minutes=minutes)
        _log_connection_activity(session, meeting, person_id, now)
    session.flush()
    _notify_other(session, meeting, actor_id=person_id, other_id=other, now=now,
                  what={"decline": "declined", "reschedule": "rescheduled", "accept": "accepted"}[action])
    return meeting


def _slot_text(slots: list[str]) -> str:
    return ", ".join(f"{datetime.fromisoformat(s):%a %d %b %H:%M}" for s in slots) + " UTC"


def _notify_other(session: Session, meeting: Meeting, *, actor_id: int, other_id: int, what: str,
                  now: datetime) -> None:
    """Tell the other person what `actor_id` just did with the meeting (kind MEETING_ANSWER, linked to My agenda)."""
    name = session.get(Person, actor_id).full_name
    titles = {"requested": f"{name} asked you for a 1:1 meeting",
              "accepted": f"{name} accepted your 1:1 meeting",
              "declined": f"{name} declined your 1:1 meeting request",
              "rescheduled": f"{name} proposed other times for your 1:1 meeting",
              "withdrawn": f"{name} withdrew their 1:1 meeting request",
              "cancelled": f"{name} cancelled your 1:1 meeting"}
    if what == "accepted":
        body = f"{meeting.starts_at:%a %d %b %H:%M} UTC. It is in both your agendas."
    elif what in ("requested", "rescheduled"):
        body = f"Proposed: {_slot_text(meeting.proposed_slots)}."
        if what == "requested" and meeting.message:
            body += f"\n{meeting.message}"
    elif what == "cancelled" and meeting.starts_at is not None:
        body = f"It was on {meeting.starts_at:%a %d %b %H:%M} UTC and is no longer in your agenda."
    else:
        body = ""
    # Each answer notifies once; proposals can go back and forth, so each reschedule has its own key.
    key = f"meeting:{meeting.id}:{what}" + (f":{now.isoformat()}" if what == "rescheduled" else "")
    notify(session, person_id=other_id, kind=NotificationKind.MEETING_ANSWER, title=titles[what], body=body,
           now=now, link="my-agenda", actor_id=actor_id, dedupe_key=key)


def _log_connection_activity(session: Session, meeting: Meeting, actor_id: int, now: datetime) -> None:
    connection, _ = get_or_create_connection(session, person_ids=(meeting.requester_id, meeting.recipient_id),
                                             event_id=meeting.event_id, source="meeting", now=now)
    session.add(ConnectionActivity(connection_id=connection.id, actor_id=actor_id, kind="meeting_scheduled",
                                   note=f"1:1 meeting on {meeting.starts_at:%a %d %b %H:%M} UTC", created_at=now))


@dataclass
class MeetingView(SharedWithOther):
    meeting: Meeting
    other: Person
    incoming: bool  # the other person proposed the current slots, so it is this person's turn

    @property
    def slots(self) -> list[datetime]:
        return [datetime.fromisoformat(s) for s in self.meeting.proposed_slots]


def meetings_of(session: Session, *, event_id: int, person_id: int) -> list[MeetingView]:
    """A person's meetings and requests in one event, most recent first."""
    meetings = session.scalars(select(Meeting).where(
        Meeting.event_id == event_id, or_(Meeting.requester_id == person_id, Meeting.recipient_id == person_id),
        not_blocked_with(person_id, case((Meeting.requester_id == person_id, Meeting.recipient_id),
                                         else_=Meeting.requester_id)))
        .order_by(Meeting.created_at.desc(), Meeting.id.desc())).all()
    others = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(
        {m.requester_id if m.recipient_id == person_id else m.recipient_id for m in meetings})))}
    return [MeetingView(m, others[m.recipient_id if m.requester_id == person_id else m.requester_id],
                        m.status == MeetingStatus.PENDING and m.proposed_by != person_id) for m in meetings]
